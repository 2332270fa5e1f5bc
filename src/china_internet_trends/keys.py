"""Primary keys and foreign keys, checked on the typed tables with vectorised pandas.

frictionless checks keys row by row as it streams a file; here each table's key columns are kept
(not the whole table) and each key is checked once for all rows, which is what lets validation
skip frictionless's pass over the rows (see :mod:`~china_internet_trends.validation`). The rules
are frictionless's, so that both report the same rows:

- a row whose primary key repeats the key of an earlier row is a duplicate (the earlier row is not);
  a key with some cells empty is compared as it is, and a key with every cell empty is a problem of
  its own; text is compared in Unicode's composed form (NFC), so é written as one character and as
  e and a combining accent is one key (frictionless finds no duplicate there);
- a foreign key is checked where at least one of the row's referencing cells is filled (a partly
  empty key finds only a referenced row empty in the same cells), against the referenced table's
  rows, and not at all when that table cannot be read.

>>> events = pd.DataFrame({"event_id": ["2017-E01", "2017-E01"], "theme": ["security", "nonsense"]})
>>> table_schema = {"fields": [{"name": "event_id"}, {"name": "theme"}], "primaryKey": ["event_id"],
...                 "foreignKeys": [{"fields": ["theme"], "reference": {"resource": "themes", "fields": ["theme"]}}]}
>>> origins = [("datasets/2017/events.csv", 2), ("datasets/2017/events.csv", 3)]
>>> [str(p) for p in duplicate_keys(events, table_schema, origins)]
["datasets/2017/events.csv, row 3, column event_id: value '2017-E01': duplicate key: row 2 of datasets/2017/events.csv has the same event_id"]
>>> themes = pd.DataFrame({"theme": ["security"]})
>>> [p.value for p in broken_references("events", events, table_schema, origins, {"themes": themes})]
['nonsense']
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .dtypes import TEXT
from .errors import Problem

DUPLICATE_KEY = "duplicate key: another row has the same value"
EMPTY_KEY = "the primary key is empty; every row needs one"
"""frictionless's primary-key error in our words (the fast path names the earlier row)."""


def primary_key(table_schema: dict[str, Any]) -> list[str]:
    """The primary key's columns (Table Schema allows a string or a list)."""
    key = table_schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def foreign_keys(table_schema: dict[str, Any]) -> list[tuple[list[str], str, list[str]]]:
    """Each foreign key as (fields, referenced resource, referenced fields); "" is the table itself."""
    result = []
    for foreign in table_schema.get("foreignKeys", []):
        fields, reference = foreign["fields"], foreign["reference"]
        referenced = reference["fields"]
        result.append(([fields] if isinstance(fields, str) else list(fields), reference.get("resource", ""),
                       [referenced] if isinstance(referenced, str) else list(referenced)))
    return result


def unresolved_references(schemas: Mapping[str, dict[str, Any]], resources: set[str]) -> dict[str, str]:
    """Each table whose foreign key names a resource the package does not have, or fields its
    schema does not have, with why. A table whose referenced schema could not be read (it is in
    ``resources`` but not in ``schemas``) is not judged here: that schema's own problem is reported.

    >>> unresolved_references({"events": {"fields": [{"name": "theme"}], "foreignKeys": [
    ...     {"fields": "theme", "reference": {"resource": "themes", "fields": "code"}}]},
    ...     "themes": {"fields": [{"name": "theme"}]}}, {"events", "themes"})
    {'events': "a foreign key refers to field(s) ['code'] of themes, which its schema does not have"}
    """
    unresolved = {}
    for name, schema in schemas.items():
        for _, resource, target_fields in foreign_keys(schema):
            target = resource or name
            if target not in resources:
                unresolved[name] = f"a foreign key refers to resource {target!r}, which the package does not have"
            elif target in schemas:
                missing = [f for f in target_fields if f not in {field["name"] for field in schemas[target]["fields"]}]
                if missing:
                    unresolved[name] = f"a foreign key refers to field(s) {missing} of {target}, which its schema does not have"
    return unresolved


def key_columns(schemas: Mapping[str, dict[str, Any]]) -> dict[str, list[str]]:
    """For each table, the columns its keys read: its primary key, its foreign keys' fields, and the
    fields other tables' foreign keys point at.

    >>> key_columns({"units": {"primaryKey": ["unit"]},
    ...              "figures": {"primaryKey": "id", "foreignKeys": [{"fields": "unit", "reference": {"resource": "units", "fields": "unit"}}]}})
    {'units': ['unit'], 'figures': ['id', 'unit']}
    """
    columns = {name: primary_key(schema) + [f for fields, _, _ in foreign_keys(schema) for f in fields] for name, schema in schemas.items()}
    for name, schema in schemas.items():
        for _, resource, target_fields in foreign_keys(schema):
            columns.setdefault(resource or name, []).extend(target_fields)
    return {name: list(dict.fromkeys(fields)) for name, fields in columns.items() if name in schemas}


def duplicate_keys(frame: pd.DataFrame, table_schema: dict[str, Any], origins: Sequence[tuple[str, int]]) -> list[Problem]:
    """A problem for each row whose primary key repeats an earlier row's once text is in NFC
    (code ``duplicate-key``), or is empty in every cell (``empty-key``); in row order."""
    key = primary_key(table_schema)
    if not key or frame.empty:
        return []
    values = _key_values(_composed(frame, key), key)
    filled = _any_filled(frame, key).to_numpy()
    repeated = values.duplicated(keep="first").to_numpy() & filled
    first: dict[Any, int] = {}
    if repeated.any():
        for position, value in enumerate(values.tolist()):
            first.setdefault(value, position)
    problems = []
    for position in (repeated | ~filled).nonzero()[0]:
        file, row = origins[int(position)]
        if not filled[position]:
            problems.append(Problem(file, row, ",".join(key), None, EMPTY_KEY, "keys", "empty-key"))
            continue
        cells = [frame[k].iloc[position] for k in key]
        earlier_file, earlier_row = origins[first[values.iloc[position]]]
        problems.append(Problem(file, row, ",".join(key), ",".join("" if pd.isna(c) else str(c) for c in cells),
                                f"duplicate key: row {earlier_row} of {earlier_file} has the same {', '.join(key)}", "keys", "duplicate-key"))
    return problems


def broken_references(table: str, frame: pd.DataFrame, table_schema: dict[str, Any], origins: Sequence[tuple[str, int]],
                      referenced: Mapping[str, pd.DataFrame]) -> list[Problem]:
    """A problem for each row whose foreign key finds no row in the referenced table.

    ``referenced`` maps a resource name to (at least) its key columns; a reference to a resource not
    in it (one that cannot be read) is not checked.
    """
    problems = []
    for fields, resource, target_fields in foreign_keys(table_schema):
        target = frame if resource in ("", table) else referenced.get(resource)
        if target is None or frame.empty:
            continue
        found = _key_values(frame, fields).isin(_key_values(target, target_fields))
        for position in (_any_filled(frame, fields) & ~found).to_numpy().nonzero()[0]:
            file, row = origins[int(position)]
            value = ",".join("" if pd.isna(cell) else str(cell) for cell in (frame[field].iloc[position] for field in fields))
            name = resource or "this table"
            problems.append(Problem(file, row, ",".join(fields), value,
                                    f"broken reference: no row of {name} has {','.join(target_fields)} = {value!r}; "
                                    f"use an existing {','.join(target_fields)} or add that row", "keys", "foreign-key"))
    return problems


def _composed(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The ``columns`` of ``frame`` with each text in NFC (Unicode's composed form).

    >>> _composed(pd.DataFrame({"unit": pd.array(["e\\u0301", None], dtype=TEXT), "n": [1, 2]}), ["unit", "n"])["unit"].tolist()
    ['é', <NA>]
    """
    return frame[columns].apply(lambda column: column.map(_nfc, na_action="ignore") if column.dtype == TEXT else column)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _key_values(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """The key of each row: the column itself for a one-column key (the common case, and a fast one), a tuple otherwise."""
    if len(columns) == 1:
        return frame[columns[0]].reset_index(drop=True)
    return pd.Series(list(frame[columns].itertuples(index=False, name=None)), dtype=object)


def _any_filled(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Whether at least one cell of the key is filled (a key with every cell empty is neither compared nor looked up)."""
    filled = frame[columns[0]].notna()
    for column in columns[1:]:
        filled |= frame[column].notna()
    return filled.reset_index(drop=True)
