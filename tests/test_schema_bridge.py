"""The Table Schema → pandas/pandera bridge, checked against every schema the package ships."""

from __future__ import annotations

import json

import pandas as pd
import pandera.errors
import pytest

from china_internet_trends import package, schema, tables
from conftest import ROOT

SCHEMAS = sorted((ROOT / "schemas").glob("*.json"))


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.stem for p in SCHEMAS])
def test_bridge_understands_every_shipped_schema(path):
    table_schema = json.loads(path.read_text(encoding="utf-8"))
    schema.check_supported(table_schema)
    pandera_schema = schema.to_pandera(table_schema)
    assert list(pandera_schema.columns) == [f["name"] for f in table_schema["fields"]]
    loaded = tables.load(path.stem)
    pandera_schema.validate(loaded)


@pytest.mark.parametrize(
    "bad_schema",
    [
        {"fields": [{"name": "x", "type": "year"}]},
        {"fields": [{"name": "x", "type": "string", "constraints": {"unique": True}}]},
        {"fields": [{"name": "x", "type": "string", "categories": ["a"]}]},
        {"fields": [{"name": "x", "type": "date", "format": "%d/%m/%Y"}]},
        {"fields": [{"name": "x"}], "uniqueKeys": [["x"]]},
        {"fields": [{"name": "x"}], "missingValues": ["", "NA"]},
    ],
)
def test_unknown_schema_features_fail_loudly(bad_schema):
    with pytest.raises(schema.UnsupportedSchemaFeature):
        schema.to_pandera(bad_schema)


def test_dtypes_follow_the_schema():
    events = tables.load("events")
    editions = tables.load("editions")
    assert str(events["rank"].dtype) == "Int64"  # optional integer: nullable
    assert str(events["edition"].dtype) == "int64"  # required integer
    assert str(editions["published"].dtype) == "datetime64[ns]"
    assert str(tables.load("indicators")["value"].dtype) == "float64"
    assert str(events["title_zh"].dtype) == "string"


TOY = {
    "fields": [
        {"name": "code", "type": "string", "constraints": {"required": True, "pattern": "^[a-z]+$"}},
        {"name": "kind", "type": "string", "constraints": {"enum": ["a", "b"]}},
        {"name": "rank", "type": "integer", "constraints": {"minimum": 1, "maximum": 10}},
        {"name": "day", "type": "date"},
    ],
    "primaryKey": ["code"],
}


def _toy(**columns) -> pd.DataFrame:
    base = {"code": ["x"], "kind": ["a"], "rank": [1], "day": ["2017-01-01"]}
    base.update(columns)
    text = pd.DataFrame(base).astype("string")
    frame, problems = schema.coerce(text, TOY, [("toy.csv", n + 2) for n in range(len(text))])
    assert not problems
    return frame


@pytest.mark.parametrize(
    "columns, failing_check",
    [
        ({"kind": ["c"]}, "must be one of: a, b"),
        ({"code": ["X1"]}, "must match the pattern ^[a-z]+$"),
        ({"rank": [11]}, "must be at most 10"),
        ({"rank": [0]}, "must be at least 1"),
        ({"code": ["ab\n"]}, "must match the pattern ^[a-z]+$"),
    ],
)
def test_pandera_schema_enforces_constraints(columns, failing_check):
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        schema.to_pandera(TOY).validate(_toy(**columns), lazy=True)
    assert failing_check in set(caught.value.failure_cases["check"])


def test_pandera_schema_enforces_primary_key_and_required():
    frame = pd.concat([_toy(), _toy()], ignore_index=True)
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        schema.to_pandera(TOY).validate(frame, lazy=True)
    assert "multiple_fields_uniqueness" in set(caught.value.failure_cases["check"])


def test_a_text_column_of_another_dtype_fails_the_pandera_layer():
    frame = _toy()
    frame["kind"] = frame["kind"].astype(object)
    with pytest.raises(pandera.errors.SchemaErrors) as caught:
        schema.to_pandera(TOY).validate(frame, lazy=True)
    failures = caught.value.failure_cases
    assert failures.loc[failures["column"] == "kind", "check"].tolist() == ["the column's dtype must be string (Python storage)"]


def test_empty_cells_are_missing_and_a_complete_required_integer_is_plain_int64(tmp_path):
    toy = {"fields": [{"name": "code", "type": "string"}, {"name": "n", "type": "integer", "constraints": {"required": True}},
                      {"name": "m", "type": "integer"}]}
    (tmp_path / "toy.csv").write_text("code,n,m\nx,1,\n,2,3\n", encoding="utf-8")
    typed = package.read_typed(tmp_path / "datapackage.json", {"name": "toy", "path": "toy.csv", "schema": toy}, toy)
    assert typed.problems == []
    assert typed.frame["code"].isna().tolist() == [False, True]
    assert typed.frame["m"].isna().tolist() == [True, False]
    assert (str(typed.frame["n"].dtype), str(typed.frame["m"].dtype)) == ("int64", "Int64")


def test_optional_values_may_be_missing_and_dates_become_datetimes():
    text = pd.DataFrame({"code": ["x"], "kind": [pd.NA], "rank": [pd.NA], "day": ["2017-02-28"]}).astype("string")
    frame, problems = schema.coerce(text, TOY, [("toy.csv", 2)])
    assert problems == []
    assert frame["rank"].isna().all() and str(frame["rank"].dtype) == "Int64"
    assert frame["day"].iloc[0] == pd.Timestamp("2017-02-28")
    schema.to_pandera(TOY).validate(frame)


@pytest.mark.parametrize("column, value", [("rank", "1.5"), ("rank", "one"), ("day", "2017-02-30"), ("day", "28/02/2017")])
def test_coercion_reports_values_that_do_not_fit(column, value):
    text = pd.DataFrame({"code": ["x"], "kind": ["a"], "rank": ["1"], "day": ["2017-01-01"]}).astype("string")
    text.loc[0, column] = value
    _, problems = schema.coerce(text, TOY, [("toy.csv", 2)])
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [("toy.csv", 2, column, value)]
