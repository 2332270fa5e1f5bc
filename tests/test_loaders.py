"""Loaders return typed, plain, cached frames, filterable by edition."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import tables
from conftest import ROOT, edit_cell, read_rows

ALL_TABLES = tuple(cit.open().tables)


@pytest.mark.parametrize("name", ALL_TABLES)
def test_every_table_loads_with_plain_columns_and_no_key_index(name):
    frame = tables.load(name)
    assert isinstance(frame.index, pd.RangeIndex)
    csv_rows = sum(len(read_rows(ROOT / p)) for p in _paths(name))
    assert len(frame) == csv_rows


def _paths(name):
    import json

    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r["name"] == name)
    return res["path"] if isinstance(res["path"], list) else [res["path"]]


def test_filter_by_edition_keeps_only_that_edition():
    all_sections = cit.sections()
    sections_2017 = cit.sections(2017)
    assert set(sections_2017["edition"]) == {2017}
    assert len(sections_2017) == (all_sections["edition"] == 2017).sum()
    with pytest.raises(cit.UnknownEdition, match="edition 1999 is not in the package"):
        cit.events(1999)  # an edition the package does not have is an error, not an empty frame


def test_loaders_return_copies_so_callers_cannot_corrupt_the_cache():
    first = cit.events(2017)
    first.loc[0, "title_en"] = "changed"
    assert cit.events(2017).loc[0, "title_en"] != "changed"


def test_an_answer_after_an_edit_is_fresh(package_copy):
    p = cit.open(package_copy)
    before = p.editions()
    edit_cell(package_copy / "datasets" / "editions.csv", 2, "note", "edited")
    assert before["note"].iloc[0] != "edited"
    assert p.editions()["note"].iloc[0] == "edited"
    assert cit.editions(path=package_copy)["note"].iloc[0] == "edited"


def test_base_values_come_from_the_units_table():
    figures = cit.indicators(2017, with_base=True)
    units = {r["unit"]: r for r in read_rows(ROOT / "datasets" / "units.csv")}
    for row in figures.itertuples():
        expected = row.value * float(units[row.unit]["scale"])
        assert row.base_value == pytest.approx(expected)
        assert row.base_unit == units[row.unit]["base_unit"]
    households = figures[figures["series_id"] == "fixed_broadband_households"].iloc[0]
    assert households["base_value"] == pytest.approx(32115.7 * 10_000)


def test_loader_raises_the_documented_error_with_a_report(package_copy):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 3, "rank", "two")
    with pytest.raises(cit.DataPackageError) as caught:
        cit.events(path=package_copy)
    problem = caught.value.report.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == ("datasets/2017/events.csv", 3, "rank", "two")


def test_import_stays_light():
    code = "import sys, china_internet_trends; print(sorted(m for m in ('frictionless', 'pandera', 'jieba', 'rich', 'tabulate') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
