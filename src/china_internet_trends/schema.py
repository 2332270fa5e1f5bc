"""The bridge from Frictionless Table Schemas to pandas dtypes and pandera schemas.

The Table Schemas in ``schemas/`` are the single source of truth for every column. This module
derives from them (1) the pandas dtype of each column, (2) the conversion of raw CSV text into
typed frames, and (3) a pandera ``DataFrameSchema`` for the second validation layer.

Why our own bridge: pandera's ``pandera.io.pandas_io.from_frictionless_schema`` mishandles dates
(they come out as strings), optional integers (plain int64, which cannot hold a gap) and enums, so
we translate the small subset of Table Schema this package uses ourselves, and refuse anything
outside it loudly (:class:`UnsupportedSchemaFeature`) instead of ignoring it.

>>> pandas_dtype({"name": "rank", "type": "integer", "constraints": {"minimum": 1}})
'Int64'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .dtypes import TEXT
from .errors import Problem

if TYPE_CHECKING:
    import pandera.pandas as pa

SCHEMA_KEYS = {"title", "description", "fields", "primaryKey", "foreignKeys", "missingValues"}
FIELD_KEYS = {"name", "type", "title", "description", "format", "constraints"}
CONSTRAINTS = {"required", "enum", "pattern", "minimum", "maximum"}
TYPES = {"string", "integer", "number", "date"}
FORMATS = {None, "default", "uri"}


class UnsupportedSchemaFeature(ValueError):
    """A Table Schema uses something the bridge does not translate (and would otherwise ignore)."""


def check_supported(table_schema: dict[str, Any]) -> None:
    """Raise :class:`UnsupportedSchemaFeature` if the schema uses anything the bridge cannot translate.

    >>> check_supported({"fields": [{"name": "x", "type": "year"}]})
    Traceback (most recent call last):
    ...
    china_internet_trends.schema.UnsupportedSchemaFeature: field 'x': type 'year' is not supported
    """
    unknown = set(table_schema) - SCHEMA_KEYS
    if unknown:
        raise UnsupportedSchemaFeature(f"schema keys not supported: {sorted(unknown)}")
    if table_schema.get("missingValues", [""]) != [""]:
        raise UnsupportedSchemaFeature(f"missingValues {table_schema['missingValues']!r}: only the default [\"\"] (an empty cell) is supported")
    for field in table_schema["fields"]:
        name = field.get("name")
        if set(field) - FIELD_KEYS:
            raise UnsupportedSchemaFeature(f"field {name!r}: keys not supported: {sorted(set(field) - FIELD_KEYS)}")
        if field.get("type", "string") not in TYPES:
            raise UnsupportedSchemaFeature(f"field {name!r}: type {field.get('type')!r} is not supported")
        if field.get("format") not in FORMATS:
            raise UnsupportedSchemaFeature(f"field {name!r}: format {field.get('format')!r} is not supported")
        unknown_constraints = set(field.get("constraints", {})) - CONSTRAINTS
        if unknown_constraints:
            raise UnsupportedSchemaFeature(f"field {name!r}: constraints not supported: {sorted(unknown_constraints)}")


def is_required(field: dict[str, Any]) -> bool:
    return bool(field.get("constraints", {}).get("required", False))


def pandas_dtype(field: dict[str, Any]) -> str | pd.StringDtype:
    """The pandas dtype of a field (see :mod:`~china_internet_trends.dtypes`): nullable Int64 for
    optional integers, datetimes for dates, :data:`~china_internet_trends.dtypes.TEXT` for text.

    >>> pandas_dtype({"name": "edition", "type": "integer", "constraints": {"required": True}})
    'int64'
    """
    kind = field.get("type", "string")
    if kind == "integer":
        return "int64" if is_required(field) else "Int64"
    if kind == "number":
        return "float64"
    if kind == "date":
        return "datetime64[ns]"
    return TEXT


def coerce(
    text: pd.DataFrame, table_schema: dict[str, Any], origins: Sequence[tuple[str, int]]
) -> tuple[pd.DataFrame, list[Problem]]:
    """Convert a frame of CSV text to the schema's dtypes; values that do not convert become problems.

    ``text`` holds strings with empty cells missing (as :func:`~china_internet_trends.package.read_raw`
    gives them); ``origins`` gives the (file, row) of each row, so that a problem names where it is.
    A required integer column with every value present becomes plain ``int64``.

    >>> frame, problems = coerce(pd.DataFrame({"n": ["1", "x"]}), {"fields": [{"name": "n", "type": "integer"}]}, [("t.csv", 2), ("t.csv", 3)])
    >>> frame["n"].tolist(), str(problems[0])
    ([1, <NA>], "t.csv, row 3, column n: value 'x': expected a whole number (at most 18 digits)")
    """
    check_supported(table_schema)
    columns: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for field in table_schema["fields"]:
        name = field["name"]
        raw = text[name] if name in text else pd.Series(pd.NA, index=text.index, dtype=TEXT)
        raw = raw if raw.dtype == TEXT else raw.astype(TEXT)
        if field.get("type", "string") == "string":
            columns[name] = raw
            continue
        typed, expected = _convert(raw, field)
        bad = raw.notna() & typed.isna()
        for position in bad.to_numpy().nonzero()[0]:
            file, row = origins[position]
            problems.append(Problem(file, row, name, str(raw.iloc[position]), expected, "schema"))
        complete = pandas_dtype(field) == "int64" and not typed.isna().any()
        columns[name] = typed.astype("int64") if complete else typed
    return pd.DataFrame(columns, index=text.index), problems


INTEGER = r"[+-]?[0-9]{1,18}"
"""A whole number as this package writes it: ASCII digits, an optional sign, at most 18 digits (int64)."""
NUMBER = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"
"""A number as this package writes it: ASCII digits, an optional sign, decimal point and exponent."""
URI = r"[A-Za-z][A-Za-z0-9+.-]*:"
"""A ``uri`` value starts with its scheme, as frictionless requires (RFC 3986, appendix B)."""
YEARS = (1678, 2261)
"""The whole years a pandas ``datetime64[ns]`` column can hold."""


def _convert(raw: pd.Series, field: dict[str, Any]) -> tuple[pd.Series, str]:
    """One column typed, and what a value that does not convert was expected to be.

    Stricter than frictionless by design (``tests/test_fast_path.py`` names each case): no spaces
    around a number, no ``_`` between digits, no digits of other scripts (１０), no nan or inf, no
    whole number beyond 18 digits, no date outside the years pandas can hold.
    """
    kind = field.get("type", "string")
    if kind == "integer":
        digits = raw.where(raw.str.fullmatch(INTEGER).fillna(False))
        return pd.to_numeric(digits, errors="coerce").astype("Int64"), "expected a whole number (at most 18 digits)"
    if kind == "number":
        written = raw.where(raw.str.fullmatch(NUMBER).fillna(False))
        numbers = pd.to_numeric(written, errors="coerce").astype("float64")
        return numbers.where(np.isfinite(numbers)), "expected a number (digits with an optional decimal point)"
    if kind == "date":
        dates = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")  # pandas 2 reads a date it cannot hold as NaT
        held = dates.where(dates.dt.year.between(*YEARS))
        return held.astype("datetime64[ns]"), f"expected a date written YYYY-MM-DD, in the years {YEARS[0]} to {YEARS[1]}"
    return raw, "expected text"


def header_problems(header: list[str], table_schema: dict[str, Any], file: str) -> list[Problem]:
    """Problems with a CSV header: columns missing, unexpected, or in another order than the schema.

    >>> for p in header_problems(["a", "c"], {"fields": [{"name": "a"}, {"name": "b"}]}, "t.csv"):
    ...     print(p)
    t.csv, row 1, column b: the column is missing from the header
    t.csv, row 1, column c: value 'c': unexpected column; the schema has no such field
    """
    names = [f["name"] for f in table_schema["fields"]]
    problems = [Problem(file, 1, n, None, "the column is missing from the header", "schema") for n in names if n not in header]
    problems += [Problem(file, 1, h, h, "unexpected column; the schema has no such field", "schema") for h in header if h not in names]
    if not problems and header != names:
        problems.append(Problem(file, 1, None, ",".join(header), f"columns must be in the schema's order: {','.join(names)}", "schema"))
    return problems


def to_pandera(table_schema: dict[str, Any], unique: bool = True) -> pa.DataFrameSchema:
    """A pandera schema with the same columns, dtypes, constraints and (with ``unique``) primary key.

    Validation checks a table in chunks, so it leaves the primary key to
    :mod:`~china_internet_trends.keys`, which sees every row (``unique=False``).

    A text column's dtype is checked by a column check rather than by pandera's own dtype check:
    in pandera 0.35 that check builds and formats failure cases for every string column even when
    it passes, which took a quarter of our validation time on the shipped package.

    >>> schema = to_pandera({"fields": [{"name": "rank", "type": "integer", "constraints": {"maximum": 10}}]})
    >>> schema.columns["rank"].nullable
    True
    """
    import pandera.pandas as pa

    check_supported(table_schema)
    columns = {}
    for field in table_schema["fields"]:
        dtype = pandas_dtype(field)
        columns[field["name"]] = pa.Column(
            None if dtype == TEXT else "Int64" if dtype == "int64" else dtype,
            checks=_checks(field),
            nullable=not is_required(field),
        )
    key = (table_schema.get("primaryKey") or None) if unique else None
    return pa.DataFrameSchema(columns, unique=key, strict=True, ordered=True, coerce=False)


def _checks(field: dict[str, Any]) -> list[pa.Check]:
    import pandera.pandas as pa

    constraints = field.get("constraints", {})
    checks = []
    if pandas_dtype(field) == TEXT:
        checks.append(pa.Check(lambda column: column.dtype == TEXT, error="the column's dtype must be string (Python storage)"))
    if field.get("format") == "uri":
        checks.append(pa.Check.str_matches(URI, error="must be an address that starts with its scheme, such as https://"))
    if "enum" in constraints:
        allowed = constraints["enum"]
        checks.append(pa.Check.isin(allowed, error=f"must be one of: {', '.join(map(str, allowed))}"))
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        checks.append(pa.Check.str_matches(rf"(?:{pattern})\Z", error=f"must match the pattern {pattern}"))
    if "minimum" in constraints:
        checks.append(pa.Check.ge(constraints["minimum"], error=f"must be at least {constraints['minimum']}"))
    if "maximum" in constraints:
        checks.append(pa.Check.le(constraints["maximum"], error=f"must be at most {constraints['maximum']}"))
    return checks
