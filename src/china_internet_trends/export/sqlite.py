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
        broken = broken_keys(connection)
        if broken:
            connection.execute("ROLLBACK")
            raise DataPackageError(Report(broken))
        connection.execute("COMMIT")


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
    and source, and each table's title, description and column descriptions from its Table Schema.

    >>> from . import read_contents
    >>> metadata = datasette_metadata(read_contents(), "db")
    >>> metadata["license"], metadata["databases"]["db"]["tables"]["sections"]["columns"]["parent_id"]
    ('CC-BY-4.0', 'Parent: The chapter a subsection belongs to (a section_id); empty for a chapter.')
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


def _without_empty(mapping: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in mapping.items() if value}
