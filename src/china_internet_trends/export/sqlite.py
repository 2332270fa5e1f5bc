"""The SQLite export: one table per resource with the types and keys of its Table Schema, and the
datasette ``metadata.json`` that documents every table and column.

Why the tables are created by hand: pandas' ``to_sql`` declares no keys, and frictionless's SQL
adapter needs SQLAlchemy and declares dates as ``DATE`` (a column SQLite gives numeric affinity).
Here every ``CREATE TABLE`` comes from the Table Schema: ``integer`` is ``INTEGER``, ``number``
``REAL``, ``string`` and ``date`` are ``TEXT`` (dates written ``YYYY-MM-DD``), a required column is
``NOT NULL``, ``enum``/``minimum``/``maximum`` are ``CHECK`` constraints, and ``primaryKey`` and
``foreignKeys`` (an empty ``resource`` refers to the table itself) become keys.

No order of rows satisfies every foreign key as it is inserted: editions cite sources and sources
name editions, and the 2017 edition's report is one of its own sources. So the foreign keys are
``DEFERRABLE INITIALLY DEFERRED``: the rows go in parents first, in one transaction with
``PRAGMA foreign_keys = ON``, and every key is checked before the commit. A broken key raises
:class:`~china_internet_trends.errors.DataPackageError` naming the table, column and value, and
nothing is committed.

Three views join the tables for a reader who writes no join (:mod:`.derived`): ``figures_base``,
``scorecard_latest`` and ``series_points`` (:data:`VIEWS`). Each restates in SQL what the library
computes in Python (:meth:`~china_internet_trends.package.Package.figures`, the latest verdict of
:func:`~china_internet_trends.scoring.scorecard`, :func:`~china_internet_trends.tracking.series`),
rules included: base values from the units table, segments counted from each ``break_note``, the
latest outcome by ``as_of`` then ``outcome_id``. Being views, they read the tables as they are in
the database, so they stay true to them; tests/test_export_derived.py holds each equal to the
library's frame.

>>> print(create_table("sections", {"fields": [{"name": "section_id", "type": "string", "constraints": {"required": True}},
...     {"name": "parent_id", "type": "string"}], "primaryKey": ["section_id"],
...     "foreignKeys": [{"fields": ["parent_id"], "reference": {"resource": "", "fields": ["section_id"]}}]}))
CREATE TABLE "sections" (
  "section_id" TEXT NOT NULL,
  "parent_id" TEXT,
  PRIMARY KEY ("section_id"),
  FOREIGN KEY ("parent_id") REFERENCES "sections" ("section_id") DEFERRABLE INITIALLY DEFERRED
)
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..dictionary import as_list
from ..errors import DataPackageError, Problem, Report
from .derived import DERIVED, Derived

if TYPE_CHECKING:
    from . import Contents

SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "string": "TEXT", "date": "TEXT"}
ADVICE = "the SQLite export enforces every key of the Table Schemas; `china-internet-trends validate` lists every problem"


def write_database(contents: Contents, file: Path) -> None:
    """Create every table from its Table Schema and insert its rows, all keys checked before the commit."""
    with closing(sqlite3.connect(file, isolation_level=None)) as connection:
        connection.execute("PRAGMA foreign_keys = ON")
        # The journal in memory: the database is a temporary file renamed into place once whole, and a
        # journal file beside it would be a file the scratch folder's clean-up does not know as ours.
        connection.execute("PRAGMA journal_mode = MEMORY")
        connection.execute("BEGIN")
        for name, schema in contents.schemas.items():
            connection.execute(create_table(name, schema))
        for name, frame in contents.frames.items():
            _insert(connection, name, contents.schemas[name], frame)
        create_views(connection)
        broken = broken_keys(connection)
        if broken:
            connection.execute("ROLLBACK")
            raise DataPackageError(Report(broken))
        connection.execute("COMMIT")


_ORDER = "CASE points.origin WHEN 'edition' THEN 0 WHEN 'publication' THEN 1 ELSE 2 END"
"""Points of one day in the order of :data:`~china_internet_trends.tracking.ORIGINS`: another publisher's statistic last."""

_POINTS = """
WITH points AS (
  SELECT 'edition' AS origin, edition, NULL AS publication, indicator_id AS row_id, series_id, entity_id, period_start, period_end,
         value, unit, comparator, measure, label_zh, label_en, NULL AS break_note, source_id, note
  FROM indicators
  UNION ALL
  SELECT CASE WHEN cited.publication IS NULL THEN 'observation' ELSE 'publication' END, NULL, cited.publication, observation_id,
         series_id, entity_id, period_start, period_end, value, unit, comparator, NULL, NULL, NULL, break_note,
         observations.source_id, observations.note
  FROM observations LEFT JOIN sources AS cited ON cited.source_id = observations.source_id
)"""

VIEWS = {
    "figures_base": _POINTS + """
SELECT points.origin, points.edition, points.publication, points.row_id, points.series_id, points.entity_id, points.period_start,
       points.period_end, points.value, points.unit, points.comparator, points.measure, points.label_zh, points.label_en,
       CASE WHEN units.scale IS NOT NULL THEN CAST(printf('%.15g', points.value * units.scale) AS REAL) END AS base_value,
       units.base_unit, series.counted_by,
       CASE WHEN points.series_id IS NOT NULL THEN
         SUM(points.break_note IS NOT NULL) OVER (PARTITION BY points.series_id ORDER BY points.period_end, """ + _ORDER + """,
                                                  points.row_id ROWS UNBOUNDED PRECEDING) END AS segment,
       points.break_note, points.source_id, sources.reliability, points.note
FROM points
LEFT JOIN units ON units.unit = points.unit
LEFT JOIN series ON series.series_id = points.series_id
LEFT JOIN sources ON sources.source_id = points.source_id
ORDER BY points.series_id IS NULL, points.series_id, points.period_end, """ + _ORDER + """, points.row_id""",
    "scorecard_latest": """
WITH latest AS (
  SELECT outcomes.*, ROW_NUMBER() OVER (PARTITION BY forecast_id ORDER BY as_of DESC, outcome_id DESC) AS newest FROM outcomes
)
SELECT forecasts.edition, forecasts.forecast_id, forecasts.section_id, forecasts.event_id, forecasts.origin, forecasts.target_year,
       forecasts.theme, forecasts.claim_zh, forecasts.claim_en, forecasts.hedge, forecasts.certainty,
       COALESCE(latest.verdict, 'not_judged') AS verdict, latest.as_of, latest.evidence_en,
       latest.source_id AS evidence_source_id, sources.reliability AS evidence_reliability
FROM forecasts
LEFT JOIN latest ON latest.forecast_id = forecasts.forecast_id AND latest.newest = 1
LEFT JOIN sources ON sources.source_id = latest.source_id
ORDER BY forecasts.edition, forecasts.rowid""",
    "series_points": """
SELECT points.series_id, series.name_zh, series.name_en, points.origin, points.edition, points.publication, points.entity_id,
       points.period_start, points.period_end, points.value, points.unit, points.comparator, points.base_value, series.base_unit, series.counted_by,
       points.segment, points.break_note, points.source_id, points.reliability, points.row_id, points.note
FROM figures_base AS points
JOIN series ON series.series_id = points.series_id
ORDER BY series.rowid, points.period_end, """ + _ORDER + """, points.row_id""",
}
"""Each derived view's SELECT, in the order of :data:`~.derived.DERIVED` (series_points reads figures_base).
Rows come in the library's order: a table's ``rowid`` is its frame's order, as inserted. A base value is
the binary product rounded to 15 significant digits, which gives the library's decimal product
(:mod:`~china_internet_trends.conversion`) for every printed figure: 5.02亿 is 502000000, not
501999999.99999994."""


def create_views(connection: sqlite3.Connection) -> None:
    """Create the derived views over the tables (:data:`VIEWS`)."""
    for derived in DERIVED:
        connection.execute(f"CREATE VIEW {_quote(derived.name)} AS{VIEWS[derived.name]}")


def view_columns(contents: Contents) -> dict[str, list[str]]:
    """The columns of each derived view, as SQLite gives them for the tables of ``contents`` (none of their rows).

    >>> from . import read_contents
    >>> view_columns(read_contents())["series_points"][:3]
    ['series_id', 'name_zh', 'name_en']
    """
    with closing(sqlite3.connect(":memory:")) as connection:
        for name, schema in contents.schemas.items():
            connection.execute(create_table(name, schema))
        create_views(connection)
        return {derived.name: [row[1] for row in connection.execute(f"PRAGMA table_info({_quote(derived.name)})")] for derived in DERIVED}


def create_table(name: str, schema: dict[str, Any]) -> str:
    """The ``CREATE TABLE`` statement for a table with the Table Schema ``schema``."""
    lines = [_column(field) for field in schema["fields"]]
    if schema.get("primaryKey"):
        lines.append(f"PRIMARY KEY ({_names(schema['primaryKey'])})")
    for key in schema.get("foreignKeys", []):
        parent = key["reference"].get("resource") or name
        lines.append(f"FOREIGN KEY ({_names(key['fields'])}) REFERENCES {_quote(parent)} "
                     f"({_names(key['reference']['fields'])}) DEFERRABLE INITIALLY DEFERRED")
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {_quote(name)} (\n  {body}\n)"


def _column(field: dict[str, Any]) -> str:
    """One column's definition: name, type, NOT NULL and CHECK constraints.

    >>> _column({"name": "rank", "type": "integer", "constraints": {"minimum": 1, "maximum": 10}})
    '"rank" INTEGER CHECK ("rank" >= 1) CHECK ("rank" <= 10)'
    """
    name = _quote(field["name"])
    constraints = field.get("constraints", {})
    parts = [name, SQL_TYPES[field.get("type", "string")]]
    if constraints.get("required"):
        parts.append("NOT NULL")
    if "enum" in constraints:
        parts.append(f"CHECK ({name} IN ({', '.join(_literal(value) for value in constraints['enum'])}))")
    if "minimum" in constraints:
        parts.append(f"CHECK ({name} >= {_literal(constraints['minimum'])})")
    if "maximum" in constraints:
        parts.append(f"CHECK ({name} <= {_literal(constraints['maximum'])})")
    return " ".join(parts)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _names(names: str | list[str]) -> str:
    return ", ".join(_quote(name) for name in as_list(names))


def _literal(value: Any) -> str:
    """A constraint's value as an SQL literal: numbers as written, anything else as quoted text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _insert(connection: sqlite3.Connection, name: str, schema: dict[str, Any], frame: pd.DataFrame) -> None:
    columns = [field["name"] for field in schema["fields"]]
    statement = f"INSERT INTO {_quote(name)} ({_names(columns)}) VALUES ({', '.join('?' * len(columns))})"
    try:
        connection.executemany(statement, sql_rows(frame[columns]))
    except sqlite3.IntegrityError as exc:
        connection.execute("ROLLBACK")
        raise DataPackageError(Report([Problem(name, None, None, None, f"a row breaks a constraint ({exc}): {ADVICE}", "sqlite", "sqlite-constraint")])) from None


def sql_rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The frame's rows as Python values sqlite3 stores: missing as None, dates as ``YYYY-MM-DD``.

    >>> sql_rows(pd.DataFrame({"d": pd.to_datetime(["2018-01-09", None]), "n": pd.array([1, None], dtype="Int64")}))
    [('2018-01-09', 1), (None, None)]
    """
    values = {}
    for name, column in frame.items():
        if pd.api.types.is_datetime64_any_dtype(column):
            column = column.dt.strftime("%Y-%m-%d")
        values[name] = [None if pd.isna(value) else value.item() if hasattr(value, "item") else value for value in column]
    return list(zip(*values.values()))


def broken_keys(connection: sqlite3.Connection) -> list[Problem]:
    """A problem for each row whose foreign key refers to no row (``PRAGMA foreign_key_check``)."""
    problems = []
    for table, rowid, parent, key_id in connection.execute("PRAGMA foreign_key_check").fetchall():
        key = [row for row in connection.execute(f"PRAGMA foreign_key_list({_quote(table)})") if row[0] == key_id]
        columns, referred = [row[3] for row in key], [row[4] for row in key]
        values = connection.execute(f"SELECT {_names(columns)} FROM {_quote(table)} WHERE rowid = ?", (rowid,)).fetchone()
        shown = ", ".join(map(str, values))
        message = f"broken reference: no row of {parent} has {', '.join(referred)} = {shown!r}; {ADVICE}"
        problems.append(Problem(table, None, ", ".join(columns), shown, message, "sqlite", "foreign-key"))
    return problems


def datasette_metadata(contents: Contents, database: str) -> dict[str, Any]:
    """datasette's metadata for the database ``database``: the package's title, description, licence
    and source, each table's title, description and column descriptions from its Table Schema, and
    each derived view's (datasette describes views under ``tables`` too).

    >>> from . import read_contents
    >>> metadata = datasette_metadata(read_contents(), "db")
    >>> metadata["license"], metadata["databases"]["db"]["tables"]["sections"]["columns"]["parent_id"]
    ('CC-BY-4.0', 'Parent: The chapter a subsection belongs to (a section_id); empty for a chapter.')
    >>> metadata["databases"]["db"]["tables"]["scorecard_latest"]["columns"]["as_of"]
    'As of: The date the evidence speaks for.'
    """
    descriptor = contents.descriptor
    licence = (descriptor.get("licenses") or [{}])[0]
    source = (descriptor.get("sources") or [{}])[0]
    tables = {
        name: _without_empty({
            "title": schema.get("title"),
            "description": schema.get("description"),
            "columns": {field["name"]: _column_description(field) for field in schema["fields"]},
        })
        for name, schema in contents.schemas.items()
    }
    columns = view_columns(contents)
    for derived in DERIVED:
        tables[derived.name] = {"title": derived.title, "description": derived.view_note,
                                "columns": {column: _view_column_description(derived, column, contents.schemas)
                                            for column in columns[derived.name]}}
    return _without_empty({
        "title": descriptor.get("title"),
        "description": descriptor.get("description"),
        "license": licence.get("name"),
        "license_url": licence.get("path"),
        "source": source.get("title"),
        "source_url": source.get("path"),
        "databases": {database: {"tables": tables}},
    })


def _column_description(field: dict[str, Any]) -> str:
    return ": ".join(text for text in (field.get("title"), field.get("description")) if text)


def _view_column_description(derived: Derived, column: str, schemas: dict[str, dict[str, Any]]) -> str:
    """What ``column`` of a derived view holds: the view's own description of it, else that of the first table
    of ``derived.described_by`` whose Table Schema has a field of that name."""
    if column in derived.columns:
        return derived.columns[column]
    fields = (field for table in derived.described_by for field in schemas.get(table, {}).get("fields", []))
    return next((_column_description(field) for field in fields if field["name"] == column), "")


def _without_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value}
