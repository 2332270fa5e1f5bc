"""DATA.md shows the hedges and the glossary as the package holds them; series breaks reach cit.series."""

from __future__ import annotations

import re

import china_internet_trends as cit
from conftest import ROOT, read_rows


def _table_after(header: str) -> list[list[str]]:
    """The rows of the markdown table that starts with ``header`` in DATA.md, cells stripped."""
    block = (ROOT / "DATA.md").read_text(encoding="utf-8").split(header)[1].split("\n\n")[0]
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in block.strip().splitlines()[1:]]


def test_the_hedge_table_in_data_md_is_the_hedges_table():
    documented = {(re.sub(r"`| \(.*\)", "", hedge), certainty.strip("`")) for hedge, certainty, _ in _table_after("| hedge | certainty | claim_en says |")}
    assert documented == {(row["hedge"], row["certainty"]) for row in read_rows(ROOT / "datasets" / "hedges.csv")}


def test_the_glossary_in_data_md_is_the_glossary_table():
    documented = [(zh, en.replace(" / ", "|")) for zh, en in _table_after("| term | English |")]
    assert documented == [(row["term_zh"], row["term_en"]) for row in read_rows(ROOT / "datasets" / "glossary.csv")]


def test_a_break_in_definition_starts_a_new_segment_of_the_series():
    points = cit.series("mobile_broadband_users").set_index("row_id")
    breaks = points[points["break_note"].notna()]
    assert "O0138" in breaks.index and "resale" in breaks.loc["O0138", "break_note"]
    before = points[points["period_end"] < points.loc["O0138", "period_end"]]
    assert (before["segment"] == 0).all() and "2017-I010" in before.index
    assert points.loc["O0138", "segment"] == 1
    assert set(points["counted_by"]) == {cit.series_table().set_index("series_id").loc["mobile_broadband_users", "counted_by"]}


def test_the_readme_lists_every_table_of_the_descriptor_with_its_files():
    """The README's table of tables names each resource of datapackage.json once, with where its rows are."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("| table | one row per | where |")[1].split("\n\n")[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in block.strip().splitlines()[1:]]
    listed = {name.strip("`"): where.strip("`") for name, _, where in rows}
    p = cit.open()
    assert sorted(listed) == sorted(p.tables) and len(rows) == len(listed)
    for name in p.tables:
        expected = "datasets/<edition>/" if name in p.edition_tables else "datasets/"
        assert listed[name] == f"{expected}{name}.csv", name
