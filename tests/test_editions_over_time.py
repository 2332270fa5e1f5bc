"""Editions over time: honest coverage, sourced outcomes, series that run across editions, and new editions."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import scratch
from china_internet_trends.edition import EditionExists, scaffold
from conftest import read_rows, write_rows


def test_editions_coverage_matches_the_rows_present():
    editions = cit.editions().set_index("edition")
    counts = cit.events().groupby("edition").size()
    for edition, row in editions.iterrows():
        assert row["events_found"] == counts.get(edition, 0)
    sections = cit.sections()
    for edition, row in editions.iterrows():
        has_review_sections = ((sections["edition"] == edition) & (sections["part"] == "review")).any()
        if has_review_sections:
            assert row["review_coverage"] != "none"
    assert editions.loc[2017, ["review_coverage", "trends_coverage"]].tolist() == ["full", "full"]
    assert editions.loc[2016, "events_found"] == 10


def test_every_edition_and_source_row_cites_a_known_source_with_reliability():
    sources = cit.sources().set_index("source_id")
    assert set(cit.editions()["source_id"]) <= set(sources.index)
    assert sources["reliability"].isin(["primary", "secondary", "low"]).all()


def test_uncertain_ranks_are_left_empty_not_guessed():
    events_2014 = cit.events(2014)
    assert len(events_2014) == 3
    assert events_2014["rank"].isna().all()


def test_2016_titles_are_stored_in_simplified_characters():
    from opencc import OpenCC

    to_simplified = OpenCC("t2s").convert
    for title in cit.events(2016)["title_zh"]:
        assert to_simplified(title) == title


def test_every_forecast_of_2016_and_2017_is_judged_with_a_source():
    forecasts = cit.forecasts([2016, 2017])
    outcomes = cit.outcomes()
    assert set(forecasts["forecast_id"]) <= set(outcomes["forecast_id"])
    assert outcomes["source_id"].notna().all()
    assert set(outcomes["source_id"]) <= set(cit.sources()["source_id"])


def test_ipv6_target_outcome_reflects_the_missed_date():
    [row] = cit.outcomes().query("forecast_id == '2017-F29'").itertuples()
    assert row.verdict == "not_fulfilled"
    assert row.as_of > pd.Timestamp("2018-12-31")


def _points(series_id: str) -> pd.DataFrame:
    units = cit.units().set_index("unit")["scale"]
    figures = cit.indicators()
    observed = cit.observations()
    frame = pd.concat([figures[figures["series_id"] == series_id], observed[observed["series_id"] == series_id]])
    frame = frame.assign(base_value=frame["value"] * frame["unit"].map(units))
    return frame.sort_values("period_end")


def test_a_series_runs_from_the_2016_edition_into_the_2017_edition():
    points = _points("internet_penetration")
    from_2016 = points[points["edition"] == 2016]
    assert not from_2016.empty
    later = points[points["period_end"] > from_2016["period_end"].max()]
    assert not later.empty


def test_a_series_runs_from_the_2017_edition_into_later_years():
    points = _points("fixed_broadband_households")
    edition_point = points[points["edition"] == 2017].iloc[0]
    after = points[points["period_end"] > edition_point["period_end"]]
    assert len(after) >= 3
    assert (after["base_value"] > edition_point["base_value"]).all()


def test_definition_breaks_are_separate_series():
    series = set(cit.series_table()["series_id"])
    assert {"fixed_broadband_households", "fixed_broadband_subscribers"} <= series
    assert {"websites_icp", "websites_cnnic"} <= series
    assert {"users_5g_phone", "connections_5g_terminal"} <= series


def _fingerprint(root: Path) -> dict[str, str]:
    """Every file's hash, but the lock a writer takes on datapackage.json (it stays, empty, in the scratch folder)."""
    lock = root / scratch.SCRATCH / scratch.LOCK
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file() and p != lock}


def test_new_edition_validates_empty_fails_with_a_bad_row_and_refuses_a_second_scaffold(package_copy: Path):
    created = scaffold(2031, package_copy)
    assert [p.name for p in created] == [f"{t}.csv" for t in tuple(cit.open().edition_tables)]
    assert all(len(p.read_text(encoding="utf-8").splitlines()) == 1 for p in created)
    assert cit.validate(path=package_copy).valid

    template = read_rows(package_copy / "datasets" / "2017" / "events.csv")[0]
    events_2031 = package_copy / "datasets" / "2031" / "events.csv"
    write_rows(events_2031, [dict(template, event_id="2031-E01", edition="2031")])
    report = cit.validate(path=package_copy)
    located = [(p.file, p.row, p.column) for p in report.problems]
    assert ("datasets/2031/events.csv", 2, "edition") in located, str(report)

    before = _fingerprint(package_copy)
    with pytest.raises(EditionExists):
        scaffold(2031, package_copy)
    assert _fingerprint(package_copy) == before


def test_new_edition_cli_refuses_an_existing_edition_and_changes_nothing(package_copy: Path):
    import subprocess
    import sys

    before = _fingerprint(package_copy)
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "--package", str(package_copy), "new-edition", "2017"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "refused" in result.stderr and "Traceback" not in result.stderr
    assert _fingerprint(package_copy) == before
