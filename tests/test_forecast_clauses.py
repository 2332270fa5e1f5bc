"""The forecast_clauses table: every 2017 forecast split into its printed clauses, descriptions kept
apart from forecasts, and the scorecard's verdicts derived from the clauses. That every clause_zh is
printed in the source is checked by scripts/audit_against_source.py."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from test_totality import run

import china_internet_trends as cit
from china_internet_trends.scoring import calibration_by_origin, derive_verdicts, wilson


@pytest.fixture(scope="module")
def clauses() -> pd.DataFrame:
    return cit.open().load("forecast_clauses", 2017)


def test_every_2017_forecast_has_at_least_one_clause(clauses: pd.DataFrame):
    assert set(cit.forecasts(2017)["forecast_id"]) <= set(clauses["forecast_id"])


def test_clauses_are_short_and_descriptions_have_no_verdict(clauses: pd.DataFrame):
    assert (clauses["clause_zh"].str.len() <= 60).all()
    descriptions = clauses[clauses["tense"] == "description"]
    assert descriptions["verdict"].isna().all() and descriptions["hedge"].isna().all()
    forecasts = clauses[clauses["tense"] == "forecast"]
    assert forecasts["verdict"].notna().all() and forecasts["hedge"].notna().all() and forecasts["as_of"].notna().all()


def test_the_clause_ids_number_each_forecasts_clauses(clauses: pd.DataFrame):
    assert (clauses["clause_id"].str.rsplit("-c", n=1).str[0] == clauses["forecast_id"]).all()


@pytest.mark.parametrize(("forecast_id", "printed"), [
    ("2017-F01", "我国企业正在积极进行大规模试验"),
    ("2017-F10", "消费场景日益多元化和分散化"),
    ("2017-F15", "AR购物可将商品投射到现实场景"),
    ("2017-F16", "给广大电脑用户带来的损失日益增长，并向金融、能源、医疗等众多行业蔓延"),
    ("2017-F23", "数据权属关系受到广泛关注"),
    ("2017-F23", "数据商业化所引起的用户数据隐私界限、数据归属及数据资产定价标准等问题依旧备受关注"),
])
def test_present_tense_clauses_are_descriptions(clauses: pd.DataFrame, forecast_id: str, printed: str):
    row = clauses[(clauses["forecast_id"] == forecast_id) & (clauses["clause_zh"] == printed)]
    assert row["tense"].tolist() == ["description"]


def test_f13_keeps_both_printed_markers(clauses: pd.DataFrame):
    assert "将有可能" in clauses.loc[clauses["forecast_id"] == "2017-F13", "hedge"].tolist()
    assert cit.forecasts(2017).set_index("forecast_id").loc["2017-F13", "hedge"] == "将有可能"
    assert cit.hedges().set_index("hedge").loc["将有可能", "certainty"] == "low"


def _frame(rows: list[tuple[str, str, str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["forecast_id", "tense", "verdict", "as_of"]).assign(as_of=lambda f: pd.to_datetime(f["as_of"]))


def test_a_clause_forecasting_iscs_own_act_says_so(clauses: pd.DataFrame):
    """ISC forecasting what ISC itself will do (F17: its own working committee) is not foresight."""
    own = clauses[(clauses["tense"] == "forecast") & clauses["clause_zh"].str.startswith("中国互联网协会")]
    assert list(own["clause_id"]) == ["2017-F17-c4"]
    assert own["note"].str.contains("ISC forecast its own act").all()


def test_the_derivation_rule_covers_each_branch():
    frame = _frame([
        ("all", "forecast", "fulfilled", "2018-12-31"), ("all", "forecast", "fulfilled", "2018-06-30"),
        ("all", "description", None, None),
        ("none", "forecast", "not_fulfilled", "2019-06-30"), ("none", "forecast", "unverified", "2018-12-31"),
        ("mix", "forecast", "fulfilled", "2018-12-31"), ("mix", "forecast", "not_fulfilled", "2018-12-31"),
        ("mix_unverified", "forecast", "fulfilled", "2018-12-31"), ("mix_unverified", "forecast", "unverified", "2018-12-31"),
        ("unknown", "forecast", "unverified", "2018-12-31"), ("unknown", "forecast", "unverified", "2018-06-30"),
        ("early", "forecast", "unverified", "2021-12-31"),
        ("described", "description", None, None), ("described", "description", None, None),
    ])
    derived = derive_verdicts(frame, pd.Series({"unknown": 2018, "early": 2030})).to_dict()
    assert derived == {"all": "fulfilled", "none": "not_fulfilled", "mix": "partly", "mix_unverified": "partly",
                       "unknown": "cannot_be_judged", "early": "too_early", "described": "no_forecast"}
    assert derive_verdicts(frame)["early"] == "cannot_be_judged"


@pytest.mark.parametrize(("successes", "trials", "low", "high"), [
    (4, 19, 0.0851, 0.4334), (0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0), (25, 30, 0.6644, 0.9266),
])
def test_wilson_interval_matches_known_values(successes: int, trials: int, low: float, high: float):
    assert wilson(successes, trials) == pytest.approx((low, high), abs=1e-4)


def test_wilson_interval_of_nothing_is_empty():
    assert all(math.isnan(bound) for bound in wilson(0, 0))


def test_the_scorecard_derives_verdicts_and_calibrates_by_origin():
    card = cit.scorecard(2017)
    assert len(card.by_clause) == len(card.forecasts) == 32
    assert card.by_clause.set_index("forecast_id").loc["2017-F23", "derived_verdict"] == "no_forecast"
    table = card.by_origin.set_index(["group", "unit"])
    assert table.loc[("outlook", "forecasts"), "items"] + table.loc[("quoted", "forecasts"), "items"] \
        + table["descriptions"].xs("forecasts", level="unit").sum() == 32
    judged = card.clauses[card.clauses["tense"] == "forecast"]
    assert table.xs("clauses", level="unit")["items"].sum() == len(judged)
    row = table.loc[("outlook", "clauses")]
    assert row["fulfilled_share"] == pytest.approx(row["fulfilled"] / row["decided"])
    assert row["share_low"] <= row["fulfilled_share"] <= row["share_high"]


def test_calibration_by_origin_of_no_clauses_is_empty_not_zero():
    table = calibration_by_origin(pd.DataFrame(columns=["forecast_id", "origin", "derived_verdict"]),
                                  pd.DataFrame(columns=["forecast_id", "origin", "tense", "verdict"]))
    assert table["items"].tolist() == [0, 0, 0, 0] and table["fulfilled_share"].isna().all()


def test_the_cli_scorecard_prints_the_calibration_by_origin():
    code, out, _ = run("scorecard", "2017")
    assert code == 0
    assert "Calibration by origin" in out
    rows = [line.split()[:3] for line in out.splitlines() if line.startswith(("outlook ", "quoted "))]
    assert [row[:2] for row in rows] == [["outlook", "forecasts"], ["outlook", "clauses"],
                                         ["quoted", "forecasts"], ["quoted", "clauses"]]
