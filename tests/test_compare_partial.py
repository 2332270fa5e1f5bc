"""Comparisons of editions the package holds in part: every row held appears, with each side's coverage.

Expected counts come from the loaders (``p.events(year)``, ``p.sections(year)``…), never from the
comparison under test; a copy of the package with tables blanked covers a side that holds nothing.
"""

from __future__ import annotations

import contextlib
import copy
import io
import itertools
import json
from pathlib import Path

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import cli
from china_internet_trends.compare import OBSERVATIONS, RATES, Coverage
from conftest import read_rows, write_rows


@pytest.fixture(scope="module")
def p() -> cit.Package:
    return cit.open()


@pytest.fixture(scope="module")
def pairs(p: cit.Package) -> list[tuple[int, int]]:
    return list(itertools.permutations(p.editions_held(), 2))


@pytest.fixture(scope="module")
def held_events(p: cit.Package) -> dict[int, pd.DataFrame]:
    """Each edition's events as the loader gives them: what every comparison of events must keep."""
    return {edition: p.events(edition) for edition in p.editions_held()}


def linked_series(p: cit.Package, side: int | str) -> set[str]:
    """The series a side reports: figures linked to a series, policy targets left out."""
    if side == OBSERVATIONS:
        return set(p.observations()["series_id"].dropna())
    figures = p.indicators(side)
    return set(figures.loc[figures["measure"] != "target", "series_id"].dropna())


def leaf_headings(p: cit.Package, edition: int) -> pd.DataFrame:
    sections = p.sections(edition)
    return sections[~sections["section_id"].isin(sections["parent_id"].dropna())]


def run(*args: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(list(args)) == 0
    return out.getvalue()


def test_events_of_every_pair_keep_every_event_held(p: cit.Package, pairs: list[tuple[int, int]], held_events: dict[int, pd.DataFrame]):
    sentences = p.coverage().set_index("edition")["events_text"]
    for a, b in pairs:
        side = p.compare.events(a, b)
        coverage = side.attrs["coverage"]
        assert isinstance(coverage, Coverage) and [held.side for held in coverage.sides] == [a, b]
        for edition in (a, b):
            held = held_events[edition]
            assert side[f"event_id_{edition}"].notna().sum() == len(held), (a, b, edition)
            assert set(side[f"event_id_{edition}"].dropna()) == set(held["event_id"])
            assert coverage[edition]["events"].rows == len(held) and coverage[edition]["events"].held == (len(held) > 0)
            assert sentences[edition] in str(coverage)
        assert side.empty == (held_events[a].empty and held_events[b].empty)


def test_theme_shifts_of_every_pair_count_every_event_held(p: cit.Package, pairs: list[tuple[int, int]],
                                                          held_events: dict[int, pd.DataFrame]):
    for a, b in pairs:
        shifts = p.compare.theme_shifts(a, b)
        assert set(shifts["theme"]) == set(held_events[a]["theme"]) | set(held_events[b]["theme"])
        for edition in (a, b):
            held = held_events[edition]
            counts = shifts[f"events_{edition}"]
            if held.empty:
                assert counts.isna().all()
            else:
                assert counts.sum() == len(held)
            assert shifts.attrs["coverage"][edition]["events"].rows == len(held)


def test_indicators_of_every_pair_keep_every_series_held(p: cit.Package, pairs: list[tuple[int, int]]):
    sides = pairs + [(edition, OBSERVATIONS) for edition in p.editions_held()] + [(OBSERVATIONS, edition) for edition in p.editions_held()]
    series = {side: linked_series(p, side) for side in [OBSERVATIONS, *p.editions_held()]}
    figures = {OBSERVATIONS: len(p.observations())} | {edition: len(p.indicators(edition)) for edition in p.editions_held()}
    for a, b in sides:
        matched = p.compare.indicators(a, b)
        assert set(matched["series_id"]) == series[a] | series[b], (a, b)
        coverage = matched.attrs["coverage"]
        for side in (a, b):
            assert matched[f"row_id_{side}"].notna().sum() == len(series[side]) == coverage[side]["figures"].rows, (a, b, side)
            assert coverage[side]["figures"].held == (figures[side] > 0)
        one_sided = matched[f"row_id_{a}"].isna() | matched[f"row_id_{b}"].isna()
        assert matched.loc[one_sided, "caveat"].notna().all() and matched.loc[one_sided, ["change", "change_pp", "growth"]].isna().all().all()
        assert not one_sided.iloc[: int((~one_sided).sum())].any()  # the series both report come first


def test_review_vs_trends_of_every_edition_keeps_every_heading_held(p: cit.Package):
    for edition in p.editions_held():
        table = p.compare.review_vs_trends(edition)
        leaves = leaf_headings(p, edition)
        assert set(table["theme"]) == set(leaves["theme"])
        coverage = table.attrs["coverage"][edition]
        for part in ("review", "trends"):
            in_part = leaves[leaves["part"] == part]
            assert table[part].fillna(0).sum() == len(in_part), (edition, part)
            assert coverage[part].rows == int((p.sections(edition)["part"] == part).sum())
        assert str(table.attrs["coverage"]).startswith(f"coverage: {edition}: ")


def test_a_side_that_holds_nothing_is_empty_and_says_why(package_copy: Path):
    for table in ("2016/events.csv", "2017/events.csv", "2016/indicators.csv", "observations.csv", "2017/sections.csv"):
        path = package_copy / "datasets" / table
        header = next(iter(read_rows(path)))
        write_rows(path, [], list(header))
    p = cit.open(package_copy)
    for frame in (p.compare.events(2016, 2017), p.compare.theme_shifts(2016, 2017)):
        assert frame.empty
        assert str(frame.attrs["coverage"]) == ("coverage: 2016: none of the ten events of 2016 (not held); "
                                                "2017: none of the ten events of 2017 (not held)")
    figures = p.compare.indicators(2016, OBSERVATIONS)
    assert figures.empty and str(figures.attrs["coverage"]) == "coverage: 2016: figures not held; observations: figures not held"
    review = p.compare.review_vs_trends(2017)
    assert review.empty
    held = review.attrs["coverage"][2017]
    assert held["review"].rows == held["trends"].rows == 0 and "(0 headings, 32 forecasts)" in str(held)  # the forecasts stay held
    kept = p.compare.events(2014, 2017)  # one side blank: the other side's rows stay
    assert kept["event_id_2014"].notna().sum() == len(p.events(2014)) == 3 and kept["event_id_2017"].isna().all()
    assert not kept.attrs["coverage"][2017]["events"].held


def test_themes_count_every_item_held_and_never_a_part_not_held_as_zero(p: cit.Package):
    matrix = p.compare.themes()
    years = list(range(p.editions_held()[0], p.editions_held()[-1] + 1))
    assert matrix.columns.tolist() == [f"{kind}_{year}" for year in years for kind in ("count", "share")]
    assert {str(dtype) for dtype in matrix.dtypes[::2]} == {"Int64"} and {str(dtype) for dtype in matrix.dtypes[1::2]} == {"float64"}
    for year in years:
        counts, shares = matrix[f"count_{year}"], matrix[f"share_{year}"]
        parts = {part: p.load(part, [year]) if year in p.editions_held() else pd.DataFrame() for part in ("events", "sections", "forecasts")}
        items = sum(len(rows) for rows in parts.values())
        held = matrix.attrs["coverage"][year]
        assert [part.rows for part in held.parts] == ([len(rows) for rows in parts.values()] if year in p.editions_held() else [])
        if not items:
            assert counts.isna().all() and shares.isna().all()
            continue
        expected = pd.concat([rows["theme"] for rows in parts.values() if not rows.empty]).value_counts()
        assert counts.sum() == items
        assert (counts.dropna() == expected.reindex(counts.dropna().index, fill_value=0)).all()
        assert shares.dropna().to_numpy() == pytest.approx((counts.dropna() / items).astype(float).to_numpy())
        every_part_held = all(not rows.empty for rows in parts.values())
        assert (counts == 0).sum() == 0 or every_part_held, year  # a zero only where every part counted is held
        assert counts.isna().sum() == (0 if every_part_held else len(counts) - len(expected)), year


def test_themes_of_2015_hold_its_forecasts_only(p: cit.Package):
    assert p.events(2015).empty and p.sections(2015).empty and not p.forecasts(2015).empty
    matrix = p.compare.themes()
    expected = p.forecasts(2015)["theme"].value_counts()
    assert matrix["count_2015"].dropna().to_dict() == expected.to_dict()
    for theme, n in expected.items():
        assert matrix.loc[theme, "share_2015"] == pytest.approx(n / len(p.forecasts(2015)))
    only_events = p.compare.themes(parts=["events"])
    assert only_events["count_2015"].isna().all()
    held_2022 = p.events(2022)["theme"]  # 2022 holds 2 of its events and nothing else: with events alone, its zeros are zeros
    assert only_events["count_2022"].notna().all() and (only_events["count_2022"] == 0).sum() == len(only_events) - held_2022.nunique()


@pytest.fixture(scope="module")
def with_observations(p: cit.Package) -> pd.DataFrame:
    return p.compare.indicators(2017, OBSERVATIONS)


@pytest.fixture(scope="module")
def printed(p: cit.Package) -> pd.DataFrame:
    """Every figure of 2017 and every observation by its id, as the loaders give it, with its base value and base unit."""
    figures = pd.concat([p.indicators(2017).rename(columns={"indicator_id": "row_id"}),
                         p.observations().rename(columns={"observation_id": "row_id"})])[["row_id", "period_end", "value", "unit"]]
    units = p.units().set_index("unit")
    return figures.assign(base_value=figures["value"] * figures["unit"].map(units["scale"]),
                          base_unit=figures["unit"].map(units["base_unit"])).set_index("row_id")


def like_for_like(frame: pd.DataFrame, printed: pd.DataFrame) -> pd.DataFrame:
    """The rows whose two figures are compared, with each side's figure as printed (``_a``: 2017, ``_b``: observations)."""
    compared = frame[frame["caveat"].isna()]
    return compared.join(printed.add_suffix("_a"), on="row_id_2017").join(printed.add_suffix("_b"), on="row_id_observations")


def test_a_share_changes_in_percentage_points(with_observations: pd.DataFrame, printed: pd.DataFrame):
    compared = like_for_like(with_observations, printed)
    shares = compared[compared["base_unit_a"].isin(RATES)]
    assert "fixed_broadband_household_penetration" in set(shares["series_id"])  # 72.5% (2017-09), 85.4% (2018-09): +12.9 pp
    assert shares.set_index("series_id").loc["fixed_broadband_household_penetration", "change_pp"] == 12.9  # exactly, not 12.900000000000006
    for row in shares.itertuples():
        assert row.change_pp == pytest.approx(row.base_value_b - row.base_value_a) == pytest.approx(row.value_b - row.value_a)
        assert row.change == pytest.approx(row.change_pp) and pd.isna(row.growth)


def test_a_count_keeps_its_relative_change(with_observations: pd.DataFrame, printed: pd.DataFrame):
    compared = like_for_like(with_observations, printed)
    counts = compared[~compared["base_unit_a"].isin(RATES)]
    assert "users_4g" in set(counts["series_id"])
    for row in counts.itertuples():
        assert row.growth == pytest.approx(row.base_value_b / row.base_value_a - 1)
        assert row.change == pytest.approx(row.base_value_b - row.base_value_a) and pd.isna(row.change_pp)


def test_every_row_has_the_period_of_each_figure_held(with_observations: pd.DataFrame, printed: pd.DataFrame):
    matched = with_observations.dropna(subset=["row_id_2017", "row_id_observations"])
    assert len(matched) >= 1 and matched[["period_end_2017", "period_end_observations"]].notna().all().all()
    for side in (2017, OBSERVATIONS):
        held = with_observations.dropna(subset=[f"row_id_{side}"])
        assert held[f"period_end_{side}"].tolist() == held[f"row_id_{side}"].map(printed["period_end"]).tolist()


def test_the_cli_shows_periods_and_percentage_points(with_observations: pd.DataFrame, printed: pd.DataFrame,
                                                     monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLUMNS", "250")
    out = run("compare", "2017", OBSERVATIONS)
    compared = like_for_like(with_observations, printed).set_index("series_id")
    share, count = compared.loc["fixed_broadband_household_penetration"], compared.loc["users_4g"]
    line = next(line for line in out.splitlines() if line.startswith("fixed_broadband_household_penetration "))
    for text in (f"{share['period_end_a']:%Y-%m-%d}", f"{share['period_end_b']:%Y-%m-%d}", f"{share['value_b'] - share['value_a']:+.1f} pp"):
        assert text in line
    assert "%" not in line.split(" pp")[-1]  # no relative growth on a share
    line = next(line for line in out.splitlines() if line.startswith("users_4g "))
    assert f"{(count['base_value_b'] / count['base_value_a'] - 1) * 100:+.1f}%" in line and " pp" not in line
    as_csv = pd.read_csv(io.StringIO(run("compare", "2017", OBSERVATIONS, "--format", "csv")), dtype=str)
    assert {"period_end_2017", "period_end_observations", "change_pp", "growth"} <= set(as_csv.columns)
    assert as_csv["series_id"].tolist() == with_observations["series_id"].tolist()


def test_the_cli_shows_what_one_side_holds_against_a_side_that_holds_none(p: cit.Package, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLUMNS", "250")
    out = run("compare", "2015", "2018")
    for series in linked_series(p, 2015):
        assert series in out
    assert "the package holds no figure of 2018" in out and "2018: figures not held" in out


def test_coverage_goes_wherever_the_frame_goes(p: cit.Package):
    """Coverage stays readable when written out: ``to_parquet`` stores ``json.dumps(frame.attrs)``."""
    side = p.compare.events(2014, 2018)
    assert json.loads(json.dumps(side.attrs))["coverage"][0][0][1][0][4] == p.coverage([2014]).loc[0, "events_text"]
    assert copy.deepcopy(side.attrs["coverage"]) == side.attrs["coverage"] == side[["rank"]].attrs["coverage"]
