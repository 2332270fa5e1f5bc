"""cit.fields(): the column dictionary, one row per field of every Table Schema."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends.dtypes import TEXT
from conftest import ROOT


def schema(name: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))


def test_one_row_per_field_of_every_table_schema():
    columns = cit.fields()
    expected = [(res["name"], field["name"]) for res in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]
                for field in schema(res["name"])["fields"]]
    assert sorted(zip(columns["table"], columns["name"])) == sorted(expected)
    assert columns["table"].iloc[0] == "editions"


def test_a_column_as_its_schema_describes_it():
    sections = cit.fields("sections").set_index("name")
    assert set(cit.fields("sections")["table"]) == {"sections"}
    parent = sections.loc["parent_id"]
    assert (parent["type"], parent["title"], parent["foreign_key"]) == ("string", "Parent", "sections.section_id")
    assert parent["description"].startswith("The chapter a subsection belongs to")
    assert not parent["required"] and not parent["primary_key"] and parent["constraints"] is pd.NA
    key = sections.loc["section_id"]
    assert key["required"] and key["primary_key"] and key["constraints"].startswith("pattern: ^[0-9]{4}")
    rank = cit.fields("events").set_index("name").loc["rank"]
    assert (rank["type"], rank["constraints"], rank["required"]) == ("integer", "minimum: 1; maximum: 10", False)
    assert cit.fields("outcomes").set_index("name").loc["observed_unit", "foreign_key"] == "units.unit"


def test_dtypes():
    columns = cit.fields()
    assert columns.dtypes.astype(str).to_dict() == {
        "table": "string", "name": "string", "type": "string", "title": "string", "description": "string",
        "required": "bool", "constraints": "string", "primary_key": "bool", "foreign_key": "string",
    }
    assert columns["name"].dtype == TEXT


def test_unknown_table_is_not_in_the_package():
    with pytest.raises(cit.NotInPackage, match="no table 'event'.*events"):
        cit.fields("event")


def test_exported_at_package_level():
    assert "fields" in cit.__all__ and cit.fields().equals(cit.open().fields())
