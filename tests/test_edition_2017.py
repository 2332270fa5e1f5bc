"""The 2017 edition is complete and well formed. Its faithfulness to the source text, which is not
part of the repository, is checked by scripts/audit_against_source.py."""

from __future__ import annotations

import pandas as pd
import pytest

import china_internet_trends as cit


def test_ten_events_ranked_one_to_ten():
    events = cit.events(2017)
    assert sorted(events["rank"]) == list(range(1, 11))
    assert events["summary_en"].str.len().min() > 80


def test_review_has_five_chapters_and_26_subsections():
    sections = cit.sections(2017)
    review = sections[sections["part"] == "review"]
    assert review["number"].isna().sum() == 5
    assert review["number"].notna().sum() == 26
    assert review.groupby("chapter")["number"].count().tolist() == [5, 5, 6, 5, 5]


def test_trends_has_six_chapters_and_25_subsections():
    sections = cit.sections(2017)
    trends = sections[sections["part"] == "trends"]
    assert trends["number"].isna().sum() == 6
    assert trends.groupby("chapter")["number"].count().tolist() == [4, 5, 3, 3, 5, 5]


def test_one_trends_forecast_per_trends_subsection():
    forecasts = cit.forecasts(2017)
    outlook = forecasts[forecasts["origin"] == "trends_outlook"]
    subsections = cit.sections(2017).query("part == 'trends' and number.notna()", engine="python")
    assert len(outlook) == 25
    assert sorted(outlook["section_id"]) == sorted(subsections["section_id"])
    assert (outlook["target_year"] == 2018).all()


@pytest.mark.parametrize(
    "target, comparator, value, unit, year",
    [("ipv6_active_users", "eq", 2, "亿", 2018), ("ipv6_active_user_share", "gte", 20, "%", 2018)],
)
def test_ipv6_policy_targets(target, comparator, value, unit, year):
    forecasts = cit.forecasts(2017)
    [row] = forecasts[forecasts["series_id"] == target].itertuples()
    assert (row.origin, row.comparator, row.value, row.unit, row.target_year) == ("policy_target", comparator, value, unit, year)


def test_quantitative_trend_estimates():
    forecasts = cit.forecasts(2017).dropna(subset=["value"])
    found = {(r.value, r.unit, r.comparator, r.target_year) for r in forecasts.itertuples()}
    assert {(100, "万亿元", "gt", 2030), (500, "亿", "gt", 2020), (50, "%", "gt", 2020)} <= found


def test_every_code_used_is_defined():
    units = set(cit.units()["unit"])
    entities = set(cit.entities()["entity_id"])
    series = set(cit.series_table()["series_id"])
    themes = set(cit.themes()["theme"])
    figures = cit.indicators(2017)
    assert set(figures["unit"]) <= units
    assert set(figures["entity_id"]) <= entities
    assert set(figures["series_id"].dropna()) <= series
    for table in (cit.sections(2017), cit.events(2017), cit.forecasts(2017)):
        assert set(table["theme"]) <= themes


def test_company_figures_are_not_attributed_to_china():
    figures = cit.indicators(2017)
    mobile = figures[figures["label_zh"].str.contains("移动电话基站", regex=False)]
    assert set(mobile["entity_id"]) == {"china_mobile"}
    assert "china" not in set(figures[figures["label_en"].str.contains("Xiaomi")]["entity_id"])


def test_periods_are_well_formed():
    figures = cit.indicators(2017)
    assert (figures["period_start"] <= figures["period_end"]).all()
    q3 = figures[figures["series_id"] == "fixed_broadband_households"].iloc[0]
    assert q3["period_start"] == q3["period_end"] == pd.Timestamp("2017-09-30")
