"""One validation report from every check of a package, each problem naming its file and row.

1. :mod:`~china_internet_trends.csvfile` reads each file as text: the descriptor, safe paths,
   encoding, quoting, the header, the length of every row, blank rows. A table that cannot be read
   is reported on its own.
2. frictionless checks the descriptor: the Data Package and Table Schema profiles, the schemas'
   fields, keys and constraints as metadata.
3. Each table is typed as the loaders type it and checked with pandera (types, ``required``,
   ``enum``, ``pattern``, ``minimum``, ``maximum``), one chunk of rows at a time; then
   :mod:`~china_internet_trends.keys` checks primary and foreign keys on the key columns kept.
4. :mod:`china_internet_trends.rules` checks what no Table Schema can say, once 1–3 found the
   tables typed and complete.
5. :mod:`china_internet_trends.integrity` checks every file against its recorded size and hash.

With ``frictionless=True`` (``validate --frictionless``) frictionless also checks every row, as a
second opinion; its problems are merged in, each placed in its real file and row (frictionless
numbers the rows of a multipart resource as one stream and names only its first file). The same
place reported by two layers is shown once. ``tests/test_fast_path.py`` proves that the default
path finds every row problem frictionless finds.

Each table is read once, in chunks: what is kept of it is the columns the rules and the keys read
(:data:`rules.COLUMNS`, :func:`keys.key_columns`) and where each row came from, so memory grows
with the largest chunk and those columns, not with the package.

>>> validate().valid
True
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import csvfile, integrity, keys, rules, schema
from .descriptor import descriptor_problems, find_descriptor, read_descriptor, resource_paths, table_schema
from .dtypes import TEXT
from .errors import DataPackageError, Problem, QueryError, Report


def validate(path: str | Path | None = None, frictionless: bool = False, max_problems: int | None = None) -> Report:
    """Validate the package at ``path`` (a datapackage.json or its folder; default: the shipped one).

    Never raises on bad data: every problem is in the returned report, in the order
    :func:`iter_problems` finds them (``max_problems`` as there).
    """
    return Report(list(iter_problems(path, frictionless, max_problems)))


def iter_problems(path: str | Path | None = None, frictionless: bool = False, max_problems: int | None = None) -> Iterator[Problem]:
    """Every problem of the package at ``path``, as each check finds it (the CLI prints them as they come).

    A table that cannot be read (its file is missing, not UTF-8, cut off…) is reported on its own,
    and other tables' references to it are left out until it can be read. The cross-table rules
    rely on every table matching its Table Schema (required values present, types right), so they
    run once the tables do. ``frictionless=True`` also runs frictionless over every row.

    With ``max_problems`` (a whole number; 0 or None shows every problem, as the CLI's
    ``--max-problems 0`` does), at most that many problems are given for each file and column; the rest
    are counted, and one problem per file and column at the end says how many were left out. Memory
    then stays bounded however many rows are wrong.
    """
    if max_problems is not None and (isinstance(max_problems, bool) or not isinstance(max_problems, int) or max_problems < 0):
        raise QueryError(f"max_problems is a whole number, 0 or more (0 shows every problem); got {max_problems!r}")
    shown = _Shown(max_problems or None)
    for problem in _problems(find_descriptor(path), frictionless):
        if shown.keep(problem):
            yield problem
    yield from shown.left_out()


def _problems(descriptor_path: Path, frictionless: bool) -> Iterator[Problem]:
    try:
        descriptor = read_descriptor(descriptor_path)
    except DataPackageError as exc:
        yield from exc.report.problems
        return
    refused = descriptor_problems(descriptor)  # before frictionless, which would fetch a profile or follow a path
    if refused:
        yield from refused
        return

    checked: dict[str, _Checked] = {}
    unreadable: dict[str, list[Problem]] = {}
    schemas = _schemas(descriptor_path, descriptor, unreadable)
    yield from (problem for problems in unreadable.values() for problem in problems)
    lacking = _lacking(descriptor, schemas)
    yield from lacking
    frictionless_report = _run_frictionless(descriptor_path, frictionless, schemas)  # first, so its memory is freed before ours is used
    key_columns = keys.key_columns(schemas)
    typed = True  # every table read matches its schema's types and constraints so far
    for res in sorted(descriptor["resources"], key=lambda r: r["name"] != "glossary"):  # the glossary first: projections read it
        if res["name"] not in schemas:
            continue
        glossary = checked["glossary"].kept if "glossary" in checked else None
        table = _TableCheck(descriptor_path, res, schemas[res["name"]], key_columns[res["name"]], glossary)
        try:
            for problem in table:
                typed = False
                yield problem
        except DataPackageError as exc:
            unreadable[res["name"]] = exc.report.problems
            yield from exc.report.problems
        else:
            checked[res["name"]] = table.checked

    duplicates = [problem for name, table in checked.items() for problem in keys.duplicate_keys(table.kept, schemas[name], table.origins)]
    yield from duplicates
    referenced = {name: table.kept for name, table in checked.items()}
    for name, table in checked.items():
        yield from keys.broken_references(name, table.kept, schemas[name], table.origins, referenced)
    part_sizes = {name: table.part_sizes for name, table in checked.items()}
    yield from _frictionless_problems(frictionless_report, descriptor_path, descriptor, part_sizes, set(unreadable))
    if not unreadable and typed and not duplicates and not lacking:
        yield from rules.check({name: table.kept for name, table in checked.items()},
                               {name: table.origins for name, table in checked.items()})
    yield from integrity.drift_problems(descriptor_path, descriptor)


LEFT_OUT = "left out"
"""The layer of the problem that counts those :func:`iter_problems` left out of a file and column."""


class _Shown:
    """Which problems are given: with a ``limit``, at most that many per file and column, the rest
    counted; and a place that a cell check already reported is not reported again by frictionless
    or by the keys (both check the same constraints: a required key cell, say)."""

    SECOND_OPINIONS = ("frictionless", "keys")

    def __init__(self, limit: int | None):
        self.limit = limit
        self.seen: set[tuple] = set()
        self.per_column: Counter[tuple[str, str | None]] = Counter()

    def keep(self, problem: Problem) -> bool:
        place = (problem.file, problem.row, problem.column) if problem.row is not None else (problem.file, None, problem.column, problem.code)
        if problem.layer in self.SECOND_OPINIONS and place in self.seen:
            return False
        column = (problem.file, problem.column)
        self.per_column[column] += 1
        if self.limit is not None and self.per_column[column] > self.limit:
            return False
        self.seen.add(place)
        return True

    def left_out(self) -> Iterator[Problem]:
        for (file, column), count in self.per_column.items():
            if self.limit is not None and count > self.limit:
                yield Problem(file, None, column, None, f"and {count - self.limit:,} more problems here, not shown "
                                                        f"(at most {self.limit} per file and column)", LEFT_OUT, "left-out")


def _schemas(descriptor_path: Path, descriptor: dict[str, Any], unreadable: dict[str, list[Problem]]) -> dict[str, dict[str, Any]]:
    """Each resource's Table Schema by name; a resource whose schema cannot be read goes to ``unreadable``."""
    schemas = {}
    for res in descriptor["resources"]:
        try:
            schemas[res["name"]] = table_schema(descriptor_path, res)
        except DataPackageError as exc:
            unreadable[res["name"]] = exc.report.problems
    for name, why in keys.unresolved_references(schemas, {res["name"] for res in descriptor["resources"]}).items():
        unreadable[name] = [Problem("datapackage.json", None, "foreignKeys", None, f"resource {name!r}: {why}", "package", "foreign-key-target")]
        del schemas[name]
    return schemas


def _lacking(descriptor: dict[str, Any], schemas: dict[str, dict[str, Any]]) -> list[Problem]:
    """A problem for each table the library reads (:data:`rules.NEEDED`) that the package lacks, or whose
    schema lacks a column the library reads."""
    listed = {res["name"] for res in descriptor["resources"]}
    problems = []
    for name, columns in rules.NEEDED.items():
        if name not in listed:
            problems.append(Problem("datapackage.json", None, "resources", name, f"the package has no table {name!r}, which the "
                                    "library reads; restore its resource", "package", "missing-table"))
        elif name in schemas:
            fields = {field["name"] for field in schemas[name]["fields"]}
            missing = [column for column in columns if column not in fields]
            if missing:
                problems.append(Problem("datapackage.json", None, "schema", name, f"the {name} table's schema lacks "
                                        f"{', '.join(missing)}, which the library reads", "package", "missing-table"))
    return problems


@dataclass(frozen=True)
class _Checked:
    """What validation keeps of a table it has typed and checked with pandera: ``kept``, the columns
    the rules read (:func:`rules.project`) and the key columns, not the whole table; where each row
    came from; and each part's record count."""

    kept: pd.DataFrame
    origins: csvfile.Origins
    part_sizes: dict[str, int]


class _TableCheck:
    """Type one table chunk by chunk and check each with pandera, giving its problems as they are
    found (iterate it); then :attr:`checked` holds what is kept of it. Iterating raises
    :class:`DataPackageError` if the table cannot be read."""

    def __init__(self, descriptor_path: Path, res: dict[str, Any], table_schema: dict[str, Any], key_columns: list[str],
                 glossary: pd.DataFrame | None):
        self.args = descriptor_path, res, table_schema, key_columns, glossary
        self.checked: _Checked | None = None

    def __iter__(self) -> Iterator[Problem]:
        descriptor_path, res, table_schema, key_columns, glossary = self.args
        reader = csvfile.Reader(descriptor_path, res, table_schema)
        checks = schema.to_pandera(table_schema, unique=False)
        kept, origins = [], []
        for chunk in reader.chunks():
            frame, problems = schema.coerce(chunk.text, table_schema, chunk.origins)
            yield from problems
            yield from _pandera_problems(frame, checks, chunk)
            projection = rules.project(res["name"], frame, glossary)
            keys_too = frame[[column for column in key_columns if column not in projection]]
            kept.append(_shared_text(pd.concat([projection, keys_too], axis=1)))
            origins.append(chunk.origins)
        if reader.problems:
            raise DataPackageError(Report(reader.problems))
        yield from (Problem(file, row, None, None, "the row is blank; delete it", "package", "blank-row") for file, row in reader.blank_rows)
        self.checked = _Checked(pd.concat(kept, ignore_index=True), csvfile.Origins.join(origins), reader.part_sizes)


def _shared_text(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each text value held once per distinct value, not once per row.

    The CSV reader makes a new string for every cell; a kept column such as ``section_id`` repeats a
    few values over many rows, so sharing them is what keeps memory near the size of the key columns.

    >>> frame = _shared_text(pd.DataFrame({"t": pd.array(["a" * 9, "a" * 9, None], dtype=TEXT)}))
    >>> frame["t"].iloc[0] is frame["t"].iloc[1], frame["t"].dtype == TEXT
    (True, True)
    """
    shared = {}
    for name in frame.columns:
        if frame[name].dtype == TEXT:
            codes, distinct = pd.factorize(frame[name])
            values = np.append(np.asarray(distinct, dtype=object), [pd.NA]).take(codes)  # code -1 (missing) takes the last
            shared[name] = pd.array(values, dtype=TEXT)
    return frame.assign(**shared) if shared else frame


def _pandera_problems(frame: pd.DataFrame, checks: Any, chunk: csvfile.RawChunk) -> list[Problem]:
    import pandera.errors

    try:
        checks.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        problems = (_pandera_problem(case, chunk, checks) for case in exc.failure_cases.itertuples(index=False))
        return [problem for problem in problems if problem is not None]
    return []


def _pandera_problem(case: Any, chunk: csvfile.RawChunk, checks: Any) -> Problem | None:
    """A pandera failure in our words, at its file and row, with the value as written in the file (not
    as typed), coded by the name of the check that failed (:func:`schema._checks`); None for an empty
    typed cell whose text was not empty (the conversion reports it)."""
    origin = chunk.origins
    located = pd.notna(case.index)
    file, row = origin[int(case.index)] if located else (origin[0][0] if origin else "", None)
    written = chunk.text.at[int(case.index), case.column] if located and case.column in chunk.text else case.failure_case
    value = None if pd.isna(written) else str(written)
    if case.check == "not_nullable":
        return None if value is not None else Problem(file, row, case.column, None, "a value is required here but the cell is empty", "pandera", "required")
    column = checks.columns.get(case.column)
    code = column.checks[int(case.check_number)].name if column is not None and pd.notna(case.check_number) else ""
    return Problem(file, row, case.column, value, str(case.check), "pandera", code or "")


def _run_frictionless(descriptor_path: Path, rows: bool, schemas: dict[str, dict[str, Any]] | None = None) -> Any:
    """frictionless's report on the whole package with ``rows``, or else on the descriptor alone; or
    the exception it raised (it fails on some malformed descriptors).

    For the descriptor alone, the Table Schemas already read (``schemas``, by resource name) are
    given to frictionless inline: read from a path, frictionless would read each schema file again
    and export the whole package once more, a third of its time here.
    """
    import frictionless

    try:
        if rows:
            return frictionless.validate(str(descriptor_path))
        descriptor = read_descriptor(descriptor_path)  # a fresh copy: frictionless changes what it is given
        for res in descriptor["resources"]:
            if res.get("name") in (schemas or {}):
                res["schema"] = copy.deepcopy(schemas[res["name"]])
        return frictionless.Package.validate_descriptor(descriptor, basepath=str(descriptor_path.parent))
    except Exception as exc:  # e.g. AttributeError for a hash that is a number
        return exc


def _frictionless_problems(report: Any, descriptor_path: Path, descriptor: dict[str, Any],
                           part_sizes: dict[str, dict[str, int]], unreadable: set[str]) -> list[Problem]:
    """frictionless's errors, each placed in its real file and row.

    Left out: errors of unreadable resources (already reported by our reader), errors that only
    echo them (references to them, failures to open them as a lookup), hash and size errors
    (:mod:`china_internet_trends.integrity` reports those per file), and duplicates of an empty key
    (a blank row or a missing required value, reported as such).
    """
    if isinstance(report, Exception):
        return [Problem("datapackage.json", None, None, None, f"frictionless cannot check the package: {type(report).__name__}: {report}", "frictionless",
                        "frictionless-failed")]
    problems = [Problem("datapackage.json", None, None, None, e.message, "frictionless", f"frictionless/{e.type}") for e in report.errors]
    by_name = {res["name"]: res for res in descriptor["resources"]}
    for task in report.tasks:
        if task.name in unreadable or task.name not in by_name:
            continue
        res = by_name[task.name]
        locate = _row_locator(resource_paths(res), part_sizes.get(task.name, {}))
        fields = table_schema(descriptor_path, res)
        for error in task.errors:
            if error.type not in {"hash-count", "byte-count"} and not _echoes_unreadable(error, unreadable):
                problems.append(_frictionless_problem(error, locate, fields))
    return [p for p in problems if not (p.code == "frictionless/primary-key" and p.value is None)]


def _echoes_unreadable(error: Any, unreadable: set[str]) -> bool:
    """Whether a readable resource's error only repeats that another table cannot be read.

    That is a broken reference to the unreadable table, or an error about a whole file: our reader
    read this resource's own files, so such an error comes from opening the other as a lookup.
    """
    from frictionless.errors import RowError

    return bool(unreadable) and (_references(error) in unreadable or not isinstance(error, RowError))


def _row_locator(parts: list[str], sizes: dict[str, int]):
    """Map a row number of frictionless's joined stream to (file, row in that file), given each part's record count."""

    def locate(row: int | None) -> tuple[str, int | None]:
        if row is None:
            return parts[0], None
        record = row - 1
        for rel in parts:
            size = sizes.get(rel, 0)
            if record <= size:
                return rel, record + 1
            record -= size
        return parts[-1], record + 1

    return locate


_FOREIGN_KEY = re.compile(r'for "([^"]+)": values "(.*)" not found in the lookup table "([^"]*)" as "([^"]+)"', re.DOTALL)


def _references(error: Any) -> str | None:
    """The table a broken-reference error points to, or None for any other error."""
    reference = _FOREIGN_KEY.search(getattr(error, "note", "") or "")
    return reference.group(3) if reference else None


def _frictionless_problem(error: Any, locate, table_schema: dict[str, Any]) -> Problem:
    file, row = locate(getattr(error, "row_number", None))
    column = getattr(error, "field_name", None) or getattr(error, "label", None)
    value = getattr(error, "cell", None)
    message = _plain(error, table_schema)
    reference = _FOREIGN_KEY.search(getattr(error, "note", "") or "")
    if reference:
        column, value, table, key = reference.groups()
        message = f"broken reference: no row of {table or 'this table'} has {key} = {value!r}; use an existing {key} or add that row"
    if error.type == "primary-key":
        column, value = _key_of(error.cells, table_schema)
    return Problem(file, row, column, None if value in (None, "") else str(value), message, "frictionless", f"frictionless/{error.type}")


def _key_of(cells: list[Any], table_schema: dict[str, Any]) -> tuple[str, str]:
    """The primary key's column(s) and the row's value(s) of it, each joined with commas.

    >>> _key_of(["2017-E01", "2017"], {"fields": [{"name": "event_id"}, {"name": "edition"}], "primaryKey": ["event_id"]})
    ('event_id', '2017-E01')
    """
    key = keys.primary_key(table_schema)
    cell_of = dict(zip((f["name"] for f in table_schema["fields"]), cells))
    return ",".join(key), ",".join("" if cell_of.get(k) is None else str(cell_of[k]) for k in key)


_CONSTRAINT = re.compile(r'constraint "(\w+)"')


def _plain(error: Any, table_schema: dict[str, Any]) -> str:
    note = getattr(error, "note", "") or ""
    kind = error.type
    if kind == "type-error":
        return f"the value does not fit the column's type ({note})"
    if kind == "constraint-error":
        field = next((f for f in table_schema["fields"] if f["name"] == getattr(error, "field_name", None)), {})
        constraint = _CONSTRAINT.match(note)
        return _broken_constraint(constraint.group(1), field.get("constraints", {})) if constraint else note
    if kind in {"primary-key", "unique-error"}:
        return keys.DUPLICATE_KEY
    if kind == "blank-row":
        return "the row is blank; delete it"
    return f"{error.title}: {note}" if note else error.message


def _broken_constraint(kind: str, constraints: dict[str, Any]) -> str:
    """What the column's constraint asks for, in the words the pandera layer uses.

    >>> _broken_constraint("enum", {"enum": ["day", "month"]})
    'must be one of: day, month'
    """
    wanted = constraints.get(kind)
    if kind == "required":
        return "a value is required here but the cell is empty"
    if kind == "enum":
        return f"must be one of: {', '.join(map(str, wanted or []))}"
    if kind == "pattern":
        return f"must match the pattern {wanted}"
    if kind == "minimum":
        return f"must be at least {wanted}"
    if kind == "maximum":
        return f"must be at most {wanted}"
    return f"breaks the column's constraint {kind!r}"
