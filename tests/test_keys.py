"""Primary and foreign keys of more than one column, which the shipped schemas do not use: the fast
path's key checks (:mod:`china_internet_trends.keys`) find the rows frictionless finds.

The shipped package's keys are all one column, so the differential test of ``test_fast_path.py``
never meets a key with some cells empty. frictionless 5 compares such a key as it is (an empty
cell equals an empty cell), reports a key with every cell empty, and looks up a foreign key when
at least one of its cells is filled.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from china_internet_trends import keys, schema

FIELDS = [{"name": "id", "type": "integer"}, {"name": "part", "type": "string"}, {"name": "extra", "type": "string"}]
TABLES = {
    "a": ({"fields": FIELDS, "primaryKey": ["id", "part"]},
          [["1", "x", ""], ["1", "y", ""], ["1", "x", ""], ["", "x", ""], ["", "x", ""], ["", "", "only extra"]]),
    "b": ({"fields": FIELDS, "foreignKeys": [{"fields": ["id", "part"], "reference": {"resource": "a", "fields": ["id", "part"]}}]},
          [["1", "x", ""], ["1", "z", ""], ["", "z", ""], ["", "x", ""], ["", "", "no key"]]),
}


@pytest.fixture
def two_column_keys(tmp_path: Path) -> Path:
    resources = []
    for name, (table_schema, rows) in TABLES.items():
        with open(tmp_path / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows([[f["name"] for f in FIELDS], *rows])
        resources.append({"name": name, "path": f"{name}.csv", "type": "table", "format": "csv", "encoding": "utf-8",
                          "schema": table_schema})
    descriptor = {"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "name": "keys", "resources": resources}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return tmp_path


def _ours(root: Path) -> set[tuple[str, int, str]]:
    frames, origins = {}, {}
    for name, (table_schema, rows) in TABLES.items():
        text = pd.read_csv(root / f"{name}.csv", dtype="string", keep_default_na=False).replace("", pd.NA)
        frames[name], problems = schema.coerce(text, table_schema, [(f"{name}.csv", n) for n in range(2, len(rows) + 2)])
        origins[name] = [(f"{name}.csv", n) for n in range(2, len(rows) + 2)]
        assert problems == []
    found = set()
    for name, (table_schema, _) in TABLES.items():
        found |= {(name, p.row, "primary-key") for p in keys.duplicate_keys(frames[name], table_schema, origins[name])}
        found |= {(name, p.row, "foreign-key") for p in keys.broken_references(name, frames[name], table_schema, origins[name], frames)}
    return found


def test_two_column_keys_get_the_rows_frictionless_gets(two_column_keys: Path):
    report = frictionless.validate(str(two_column_keys / "datapackage.json"))
    theirs = {(task.name, error.row_number, error.type) for task in report.tasks for error in task.errors}
    assert theirs == {("a", 4, "primary-key"), ("a", 6, "primary-key"), ("a", 7, "primary-key"),
                      ("b", 3, "foreign-key"), ("b", 4, "foreign-key")}  # (,x) in b finds a's row (,x)
    assert _ours(two_column_keys) == theirs


def test_an_empty_key_and_a_repeated_partial_key_read_as_such(two_column_keys: Path):
    table_schema, rows = TABLES["a"]
    frame, _ = schema.coerce(pd.DataFrame(rows, columns=["id", "part", "extra"], dtype="string").replace("", pd.NA), table_schema,
                             [("a.csv", n) for n in range(2, 8)])
    messages = {p.row: (p.value, p.message) for p in keys.duplicate_keys(frame, table_schema, [("a.csv", n) for n in range(2, 8)])}
    assert messages == {4: ("1,x", "duplicate key: row 2 of a.csv has the same id, part"),
                        6: (",x", "duplicate key: row 5 of a.csv has the same id, part"),
                        7: (None, keys.EMPTY_KEY)}
