"""CNNIC's basic-resource series follow its 《中国互联网络发展状况统计报告》 report by report.

IPv4 addresses, IPv6 addresses (in /32 blocks), international outbound bandwidth and, in the
reports of about the 12th to the 26th, broadband internet users. Each observation names its report
at the start of its note, in the form ``CNNIC 15th report (第15次《中国互联网络发展状况统计报告》)``.
A report whose figure was not found is listed below; when one is found and added, take it out of
the list.
"""

from __future__ import annotations

import re

import pytest
from test_cnnic_series import LATEST, _points, stocks_of_china_in_report_order

import china_internet_trends as cit
from conftest import ROOT, read_rows

# series: (base unit, reports held). Every other report from the first held to the last one that
# prints the figure is documented as not found in NOT_FOUND.
HELD = {
    "ipv4_addresses": ("count", {11, 17, 20, 21, 23, 24, 25, 26, 29, 38, 40}),
    "ipv6_addresses_32": ("blocks_32", {26, 38, 45, 46, 49, 53, 56}),
    "international_bandwidth": ("mbit/s", {2, 3, 4, 6, 7, 8, 9, 10, 11, 16, 17, 20, 21, 24, 25, 38}),
    "broadband_internet_users_cnnic": ("persons", {12, 15, 16, 17, 18, 21, 23, 24, 25, 26}),
}
# Reports in the span of each series whose figure was not found. IP addresses are first counted in
# the 11th report; IPv6 in /32 blocks appears in the reports by the 26th at the latest and runs to
# the 57th; international bandwidth runs from the 1st (the 1st report's figure is left out: the one
# copy found, stat-cnnic-2-antictrl, could not be checked) to the 57th; broadband internet users
# are printed in the reports of about the 12th to the 26th.
NOT_FOUND = {
    "ipv4_addresses": set(range(12, 58)) - {17, 20, 21, 23, 24, 25, 26, 29, 38, 40},
    "ipv6_addresses_32": set(range(26, 58)) - {26, 38, 45, 46, 49, 53, 56},
    "international_bandwidth": {1, 5, 12, 13, 14, 15, 18, 19, 22, 23} | set(range(26, 58)) - {38},
    "broadband_internet_users_cnnic": {13, 14, 19, 20, 22},
}
# Where what is counted changes: broadband internet users are part of the internet users, whose
# definition CNNIC changed by the 21st report (see tests/test_cnnic_series.py).
BREAKS = {
    "ipv4_addresses": set(),
    "ipv6_addresses_32": set(),
    "international_bandwidth": set(),
    "broadband_internet_users_cnnic": {21},
}


def test_the_series_are_declared_and_counted_by_cnnic():
    series = {row["series_id"]: row for row in read_rows(ROOT / "datasets" / "series.csv")}
    for series_id, (base_unit, _) in HELD.items():
        row = series[series_id]
        assert row["base_unit"] == base_unit and row["kind"] == "stock" and row["counted_by"] == "CNNIC"
        assert row["name_zh"] and row["name_en"] and row["definition"]


@pytest.mark.parametrize("series_id", sorted(HELD))
def test_the_reports_held_and_the_reports_not_found(series_id):
    numbers = [number for number, _ in _points(series_id)]
    assert len(numbers) == len(set(numbers)), sorted(n for n in numbers if numbers.count(n) > 1)
    assert set(numbers) == HELD[series_id][1]
    assert max(numbers) <= LATEST
    assert not set(numbers) & NOT_FOUND[series_id]
    assert all(1 <= n <= LATEST for n in NOT_FOUND[series_id])


@pytest.mark.parametrize("series_id", sorted(HELD))
def test_units_fit_the_series(series_id):
    base = {row["unit"]: row["base_unit"] for row in read_rows(ROOT / "datasets" / "units.csv")}
    want = HELD[series_id][0]
    counts = {"count", "persons", "accounts"}
    for _, row in _points(series_id):
        have = base[row["unit"]]
        assert have == want or (have == "count" and want in counts), (row["observation_id"], row["unit"], have)


@pytest.mark.parametrize("series_id", sorted(HELD))
def test_points_are_stocks_at_a_date_in_report_order(series_id):
    ends = [row["period_end"] for _, row in stocks_of_china_in_report_order(series_id)]
    assert all(re.match(r"^\d{4}-(06-30|12-31)$", end) for end in ends), ends  # report data dates


@pytest.mark.parametrize("series_id", sorted(HELD))
def test_break_notes_sit_where_the_definition_changes(series_id):
    with_break = {number for number, row in _points(series_id) if row["break_note"]}
    assert with_break == BREAKS[series_id]
    segments = cit.series(series_id, path=ROOT)  # the package this test sits in
    observed = segments[segments["origin"] == "observation"]
    assert observed["segment"].nunique() == len(BREAKS[series_id]) + 1


def test_every_source_has_an_address_and_a_reliability():
    cited = {row["source_id"] for series_id in HELD for _, row in _points(series_id)}
    sources = {row["source_id"]: row for row in read_rows(ROOT / "datasets" / "sources.csv")}
    assert cited <= set(sources)
    for source_id in cited:
        row = sources[source_id]
        assert re.match(r"^https?://\S+$", row["url"]), source_id
        assert row["reliability"] in {"primary", "secondary", "low"}, source_id
        assert re.match(r"^stat-cnnic-\d+-[a-z0-9]+$", source_id), source_id


def test_the_new_units_convert_as_printed():
    units = {row["unit"]: row for row in read_rows(ROOT / "datasets" / "units.csv")}
    assert (units["块/32"]["scale"], units["块/32"]["base_unit"]) == ("1", "blocks_32")
    for unit in ("M", "Mbps", "megabits per second"):
        assert (units[unit]["scale"], units[unit]["base_unit"]) == ("1", "mbit/s")
