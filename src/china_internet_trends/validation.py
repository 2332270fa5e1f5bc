"""One validation report from three layers: frictionless, pandera and the cross-table rules.

1. frictionless reads the raw files: types, constraints, keys, foreign keys, encoding, headers.
2. pandera checks the typed frames the loaders return, with schemas derived from the same Table
   Schemas (:mod:`china_internet_trends.schema`).
3. :mod:`china_internet_trends.rules` checks what no Table Schema can say.

Problems are merged into one :class:`~china_internet_trends.errors.Report`, each naming the real
file and row (frictionless numbers the rows of a multipart resource as one stream and names only
its first file; we map them back). The same place reported by two layers is shown once.

>>> validate().valid
True
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pandas as pd

from . import package, rules, schema, tables
from .errors import DataPackageError, Problem, Report


def validate(path: str | Path | None = None) -> Report:
    """Validate the package at ``path`` (a datapackage.json or its folder; default: the shipped one).

    Never raises on bad data: every problem is in the returned report.
    """
    descriptor_path = package.find_descriptor(path)
    try:
        descriptor = package.read_descriptor(descriptor_path)
    except DataPackageError as exc:
        return exc.report
    unsafe = _unsafe_paths(descriptor)
    if unsafe:
        return Report(unsafe)

    tables.clear_cache()
    frames: dict[str, pd.DataFrame] = {}
    origins: dict[str, list[tuple[str, int]]] = {}
    problems: list[Problem] = []
    unreadable: set[str] = set()
    for res in descriptor["resources"]:
        name = res.get("name", "?")
        try:
            frame, origin, conversion = tables._typed(str(descriptor_path), name)
        except DataPackageError as exc:
            problems += exc.report.problems
            unreadable.update(package.resource_paths(res))
            continue
        problems += conversion
        frames[name], origins[name] = frame, origin
        table_schema = package.table_schema(descriptor_path, res)
        problems += _pandera_problems(frame, table_schema, origin)

    problems = _frictionless_problems(descriptor_path, descriptor, unreadable) + problems
    return Report(_deduplicate(problems) + rules.check(frames, origins))


def _unsafe_paths(descriptor: dict[str, Any]) -> list[Problem]:
    problems = []
    for res in descriptor["resources"]:
        candidates = package.resource_paths(res)
        if isinstance(res.get("schema"), str):
            candidates.append(res["schema"])
        for rel in candidates:
            reason = package.unsafe_path_reason(rel)
            if reason:
                problems.append(Problem("datapackage.json", None, "path", str(rel), f"resource {res.get('name')!r}: refused: {reason}", "package"))
    return problems


def _pandera_problems(frame: pd.DataFrame, table_schema: dict[str, Any], origin: list[tuple[str, int]]) -> list[Problem]:
    import pandera.errors

    try:
        schema.to_pandera(table_schema).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        return [_pandera_problem(case, table_schema, origin) for case in exc.failure_cases.itertuples(index=False)]
    return []


def _pandera_problem(case: Any, table_schema: dict[str, Any], origin: list[tuple[str, int]]) -> Problem:
    file, row = origin[int(case.index)] if pd.notna(case.index) else (origin[0][0] if origin else "", None)
    value = None if pd.isna(case.failure_case) else str(case.failure_case)
    if case.check == "multiple_fields_uniqueness":
        key = table_schema.get("primaryKey", [])
        return Problem(file, row, ",".join(key), value, "duplicate key: another row has the same value", "pandera")
    if case.check == "not_nullable":
        return Problem(file, row, case.column, None, "a value is required here but the cell is empty", "pandera")
    return Problem(file, row, case.column, value, str(case.check), "pandera")


def _frictionless_problems(descriptor_path: Path, descriptor: dict[str, Any], unreadable: set[str]) -> list[Problem]:
    import frictionless

    report = frictionless.validate(str(descriptor_path))
    problems = [Problem("datapackage.json", None, None, None, e.message, "frictionless") for e in report.errors]
    by_name = {res.get("name"): res for res in descriptor["resources"]}
    for task in report.tasks:
        res = by_name.get(task.name, {})
        parts = package.resource_paths(res) or [task.place]
        if unreadable & set(parts):
            continue
        locate = _row_locator(descriptor_path.parent, parts)
        for error in task.errors:
            problems.append(_frictionless_problem(error, locate))
    return problems


def _row_locator(root: Path, parts: list[str]):
    """Map a row number of frictionless's joined stream to (file, row in that file)."""
    sizes = []
    for rel in parts:
        try:
            with open(root / rel, encoding="utf-8-sig", newline="") as handle:
                sizes.append(sum(1 for _ in csv.reader(handle)) - 1)
        except (OSError, UnicodeDecodeError, csv.Error):
            sizes.append(0)

    def locate(row: int | None) -> tuple[str, int | None]:
        if row is None:
            return parts[0], None
        record = row - 1
        for rel, size in zip(parts, sizes):
            if record <= size:
                return rel, record + 1
            record -= size
        return parts[-1], record + 1

    return locate


_FOREIGN_KEY = re.compile(r'for "([^"]+)": values "(.*)" not found in the lookup table "([^"]*)" as "([^"]+)"')


def _frictionless_problem(error: Any, locate) -> Problem:
    file, row = locate(getattr(error, "row_number", None))
    column = getattr(error, "field_name", None) or getattr(error, "label", None)
    value = getattr(error, "cell", None)
    message = _plain(error)
    reference = _FOREIGN_KEY.search(getattr(error, "note", "") or "")
    if reference:
        column, value, table, key = reference.groups()
        message = f"broken reference: no row of {table or 'this table'} has {key} = {value!r}; use an existing {key} or add that row"
    return Problem(file, row, column, None if value in (None, "") else str(value), message, "frictionless")


def _plain(error: Any) -> str:
    note = getattr(error, "note", "") or ""
    kind = error.type
    if kind == "type-error":
        return f"the value does not fit the column's type ({note})"
    if kind == "constraint-error":
        return f"the value breaks a rule of the column: {note}"
    if kind in {"primary-key", "unique-error"}:
        return f"duplicate key: {note}"
    if kind == "blank-row":
        return "the row is blank; delete it"
    if kind in {"extra-cell", "missing-cell"}:
        return f"{error.title.lower()}: the row has a different number of cells than the header ({note})"
    return f"{error.title}: {note}" if note else error.message


def _deduplicate(problems: list[Problem]) -> list[Problem]:
    """Keep the first problem reported at each (file, row, column): frictionless and pandera check the same constraints."""
    seen: set[tuple] = set()
    kept = []
    for p in problems:
        key = (p.file, p.row, p.column) if p.row is not None else (p.file, p.row, p.column, p.message)
        if key not in seen:
            seen.add(key)
            kept.append(p)
    return kept
