"""MIIT's series follow its annual 《通信业统计公报》 (《通信运营业统计公报》 to 2016), bulletin by bulletin.

Each bulletin, released in January or February, gives the year-end stocks (fixed broadband
subscribers, 4G and 5G users, base stations) and the year's mobile internet access traffic (a flow).
For every series the table below says from which bulletin year the series is expected and which
years have no year-end point in the package because no copy of the figure was found. When a
missing figure is found and added, take its year out of the set.

Some year-end points come from another MIIT release of the same figure (the minister's press
conference for end-2017 4G users, O0154; the radio-administration report for 2018, O0155, O0182,
O0192, O0309) or from a report quoting MIIT (O0082, O0185, O0199, O0310, and the CNNIC reports
behind O0187, O0201, O0203, O0205, O0312); they count as the year's point.
"""

from __future__ import annotations

import calendar
from datetime import date

import pytest

from conftest import ROOT, read_rows

LATEST = 2025

# series: (first bulletin year expected, bulletin years whose year-end figure was not found)
EXPECTED = {
    "fixed_broadband_subscribers": (2013, {2013, 2014, 2018, 2021, 2024}),
    # 4G licences were issued in December 2013; the bulletins stop quoting 4G users after 2020.
    "users_4g": (2014, {2014}),
    # 5G移动电话用户 from the 2021 bulletin; the earlier 5G手机终端连接数 is connections_5g_terminal.
    "users_5g_phone": (2021, {2023}),
    # The 2025 bulletin gives the 5G share of all base stations but not the total (O0210).
    "base_stations_mobile": (2013, {2013, 2014, 2015, 2017, 2023, 2025}),
    "base_stations_4g": (2014, {2014, 2015, 2017, 2020, 2022, 2023, 2025}),
    "base_stations_5g": (2019, set()),
    "mobile_internet_traffic": (2013, {2013, 2014, 2016, 2023, 2024, 2025}),
}
LAST = {"users_4g": 2020}
FLOWS = {"mobile_internet_traffic"}
NEW_IDS = range(500, 650)  # O0500..O0649: the rows added from the bulletins


def _rows(series_id: str) -> list[dict[str, str]]:
    rows = read_rows(ROOT / "datasets" / "observations.csv")
    return [row for row in rows if row["series_id"] == series_id and row["entity_id"] == "china"]


def _year_end_points(series_id: str) -> dict[int, list[dict[str, str]]]:
    points: dict[int, list[dict[str, str]]] = {}
    for row in _rows(series_id):
        end = date.fromisoformat(row["period_end"])
        if (end.month, end.day) == (12, 31):
            points.setdefault(end.year, []).append(row)
    return points


@pytest.mark.parametrize("series_id", sorted(EXPECTED))
def test_every_bulletin_year_has_a_year_end_point(series_id):
    first, missing = EXPECTED[series_id]
    last = LAST.get(series_id, LATEST)
    found = {year for year in _year_end_points(series_id) if first <= year <= last}
    assert missing <= set(range(first, last + 1))
    assert found == set(range(first, last + 1)) - missing


@pytest.mark.parametrize("series_id", sorted(EXPECTED))
def test_kind_in_the_series_table(series_id):
    kinds = {row["series_id"]: row["kind"] for row in read_rows(ROOT / "datasets" / "series.csv")}
    assert kinds[series_id] == ("flow" if series_id in FLOWS else "stock")


@pytest.mark.parametrize("series_id", sorted(EXPECTED))
def test_periods_of_stocks_and_flows(series_id):
    for row in _rows(series_id):
        start, end = date.fromisoformat(row["period_start"]), date.fromisoformat(row["period_end"])
        if series_id in FLOWS:
            # A flow runs from 1 January to the end of a month of the same year (a partial year when
            # MIIT's monthly report is the only source, a whole year from a bulletin).
            assert (start.month, start.day, start.year) == (1, 1, end.year), row["observation_id"]
            assert end.day == calendar.monthrange(end.year, end.month)[1], row["observation_id"]
        else:
            assert start == end, row["observation_id"]


@pytest.mark.parametrize("series_id", sorted(FLOWS))
def test_a_year_of_traffic_is_the_whole_year(series_id):
    for year, rows in _year_end_points(series_id).items():
        for row in rows:
            assert row["period_start"] == f"{year}-01-01", row["observation_id"]


def test_rows_from_the_bulletins_name_their_bulletin():
    sources = {row["source_id"]: row for row in read_rows(ROOT / "datasets" / "sources.csv")}
    new = [
        row
        for row in read_rows(ROOT / "datasets" / "observations.csv")
        if int(row["observation_id"][1:]) in NEW_IDS
    ]
    assert new
    for row in new:
        assert row["series_id"] in EXPECTED, row["observation_id"]
        year = row["period_end"][:4]
        assert row["period_end"].endswith("-12-31"), row["observation_id"]
        assert f"{year}年通信" in row["note"] or f"MIIT's {year} bulletin" in row["note"], row["observation_id"]
        source = sources[row["source_id"]]
        assert source["source_id"].startswith(f"stat-miit-{year}-bulletin-"), row["observation_id"]
        assert source["url"] and source["reliability"] in {"primary", "secondary", "low"}


def test_one_break_in_5g_users_where_china_broadnet_joins():
    rows = sorted(_rows("users_5g_phone"), key=lambda row: row["period_end"])
    breaks = [row for row in rows if row["break_note"]]
    assert len(breaks) == 1
    first_2024 = next(row for row in rows if row["period_end"] >= "2024-01-01")
    assert breaks[0] is first_2024 and "中国广电" in first_2024["break_note"]
