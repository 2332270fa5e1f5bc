"""Comparisons on the shipped data and on small synthetic editions whose answers are known by construction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import compare, integrity
from china_internet_trends.edition import scaffold
from conftest import ROOT, read_rows, write_rows

A, B = 2040, 2041
THEMES_A = ["security"] * 5 + ["fintech"] * 5
THEMES_B = ["security"] * 4 + ["iot"] * 6


def _edition_row(edition: int, events_found: int) -> dict[str, str]:
    return {"edition": str(edition), "forecast_year": str(edition + 1), "conference_zh": "测试", "conference_en": "test",
            "published": "", "events_found": str(events_found), "review_coverage": "none", "trends_coverage": "none",
            "source_id": "isc-2017-report", "note": "synthetic edition built by a test"}


def _events(edition: int, themes: list[str]) -> list[dict[str, str]]:
    return [{"event_id": f"{edition}-E{rank:02d}", "edition": str(edition), "rank": str(rank), "title_zh": f"事件{rank}",
             "title_en": f"Event {rank}", "summary_en": "", "theme": theme, "source_id": "isc-2017-report", "note": ""}
            for rank, theme in enumerate(themes, start=1)]


def _figure(edition: int, number: int, series: str, entity: str, value: str, unit: str, comparator: str = "eq") -> dict[str, str]:
    return {"indicator_id": f"{edition}-I{number:03d}", "edition": str(edition), "section_id": "", "event_id": f"{edition}-E01",
            "series_id": series, "entity_id": entity, "period_start": f"{edition}-12-31", "period_end": f"{edition}-12-31",
            "value": value, "unit": unit, "comparator": comparator, "measure": "level", "label_zh": "测试", "label_en": "test",
            "source_id": "isc-2017-report", "note": ""}


@pytest.fixture
def synthetic(package_copy: Path) -> Path:
    """Two full synthetic editions: a known theme shift and series points with a known growth."""
    editions_csv = package_copy / "datasets" / "editions.csv"
    write_rows(editions_csv, read_rows(editions_csv) + [_edition_row(A, 10), _edition_row(B, 10)])
    for edition, themes in ((A, THEMES_A), (B, THEMES_B)):
        scaffold(edition, package_copy)
        header = list(read_rows(package_copy / "datasets" / "2017" / "events.csv")[0])
        write_rows(package_copy / "datasets" / str(edition) / "events.csv", _events(edition, themes), header)
    header = list(read_rows(package_copy / "datasets" / "2017" / "indicators.csv")[0])
    write_rows(package_copy / "datasets" / str(A) / "indicators.csv",
               [_figure(A, 1, "users_4g", "china", "10", "亿户"), _figure(A, 2, "base_stations_mobile", "china", "300", "万个"),
                _figure(A, 3, "websites_icp", "china", "500", "万个", "gt")], header)
    write_rows(package_copy / "datasets" / str(B) / "indicators.csv",
               [_figure(B, 1, "users_4g", "china", "12", "亿户"), _figure(B, 2, "base_stations_mobile", "china_mobile", "320", "万个"),
                _figure(B, 3, "websites_icp", "china", "520", "万个")], header)
    integrity.refresh(package_copy)
    report = cit.validate(path=package_copy)
    assert report.valid, str(report)
    return package_copy


def test_events_side_by_side_by_rank(synthetic: Path):
    side = cit.open(synthetic).compare.events(A, B)
    assert side["rank"].tolist() == list(range(1, 11))
    assert side[f"theme_{A}"].tolist() == THEMES_A and side[f"theme_{B}"].tolist() == THEMES_B
    assert (side[f"event_id_{B}"] == [f"{B}-E{r:02d}" for r in range(1, 11)]).all()


def test_theme_shift_gained_dropped_persisting(synthetic: Path):
    shifts = cit.open(synthetic).compare.theme_shifts(A, B).set_index("theme")
    assert shifts.loc["fintech", "status"] == "dropped" and shifts.loc["fintech", f"events_{B}"] == 0
    assert shifts.loc["iot", "status"] == "gained" and shifts.loc["iot", f"events_{A}"] == 0
    assert shifts.loc["security", "status"] == "persisting"
    assert shifts.loc["security", [f"events_{A}", f"events_{B}"]].tolist() == [5, 4]
    assert set(shifts.index) == {"security", "fintech", "iot"}


def test_indicator_growth_and_caveats(synthetic: Path):
    matched = cit.open(synthetic).compare.indicators(A, B).set_index("series_id")
    users = matched.loc["users_4g"]
    assert users["change"] == pytest.approx(2e8)
    assert users["growth"] == pytest.approx(0.2)
    assert pd.isna(users["caveat"])
    stations = matched.loc["base_stations_mobile"]
    assert pd.isna(stations["growth"]) and "different entities" in stations["caveat"]
    websites = matched.loc["websites_icp"]
    assert pd.isna(websites["growth"]) and "comparator gt" in websites["caveat"]


def test_themes_counts_every_part(synthetic: Path):
    counts = compare.themes([A, B], path=synthetic)
    assert counts.columns.tolist() == [f"count_{A}", f"share_{A}", f"count_{B}", f"share_{B}"]
    assert counts.loc["security", [f"count_{A}", f"count_{B}"]].tolist() == [5, 4]
    assert counts.loc["security", [f"share_{A}", f"share_{B}"]].tolist() == [0.5, 0.4]
    assert counts[f"count_{A}"].sum() == 10 and counts[f"count_{B}"].sum() == 10
    assert list(counts.index) == cit.themes(path=synthetic).sort_values("order")["theme"].tolist()
    # the synthetic editions hold no section or forecast: a theme absent from their events is unknown, not 0
    assert pd.isna(counts.loc["fintech", f"count_{B}"]) and pd.isna(counts.loc["fintech", f"share_{B}"])
    events_only = compare.themes([A, B], ["events"], path=synthetic)
    assert events_only.loc["fintech", [f"count_{A}", f"count_{B}"]].tolist() == [5, 0]
    assert events_only.loc["fintech", f"share_{B}"] == 0.0


def test_series_in_base_units_ordered_by_period(synthetic: Path):
    points = cit.open(synthetic).series("users_4g")
    synthetic_points = points[points["edition"].isin([A, B])]
    assert synthetic_points["base_value"].tolist() == [10e8, 12e8]
    assert points["period_end"].is_monotonic_increasing
    assert set(points["base_unit"]) == {"accounts"}


def test_unknown_series_is_a_clear_error():
    with pytest.raises(cit.NotInPackage, match="no series .no_such_series."):
        cit.series("no_such_series")


def test_review_vs_trends_on_the_shipped_2017_edition():
    table = compare.review_vs_trends(2017).set_index("theme")
    sections = cit.sections(2017)
    subsections = sections[sections["number"].notna()]
    assert table["review"].sum() == (subsections["part"] == "review").sum() == 26
    assert table["trends"].sum() == (subsections["part"] == "trends").sum() == 25
    for theme, row in table.iterrows():
        expected = "carried_on" if row["review"] and row["trends"] else ("added" if row["trends"] else "dropped")
        assert row["status"] == expected, theme


def test_compare_events_on_the_shipped_editions():
    side = compare.events(2016, 2017)
    assert len(side) == 10
    assert side["title_zh_2017"].tolist() == cit.events(2017)["title_zh"].tolist()


def test_compare_events_with_unranked_events_keeps_them():
    side = compare.events(2014, 2017)
    assert side["event_id_2014"].notna().sum() == 3
    assert side["event_id_2017"].notna().sum() == 10


def test_scorecard_counts_add_up():
    card = cit.scorecard(2017)
    assert len(card.forecasts) == len(cit.forecasts(2017))
    assert card.by_verdict["forecasts"].sum() == len(card.forecasts)
    numeric = card.by_theme.drop(columns="theme")
    assert numeric.to_numpy().sum() == len(card.forecasts)
    f29 = card.forecasts.set_index("forecast_id").loc["2017-F29"]
    assert f29["verdict"] == "not_fulfilled" and f29["evidence_source_id"]


def test_scorecard_takes_the_latest_verdict(package_copy: Path):
    outcomes_csv = package_copy / "datasets" / "2017" / "outcomes.csv"
    rows = read_rows(outcomes_csv)
    first = next(r for r in rows if r["forecast_id"] == "2017-F02")
    later = dict(first, outcome_id="2017-F02-b", verdict="fulfilled", as_of="2024-01-01")
    write_rows(outcomes_csv, rows + [later])
    card = cit.open(package_copy).scorecard(2017)
    assert card.forecasts.set_index("forecast_id").loc["2017-F02", "verdict"] == "fulfilled"


def counts_of(frame: pd.DataFrame) -> pd.Series:
    """trend()'s counts indexed by (term, edition)."""
    return frame.set_index(["term", "edition"])["count"]


def test_keywords_are_deterministic_and_use_the_user_dictionary():
    first = cit.keywords.trend(["工业互联网", "网络安全法", "十九大", "5G"], editions=[2016, 2017])
    second = cit.keywords.trend(["5G", "工业互联网", "网络安全法", "十九大"], editions=[2016, 2017])
    pd.testing.assert_series_equal(counts_of(first).sort_index(), counts_of(second).sort_index())
    counts = counts_of(first)
    assert counts[("工业互联网", 2017)] >= 1  # 2017-R2.3 heading: 工业互联网全力纵深推进…
    assert counts[("网络安全法", 2016)] == 1  # 2016-E02 title: 《网络安全法》和《国家网络空间安全战略》陆续发布。
    assert counts[("十九大", 2017)] >= 1


def test_keywords_normalise_traditional_characters():
    traditional = counts_of(cit.keywords.trend(["網絡安全法"], editions=[2016]))
    simplified = counts_of(cit.keywords.trend(["网络安全法"], editions=[2016]))
    assert traditional.iloc[0] == simplified.iloc[0] == 1


def _edited_2017_title(package_copy: Path, title_zh: str, title_en: str, summary_en: str = "") -> None:
    events_csv = package_copy / "datasets" / "2017" / "events.csv"
    rows = read_rows(events_csv)
    rows[0].update(title_zh=title_zh, title_en=title_en, summary_en=summary_en)
    write_rows(events_csv, rows)


def test_keywords_count_whole_tokens_in_printed_text_only(package_copy: Path):
    original = read_rows(ROOT / "datasets" / "2017" / "events.csv")[0]
    assert "区块链" not in original["title_zh"] and "5G" not in original["title_zh"]
    _edited_2017_title(package_copy, "区块链与区块链技术，物联网络；5G与5G-Advanced，不是15G",
                       "Blockchain and 5G in our translation", "5G and IPv6 in our summary")
    counts = counts_of(cit.keywords.trend(["区块链", "5G", "IPv6"], editions=[2017], path=package_copy))
    baseline = counts_of(cit.keywords.trend(["区块链", "5G", "IPv6"], editions=[2017]))
    assert counts[("区块链", 2017)] - baseline[("区块链", 2017)] == 2
    assert counts[("5G", 2017)] - baseline[("5G", 2017)] == 2  # "5G" and "5G-Advanced", not "15G"; never our English
    assert counts[("IPv6", 2017)] == baseline[("IPv6", 2017)]  # only in the summary we wrote: not counted


def test_a_term_and_its_translation_are_one_concept(package_copy: Path):
    _edited_2017_title(package_copy, "人工智能和AI，物联网与IoT", "AI")
    counts = cit.keywords.trend(["AI", "人工智能", "artificial intelligence", "IoT"], editions=[2017], path=package_copy)
    baseline = counts_of(cit.keywords.trend(["AI", "IoT"], editions=[2017]))
    by_term = counts.set_index("term")
    assert by_term.loc["AI", "count"] == by_term.loc["人工智能", "count"] == by_term.loc["artificial intelligence", "count"]
    assert by_term.loc["AI", "count"] - baseline[("AI", 2017)] == 2  # 人工智能 once and AI once, in the printed title
    assert by_term.loc["IoT", "count"] - baseline[("IoT", 2017)] == 2
    assert by_term.loc["AI", "concept"] == "ai" and by_term.loc["AI", "forms"] == "人工智能 | AI"
    assert pd.isna(cit.keywords.trend(["元宇宙"], editions=[2017]).loc[0, "concept"])


def test_keyword_rates_use_the_printed_text_held():
    counts = cit.keywords.trend("5G", editions=[2017, 2018, 2022])
    assert counts["term"].tolist() == ["5G"] * 3  # a single string is one term, not its characters
    by_edition = counts.set_index("edition")
    events, sections = cit.events(2017), cit.sections(2017)
    printed = events["title_zh"].tolist() + sections["heading_zh"].tolist()
    assert by_edition.loc[2017, "texts"] == len(printed) == 72
    assert by_edition.loc[2017, "characters"] == sum(len("".join(t.split())) for t in printed)
    assert by_edition.loc[2017, "rate_per_10k"] == pytest.approx(by_edition.loc[2017, "count"] / by_edition.loc[2017, "characters"] * 1e4)
    assert pd.isna(by_edition.loc[2018, "count"]) and pd.isna(by_edition.loc[2018, "rate_per_10k"]) and by_edition.loc[2018, "texts"] == 0
    assert by_edition.loc[2022, "count"] == 0 and by_edition.loc[2022, "texts"] == 2  # held, and 5G not printed in it


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "china_internet_trends", *args], capture_output=True, text=True)


def test_report_prints_its_four_parts():
    result = run_cli("report")
    assert result.returncode == 0, result.stderr
    for heading in ("1. Editions", "2. The ten events of 2016 and 2017", "3. Scorecard of the 2017", "4. Key series from 2017"):
        assert heading in result.stdout
    assert "ipv6_active_users" in result.stdout


@pytest.mark.parametrize(
    "args, expected",
    [(("compare", "2016", "2017"), "Theme shifts from 2016 to 2017"), (("scorecard", "2017"), "not_fulfilled"),
     (("series", "ipv6_active_users"), "stat-ipv6-2019-secrss"), (("keywords", "5G", "区块链"), "区块链")],
)
def test_cli_commands(args, expected, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the ten columns of a series fit whole; narrower, long ids fold
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


def test_cli_series_unknown_is_exit_one():
    result = run_cli("series", "nope")
    assert result.returncode == 1 and "error: the package has no series" in result.stderr and "Traceback" not in result.stderr
