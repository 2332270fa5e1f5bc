"""CNNIC's headline series follow its 《中国互联网络发展状况统计报告》 report by report.

Each observation of the three headline series names its report in its note, in the form
``CNNIC 15th report (第15次《中国互联网络发展状况统计报告》)``. A report whose figure was not found is
listed below; when one is found and added, take it out of the list. An observation whose source row
has a non-empty ``publication`` column (another body's publication quoting CNNIC, such as ISC's own July
reports) is not a point of CNNIC's reports and is skipped here.

The resource series (domain names, .CN domain names, websites) are followed more sparsely: each has a
table of the reports held and of those not found.
"""

from __future__ import annotations

import re

import pytest

import china_internet_trends as cit
from conftest import ROOT, read_rows

LATEST = 57
REPORT = re.compile(r"^CNNIC (\d+)(st|nd|rd|th) report \(第(\d+)次《中国互联网络发展状况统计报告》\)")

# series: (first report held, reports from the first to the latest whose figure was not found)
EXPECTED = {
    "internet_users": (1, set()),
    "internet_penetration": (21, {33}),
    "mobile_internet_users": (21, {49, 52, 53, 54, 55, 56, 57}),
}
# Where the definition of internet_users changes: weekly users from the 7th report, half-year users by the 21st.
BREAKS = {"internet_users": {7, 21}, "internet_penetration": set(), "mobile_internet_users": set()}

# series: (reports held, reports from the first held to the latest whose figure was not found)
RESOURCES = {
    "domain_names": (
        {18, 20, 21, 26, 33, 35, 38, 45, 49, 50, 52, 54, 56},
        {19, 22, 23, 24, 25, 27, 28, 29, 30, 31, 32, 34, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 51, 53, 55, 57},
    ),
    "cn_domain_names": (
        {14, 16, 18, 20, 21, 23, 24, 26, 33, 35, 38, 45, 50, 53, 54, 56},
        {15, 17, 19, 22, 25, 27, 28, 29, 30, 31, 32, 34, 36, 37, 39, 40, 41, 42, 43, 44, 46, 47, 48, 49, 51, 52, 55,
         57},
    ),
    "websites_cnnic": (
        {20, 26, 33, 35, 39, 43, 45, 46, 47, 51, 53, 55},
        {21, 22, 23, 24, 25, 27, 28, 29, 30, 31, 32, 34, 36, 37, 38, 40, 41, 42, 44, 48, 49, 50, 52, 54, 56, 57},
    ),
    "websites_cn_domain": (
        {26, 39, 43, 45, 53},
        {27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 40, 41, 42, 44, 46, 47, 48, 49, 50, 51, 52, 54, 55, 56, 57},
    ),
}


def _suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _points(series_id: str) -> list[tuple[int, dict]]:
    quoting = {row["source_id"] for row in read_rows(ROOT / "datasets" / "sources.csv") if row.get("publication")}
    points = []
    for row in read_rows(ROOT / "datasets" / "observations.csv"):
        if row["series_id"] != series_id or row["source_id"] in quoting:
            continue
        match = REPORT.match(row["note"])
        assert match, f"{row['observation_id']}: the note does not name its CNNIC report: {row['note']!r}"
        number = int(match.group(1))
        assert int(match.group(3)) == number and match.group(2) == _suffix(number), row["note"]
        points.append((number, row))
    return points


def stocks_of_china_in_report_order(series_id: str) -> list[tuple[int, dict]]:
    """The series' points by report number, after asserting that each is a stock of China at one date and
    that the dates increase strictly with the report number."""
    points = sorted(_points(series_id), key=lambda point: point[0])
    ends = [row["period_end"] for _, row in points]
    assert ends == sorted(ends) and len(set(ends)) == len(ends)
    assert all(row["period_start"] == row["period_end"] for _, row in points)  # stocks at a date
    assert {row["entity_id"] for _, row in points} == {"china"}
    return points


@pytest.mark.parametrize("series_id", sorted(EXPECTED))
def test_every_report_from_the_first_to_the_latest_has_one_point(series_id):
    first, missing = EXPECTED[series_id]
    numbers = [number for number, _ in _points(series_id)]
    assert len(numbers) == len(set(numbers)), sorted(n for n in numbers if numbers.count(n) > 1)
    assert min(numbers) == first and max(numbers) <= LATEST
    assert set(range(first, LATEST + 1)) - set(numbers) == missing


@pytest.mark.parametrize("series_id", sorted(EXPECTED))
def test_periods_increase_with_the_report_number(series_id):
    stocks_of_china_in_report_order(series_id)


@pytest.mark.parametrize("series_id", sorted(EXPECTED))
def test_break_notes_sit_where_the_definition_changes(series_id):
    with_break = {number for number, row in _points(series_id) if row["break_note"]}
    assert with_break == BREAKS[series_id]
    segments = cit.series(series_id, path=ROOT)
    observed = segments[segments["origin"] == "observation"].sort_values("period_end")
    assert observed["segment"].nunique() == len(BREAKS[series_id]) + 1


def test_the_latest_point_is_the_57th_report_of_december_2025():
    for series_id in ("internet_users", "internet_penetration"):
        number, row = max(_points(series_id), key=lambda point: point[0])
        assert number == LATEST and row["period_end"] == "2025-12-31"
    number, row = min(_points("internet_users"), key=lambda point: point[0])
    assert number == 1 and row["period_end"] == "1997-10-31" and (row["value"], row["unit"]) == ("62", "万")


@pytest.mark.parametrize("series_id", sorted(RESOURCES))
def test_resource_series_hold_the_reports_listed(series_id):
    held, not_found = RESOURCES[series_id]
    assert not held & not_found and held | not_found == set(range(min(held), LATEST + 1))
    numbers = [number for number, _ in _points(series_id)]
    assert len(numbers) == len(set(numbers)), sorted(n for n in numbers if numbers.count(n) > 1)
    assert set(numbers) == held


@pytest.mark.parametrize("series_id", sorted(RESOURCES))
def test_resource_series_are_stocks_in_report_order_without_breaks(series_id):
    points = stocks_of_china_in_report_order(series_id)
    assert not [row["observation_id"] for _, row in points if row["break_note"]]
    series = {row["series_id"]: row for row in read_rows(ROOT / "datasets" / "series.csv")}
    row = series[series_id]
    assert (row["kind"], row["counted_by"], row["base_unit"]) == ("stock", "CNNIC", "count")


def test_every_cnnic_report_source_has_an_address_and_a_reliability():
    cited = {row["source_id"] for series_id in (*EXPECTED, *RESOURCES) for _, row in _points(series_id)}
    sources = {row["source_id"]: row for row in read_rows(ROOT / "datasets" / "sources.csv")}
    assert cited <= set(sources)
    for source_id in cited | {s for s in sources if s.startswith("stat-cnnic-")}:
        row = sources[source_id]
        assert re.match(r"^https?://\S+$", row["url"]), source_id
        assert row["reliability"] in {"primary", "secondary", "low"}, source_id
        assert re.match(r"^stat-cnnic-\d+-[a-z0-9]+$", source_id), source_id
