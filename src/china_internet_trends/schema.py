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

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .dtypes import TEXT
from .errors import Problem
from .keys import foreign_keys, primary_key

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
    """Check a Table Schema as data before anything uses it; raise :class:`UnsupportedSchemaFeature`
    naming the first thing that is malformed or that the bridge cannot translate.

    Every property must have the JSON type the Table Schema standard gives it (``constraints`` an
    object, ``enum`` a list…), keys must name the schema's fields, and a ``pattern`` must compile
    and must not repeat a part that itself repeats or alternates, as in ``(a+)+``: such a pattern
    can take exponential time on one cell (in frictionless too, which would hang).

    >>> check_supported({"fields": [{"name": "x", "type": "year"}]})
    Traceback (most recent call last):
    ...
    china_internet_trends.schema.UnsupportedSchemaFeature: field 'x': type 'year' is not supported
    >>> check_supported({"fields": [{"name": "x", "constraints": {"pattern": "(a+)+$"}}]})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    china_internet_trends.schema.UnsupportedSchemaFeature: field 'x': pattern '(a+)+$' repeats a part that itself repeats...
    """
    _expect(isinstance(table_schema, dict), "a Table Schema must be a JSON object")
    unknown = set(table_schema) - SCHEMA_KEYS
    _expect(not unknown, f"schema keys not supported: {sorted(unknown)}")
    for key in ("title", "description"):
        _expect(isinstance(table_schema.get(key, ""), str), f"{key} must be text")
    if table_schema.get("missingValues", [""]) != [""]:
        raise UnsupportedSchemaFeature(f"missingValues {table_schema['missingValues']!r}: only the default [\"\"] (an empty cell) is supported")
    fields = table_schema.get("fields")
    _expect(isinstance(fields, list) and fields and all(isinstance(f, dict) for f in fields), "fields must be a list of field objects")
    names = [field.get("name") for field in fields]
    _expect(all(isinstance(name, str) and name for name in names), "every field needs a name, as text")
    _expect(all(name.isprintable() for name in names), "a field name may not hold a control character (a NUL, a newline…)")
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    _expect(not repeated, f"field names repeat: {repeated[:5]}")
    for field in fields:
        _check_field(field)
    _check_key(table_schema.get("primaryKey", []), set(names), "primaryKey")
    foreign_keys = table_schema.get("foreignKeys", [])
    _expect(isinstance(foreign_keys, list), "foreignKeys must be a list")
    for foreign in foreign_keys:
        _expect(isinstance(foreign, dict) and isinstance(foreign.get("reference"), dict), "each foreign key needs fields and a reference object")
        reference = foreign["reference"]
        _expect(isinstance(reference.get("resource", ""), str), "a foreign key's reference.resource must be a resource name")
        own = _check_key(foreign.get("fields"), set(names), "foreignKeys.fields")
        target = _check_key(reference.get("fields"), None, "foreignKeys.reference.fields")
        _expect(own and len(own) == len(target), "a foreign key needs as many fields as its reference has")


def _check_field(field: dict[str, Any]) -> None:
    name = field["name"]
    where = f"field {name!r}"
    unknown = set(field) - FIELD_KEYS
    _expect(not unknown, f"{where}: keys not supported: {sorted(unknown)}")
    for key in ("title", "description"):
        _expect(isinstance(field.get(key, ""), str), f"{where}: {key} must be text")
    kind = field.get("type", "string")
    _expect(isinstance(kind, str) and kind in TYPES, f"{where}: type {kind!r} is not supported")
    form = field.get("format")
    _expect((form is None or isinstance(form, str)) and form in FORMATS, f"{where}: format {form!r} is not supported")
    constraints = field.get("constraints", {})
    _expect(isinstance(constraints, dict), f"{where}: constraints must be an object, not {type(constraints).__name__}")
    unknown = set(constraints) - CONSTRAINTS
    _expect(not unknown, f"{where}: constraints not supported: {sorted(unknown)}")
    _expect(isinstance(constraints.get("required", False), bool), f"{where}: required must be true or false")
    if "enum" in constraints:
        enum = constraints["enum"]
        _expect(isinstance(enum, list) and enum and all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in enum),
                f"{where}: enum must be a list of values")
    if "pattern" in constraints:
        _check_pattern(where, constraints["pattern"], kind)
    for bound in ("minimum", "maximum"):
        if bound in constraints:
            value = constraints[bound]
            _expect(kind in ("integer", "number") and isinstance(value, (int, float)) and not isinstance(value, bool),
                    f"{where}: {bound} must be a number, on an integer or number field")
            _expect(math.isfinite(value), f"{where}: {bound} must be a finite number, not {value!r}")


def _check_key(key: object, names: set[str] | None, what: str) -> list[str]:
    """The key as a list of field names (a string is one name); ``names``, when given, are the fields it may name."""
    columns = [key] if isinstance(key, str) else key
    _expect(isinstance(columns, list) and all(isinstance(c, str) for c in columns), f"{what} must be a field name or a list of them")
    unknown = [c for c in columns if names is not None and c not in names]
    _expect(not unknown, f"{what} names fields the schema does not have: {unknown[:5]}")
    return columns


MAX_PATTERN = 1000
"""The longest ``pattern`` accepted, in characters."""


def _check_pattern(where: str, pattern: object, kind: str) -> None:
    """A pattern must be text on a string field, compile, and not nest repetition (see :func:`check_supported`).

    Why by hand: Python's ``re`` has no time limit, and this is the one shape of pattern known to
    make it (and frictionless) backtrack for ever; ``re._parser`` gives the parse tree it uses.
    """
    import re
    import re._parser as parser

    _expect(kind == "string" and isinstance(pattern, str) and len(pattern) <= MAX_PATTERN,
            f"{where}: pattern must be text of at most {MAX_PATTERN} characters, on a string field")
    try:
        tree = parser.parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        raise UnsupportedSchemaFeature(f"{where}: pattern {pattern!r} is not a regular expression: {exc}") from None
    _expect(not _nested_repetition(tree), f"{where}: pattern {pattern!r} repeats a part that itself repeats or has alternatives, "
                                          "which can take exponential time to match; write it without nesting (e.g. (a+)+ as a+)")


def _nested_repetition(items: Any, inside_repeat: bool = False) -> bool:
    """Whether a parsed pattern repeats (more than once) a part that holds a repetition or an alternation."""
    import re._constants as sre

    repeats = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))
    for op, arg in items:
        if op in repeats:
            _, high, sub = arg
            many = high is sre.MAXREPEAT or high > 1
            if (inside_repeat and many) or _nested_repetition(sub, inside_repeat or many):
                return True
        elif op is sre.BRANCH:
            if inside_repeat or any(_nested_repetition(alternative, inside_repeat) for alternative in arg[1]):
                return True
        elif op is sre.SUBPATTERN:
            if _nested_repetition(arg[3], inside_repeat):
                return True
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if _nested_repetition(arg[1], inside_repeat):
                return True
    return False


def _expect(condition: object, message: str) -> None:
    if not condition:
        raise UnsupportedSchemaFeature(message)


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

    ``text`` holds strings with empty cells missing (as :func:`~china_internet_trends.csvfile.read_raw`
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
        empty = typed.isna().to_numpy()
        for position in np.flatnonzero(~raw.isna().to_numpy() & empty):
            file, row = origins[position]
            problems.append(Problem(file, row, name, str(raw.iloc[position]), expected, "schema", "type"))
        complete = pandas_dtype(field) == "int64" and not empty.any()
        columns[name] = typed.astype("int64") if complete else typed
    return pd.DataFrame(columns, index=text.index), problems


INTEGER = r"[+-]?[0-9]{1,18}"
"""A whole number as this package writes it: ASCII digits, an optional sign, at most 18 digits (int64)."""
_INTEGER = re.compile(INTEGER)
NUMBER = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"
"""A number as this package writes it: ASCII digits, an optional sign, decimal point and exponent."""
WEB_ADDRESS = r"https?://[^\s\x00-\x1f\x7f-\x9f]+"
"""A ``uri`` value of this package: a web address, http or https, with no whitespace or control
character anywhere (a browser drops tabs and newlines, so ``java\tscript:`` is a scheme too). Any
other scheme (``javascript:``, ``data:``, ``vbscript:``, ``file:``…) is refused, so that no page made
from the package links to a script."""
CONTROL_CHARACTERS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
"""The characters no text of the package may hold, as the inside of a regular-expression class: the
C0 controls but tab and line feed (ESC starts a terminal's escape sequences, CR sends its cursor
back to write over the line), DEL, the C1 controls (U+009B does what ESC [ does) and the bidirectional embeddings,
overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a reader sees."""
INVISIBLE = "\u200b-\u200f\u2060\ufeff\u061c"
"""The characters that show nothing, which no key may hold: the zero-width space, non-joiner and
joiner (U+200B–U+200D), the left-to-right, right-to-left and Arabic letter marks (U+200E, U+200F,
U+061C), the word joiner (U+2060) and the byte order mark (U+FEFF)."""
KEY_TEXT = rf"(?![^\S{CONTROL_CHARACTERS}])[^{INVISIBLE}]*(?<![^\S{CONTROL_CHARACTERS}])\Z"
"""A key as it may be written: no :data:`INVISIBLE` character, and no whitespace of any kind (a
space, U+00A0, U+3000, U+2028, a tab, a line feed…) at either end, so that no two keys look the
same. The whitespace and bidirectional controls that are :data:`CONTROL_CHARACTERS` are left to the
check every text has, so that each bad cell is one problem."""
YEARS = (1678, 2261)
"""The whole years a pandas ``datetime64[ns]`` column can hold."""


def _convert(raw: pd.Series, field: dict[str, Any]) -> tuple[pd.Series, str]:
    """One column typed, and what a value that does not convert was expected to be.

    Stricter than frictionless by design (``tests/test_fast_path.py`` names each case): no spaces
    around a number, no ``_`` between digits, no digits of other scripts (１０), no nan or inf, no
    whole number beyond 18 digits, no date outside the years pandas can hold.
    """
    kind = field.get("type", "string")
    if kind == "integer":  # at most 18 digits, so int() and pandas' to_numeric read the same number; a list is quicker on tables this small
        whole = _INTEGER.fullmatch
        values = [int(value) if isinstance(value, str) and whole(value) else None for value in raw.tolist()]
        return pd.Series(pd.array(values, dtype="Int64"), index=raw.index, name=raw.name), "expected a whole number (at most 18 digits)"
    if kind == "number":
        written = raw.where(raw.str.fullmatch(NUMBER).fillna(False))
        numbers = pd.to_numeric(written, errors="coerce").astype("float64")
        return numbers.where(np.isfinite(numbers)), "expected a number (digits with an optional decimal point)"
    if kind == "date":
        dates = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")  # pandas 2 reads a date it cannot hold as NaT
        held = dates.where(dates.dt.year.between(*YEARS))
        return held.astype("datetime64[ns]"), f"expected a date written YYYY-MM-DD, in the years {YEARS[0]} to {YEARS[1]}"
    return raw, "expected text"


MAX_LISTED = 20
"""The most unexpected columns of one header listed one by one; the rest are counted."""


def header_problems(header: list[str], table_schema: dict[str, Any], file: str) -> list[Problem]:
    """Problems with a CSV header: columns missing, unexpected, or in another order than the schema.

    >>> for p in header_problems(["a", "c"], {"fields": [{"name": "a"}, {"name": "b"}]}, "t.csv"):
    ...     print(p)
    t.csv, row 1, column b: the column is missing from the header
    t.csv, row 1, column c: value 'c': unexpected column; the schema has no such field
    """
    names = [f["name"] for f in table_schema["fields"]]
    present, known = set(header), set(names)
    problems = [Problem(file, 1, n, None, "the column is missing from the header", "schema", "missing-column") for n in names if n not in present]
    unexpected = [h for h in header if h not in known]
    problems += [Problem(file, 1, h, h, "unexpected column; the schema has no such field", "schema", "unexpected-column") for h in unexpected[:MAX_LISTED]]
    if len(unexpected) > MAX_LISTED:
        problems.append(Problem(file, 1, None, None, f"and {len(unexpected) - MAX_LISTED:,} more unexpected columns", "schema", "unexpected-column"))
    if not problems and header != names:
        problems.append(Problem(file, 1, None, ",".join(header), f"columns must be in the schema's order: {','.join(names)}", "schema", "column-order"))
    return problems


def to_pandera(table_schema: dict[str, Any], unique: bool = True) -> pa.DataFrameSchema:
    """A pandera schema with the same columns, dtypes, constraints and (with ``unique``) primary key.

    Validation checks a table in chunks, so it leaves the primary key to
    :mod:`~china_internet_trends.keys`, which sees every row (``unique=False``). The text of the
    key fields (the primary key's and the foreign keys') is checked as a key (:func:`_checks`).

    A text column's dtype is checked by a column check rather than by pandera's own dtype check:
    in pandera 0.35 that check builds and formats failure cases for every string column even when
    it passes, which took a quarter of our validation time on the shipped package.

    >>> schema = to_pandera({"fields": [{"name": "rank", "type": "integer", "constraints": {"maximum": 10}}]})
    >>> schema.columns["rank"].nullable
    True
    """
    import pandera.pandas as pa

    check_supported(table_schema)
    key_fields = set(primary_key(table_schema)) | {name for fields, _, _ in foreign_keys(table_schema) for name in fields}
    columns = {}
    for field in table_schema["fields"]:
        dtype = pandas_dtype(field)
        columns[field["name"]] = pa.Column(
            None if dtype == TEXT else "Int64" if dtype == "int64" else dtype,
            checks=_checks(field, key=field["name"] in key_fields),
            nullable=not is_required(field),
        )
    key = (table_schema.get("primaryKey") or None) if unique else None
    return pa.DataFrameSchema(columns, unique=key, strict=True, ordered=True, coerce=False)


def _checks(field: dict[str, Any], key: bool = False) -> list[pa.Check]:
    """The pandera checks of a field, each named by the :attr:`Problem.code` its failures get; ``key``
    when the field is part of a key. Every text is checked for :data:`CONTROL_CHARACTERS`
    (``control-character``) and a key's text as :data:`KEY_TEXT` (``key-text``).

    >>> [check.name for check in _checks({"name": "unit"}, key=True)]
    ['dtype', 'control-character', 'key-text']
    """
    import pandera.pandas as pa

    constraints = field.get("constraints", {})
    checks = []
    if pandas_dtype(field) == TEXT:
        checks.append(pa.Check(lambda column: column.dtype == TEXT, name="dtype", error="the column's dtype must be string (Python storage)"))
        checks.append(pa.Check(_matches(rf"[^{CONTROL_CHARACTERS}]*\Z"), name="control-character",
                                           error="must not hold a control character (tab and line feed are allowed), "
                                                 "nor a character that reorders text (U+202A–U+202E, U+2066–U+2069)"))
        if key:
            checks.append(pa.Check(_matches(KEY_TEXT), name="key-text",
                                               error="a key must not start or end with whitespace (a space, U+00A0, U+3000…) "
                                                     "nor hold a zero-width or direction mark (U+200B–U+200F, U+2060, U+FEFF, U+061C)"))
    if field.get("format") == "uri":
        checks.append(pa.Check.str_matches(rf"(?:{WEB_ADDRESS})\Z", name="web-address",
                                           error="must be a web address: http:// or https:// and the address, with no space or control character"))
    if "enum" in constraints:
        allowed = constraints["enum"]
        checks.append(pa.Check.isin(allowed, name="enum", error=f"must be one of: {', '.join(map(str, allowed))}"))
    if "pattern" in constraints:
        pattern = constraints["pattern"]
        checks.append(pa.Check.str_matches(rf"(?:{pattern})\Z", name="pattern", error=f"must match the pattern {pattern}"))
    if "minimum" in constraints:
        checks.append(pa.Check.ge(constraints["minimum"], name="minimum", error=f"must be at least {constraints['minimum']}"))
    if "maximum" in constraints:
        checks.append(pa.Check.le(constraints["maximum"], name="maximum", error=f"must be at most {constraints['maximum']}"))
    return checks


def _matches(pattern: str) -> Callable[[pd.Series], pd.Series]:
    """A vectorised check that each text matches ``pattern`` from its start (an empty cell passes).

    Not pandera's ``Check.str_matches``: under pandera 0.24 a built-in check fails with "Backend not
    found" in the first table a process validates, and every text column now has these checks.

    >>> _matches(r"[a-z]*\\Z")(pd.Series(["ab", "a1", None], dtype="string")).tolist()
    [True, False, True]
    """
    compiled = re.compile(pattern)
    return lambda column: column.str.match(compiled).fillna(True).astype(bool)


def is_web_address(value: object) -> bool:
    """Whether ``value`` is a web address (:data:`WEB_ADDRESS`); the HTML report links only these.

    >>> is_web_address("https://www.isc.org.cn/"), is_web_address("javascript:alert(1)//https://x"), is_web_address(" https://x")
    (True, False, False)
    """
    return isinstance(value, str) and re.fullmatch(WEB_ADDRESS, value) is not None
