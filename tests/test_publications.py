"""ISC's July reports (《中国互联网发展报告》): a publication of their own, apart from the January
editions, whose figures come out of cit.series() and cit.figures() with origin "publication"."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import china_internet_trends as cit
from conftest import ROOT, edit_cell, read_rows

PUBLICATIONS = read_rows(ROOT / "datasets" / "publications.csv")
SOURCES = read_rows(ROOT / "datasets" / "sources.csv")
OBSERVATIONS = read_rows(ROOT / "datasets" / "observations.csv")
COPIES = [row for row in SOURCES if row["publication"]]


def _from(publication_id: str) -> list[dict[str, str]]:
    """The observations whose source is a copy of ``publication_id``."""
    copies = {row["source_id"] for row in COPIES if row["publication"] == publication_id}
    return [row for row in OBSERVATIONS if row["source_id"] in copies]


def test_one_row_per_july_report_the_package_documents():
    years = {row["publication_id"]: int(row["reviews_year"]) for row in PUBLICATIONS}
    assert years == {"isc-cidr-2018": 2017, "isc-cidr-2020": 2019, "isc-cidr-2021": 2020, "isc-cidr-2022": 2021,
                     "isc-cidr-2024": 2023, "isc-cidr-2025": 2024}
    for row in PUBLICATIONS:
        assert row["publisher"] == "中国互联网协会", row["publication_id"]
        assert row["publication_id"] == f"isc-cidr-{int(row['reviews_year']) + 1}"
        if row["title_zh"]:
            assert row["title_zh"].startswith("中国互联网发展报告") and str(int(row["reviews_year"]) + 1) in row["title_zh"]
        else:
            assert "Chinese title" in row["note"], "an empty title says why"
    loaded = cit.load("publications")
    assert loaded["publication_id"].tolist() == [row["publication_id"] for row in PUBLICATIONS]
    assert str(loaded["released"].dtype) == "datetime64[ns]" and str(loaded["reviews_year"].dtype) == "int64"


def test_every_publication_has_marked_sources_and_its_title_is_in_them():
    for row in PUBLICATIONS:
        copies = [source for source in COPIES if source["publication"] == row["publication_id"]]
        assert copies, f"{row['publication_id']} has no source marked as a copy of it"
        if row["title_zh"]:
            assert any(row["title_zh"] in source["title"] + " " + source["note"] for source in copies), row["publication_id"]
        for source in copies:
            assert re.match(r"^https?://\S+$", source["url"]), source["source_id"]
            assert source["reliability"] in {"primary", "secondary", "low"}
            assert not source["edition"], "a copy of a July report is not a copy of a January edition"


def test_the_known_copies_are_marked_and_point_to_existing_publications():
    marked = {row["source_id"]: row["publication"] for row in COPIES}
    assert marked["stat-isc-2021-zhitongcaijing"] == "isc-cidr-2021"
    assert marked["stat-isc-2018-boaoxuexiao"] == "isc-cidr-2018"
    assert set(marked.values()) <= {row["publication_id"] for row in PUBLICATIONS}
    sources = cit.sources().set_index("source_id")
    assert sources.loc["stat-isc-2022-fx361", "publication"] == "isc-cidr-2022"
    assert pd.isna(sources.loc["isc-2017-report", "publication"])


def test_the_cyberspace_administration_blue_book_is_not_among_them():
    for row in PUBLICATIONS:
        assert row["publisher"] == "中国互联网协会"
        assert "Cyberspace" not in row["title_en"] and "乌镇" not in (row["released_at"] or "")
    for source in COPIES:
        text = f"{source['publisher']} {source['title']}"
        assert not re.search(r"网信办|网络空间研究院|Cyberspace|乌镇|Wuzhen|蓝皮书", text), source["source_id"]
    # the blue book's digital economy figures for 2018 and 2019 (31.3万亿, 35.8万亿) are not held as ISC's
    held = {(row["value"], row["unit"]) for row in OBSERVATIONS if row["series_id"] == "digital_economy_scale"}
    assert held == {("39.2", "万亿元"), ("45.5", "万亿元")}


def test_a_publication_with_no_figures_is_still_listed():
    empty = [row["publication_id"] for row in PUBLICATIONS if not _from(row["publication_id"])]
    assert empty == ["isc-cidr-2020", "isc-cidr-2025"]
    for publication_id in empty:
        [row] = [row for row in PUBLICATIONS if row["publication_id"] == publication_id]
        assert "no figures" in row["holdings"]
    assert len(cit.load("publications")) == len(PUBLICATIONS)


def test_holdings_count_the_figures_held():
    words = {1: "one", 5: "five", 11: "eleven", 12: "twelve"}
    for row in PUBLICATIONS:
        held = len(_from(row["publication_id"]))
        if held:
            assert row["holdings"].startswith(f"{words[held]} headline figure"), (row["publication_id"], held)


@pytest.mark.parametrize(("series_id", "row_id", "publication"), [
    ("internet_users", "O0396", "isc-cidr-2021"),
    ("digital_economy_scale", "O0409", "isc-cidr-2022"),
    ("users_5g_network_isc", "O0166", "isc-cidr-2021"),
    ("fixed_broadband_subscribers", "O0082", "isc-cidr-2018"),
])
def test_a_publication_figure_comes_out_of_series_with_its_origin(series_id, row_id, publication):
    points = cit.series(series_id).set_index("row_id")
    point = points.loc[row_id]
    assert point["origin"] == "publication" and point["publication"] == publication
    assert pd.isna(point["edition"])
    others = points[points["origin"] != "publication"]
    assert others["publication"].isna().all()
    assert set(others["origin"]) <= {"edition", "observation"}


def test_isc_and_cnnic_stand_side_by_side_in_one_series():
    points = cit.series("internet_users")
    end_2020 = points[points["period_end"] == pd.Timestamp("2020-12-31")].set_index("row_id")
    assert end_2020.loc["O0010", "origin"] == "observation" and end_2020.loc["O0396", "origin"] == "publication"
    assert end_2020.loc["O0010", "base_value"] == end_2020.loc["O0396", "base_value"] == 989_000_000


def test_figures_mark_every_observation_of_a_copy_and_nothing_else():
    table = cit.figures().set_index("row_id")
    copies = {row["source_id"]: row["publication"] for row in COPIES}
    for row in OBSERVATIONS:
        figure = table.loc[row["observation_id"]]
        if row["source_id"] in copies:
            assert figure["origin"] == "publication" and figure["publication"] == copies[row["source_id"]]
        else:
            assert figure["origin"] == "observation" and pd.isna(figure["publication"])
    assert table.loc[table["origin"] == "edition", "publication"].isna().all()
    assert str(table["publication"].dtype) == "string"


def test_notes_name_the_report_and_the_printed_text():
    for row in OBSERVATIONS:
        copy = next((source for source in COPIES if source["source_id"] == row["source_id"]), None)
        if copy is None or int(row["observation_id"][1:]) < 388:
            continue
        [publication] = [p for p in PUBLICATIONS if p["publication_id"] == copy["publication"]]
        assert row["note"].startswith(f"ISC 《{publication['title_zh']}》"), row["observation_id"]
        assert "Printed as " in row["note"], row["observation_id"]


def test_a_source_pointing_to_an_unknown_publication_is_a_broken_key(package_copy):
    sources = package_copy / "datasets" / "sources.csv"
    row = next(i + 2 for i, source in enumerate(read_rows(sources)) if source["source_id"] == "stat-isc-2022-fx361")
    edit_cell(sources, row, "publication", "isc-cidr-2099")
    problems = cit.open(package_copy).validate(frictionless=False).to_frame()
    assert ((problems["code"] == "foreign-key") & problems["message"].str.contains("isc-cidr-2099")).any()
