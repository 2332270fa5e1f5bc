"""The scorecard's calibration and the hedge table. That every claim's key phrase is printed in the
source is checked by scripts/audit_against_source.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import china_internet_trends as cit
from synthetic import Holding, build
from test_totality import run

CALIBRATED = Holding(2040, trends=("security",), trends_full=True, forecasts=(
    ("security", "fulfilled", "将"), ("security", "not_fulfilled", "将"), ("security", "partly", "将"),
    ("fintech", "fulfilled", "预计"), ("fintech", None, "预计"),
    ("iot", "not_fulfilled", "或将"), ("iot", "cannot_be_judged", "或将"), ("iot", "too_early", "或将"),
))


@pytest.fixture
def calibrated(tmp_path: Path) -> Path:
    root = build(tmp_path / "package", [CALIBRATED])
    report = cit.validate(path=root)
    assert report.valid, str(report)
    return root


def test_calibration_counts_verdicts_by_certainty(calibrated: Path):
    table = cit.open(calibrated).scorecard(2040).by_certainty.set_index("certainty")
    columns = ["forecasts", "fulfilled", "partly", "not_fulfilled", "too_early", "cannot_be_judged", "not_judged", "decided"]
    assert table.loc["high", columns].tolist() == [3, 1, 1, 1, 0, 0, 0, 3]
    assert table.loc["medium", columns].tolist() == [2, 1, 0, 0, 0, 0, 1, 1]
    assert table.loc["low", columns].tolist() == [3, 0, 0, 1, 1, 1, 0, 1]
    assert table.loc["high", "fulfilled_share"] == pytest.approx(1 / 3)
    assert table.loc["high", "fulfilled_or_partly_share"] == pytest.approx(2 / 3)
    assert table.loc["medium", "fulfilled_share"] == 1.0 and table.loc["low", "fulfilled_share"] == 0.0


def test_calibration_shares_are_empty_when_nothing_is_decided(tmp_path: Path):
    root = build(tmp_path / "package", [Holding(2040, trends=("security",), forecasts=(("security", "too_early", "将"),))])
    table = cit.open(root).scorecard(2040).by_certainty.set_index("certainty")
    assert table["decided"].tolist() == [0, 0, 0, 0]
    assert table["fulfilled_share"].isna().all()


def test_the_cli_scorecard_prints_the_calibration_table(calibrated: Path):
    code, out, _ = run("--package", str(calibrated), "scorecard", "2040")
    assert code == 0
    assert "Calibration: verdicts by certainty" in out
    high = next(line for line in out.splitlines() if line.startswith("high"))
    assert high.split()[:2] == ["high", "3"] and "33.3%" in high and "66.7%" in high


def test_every_judged_forecast_of_the_shipped_2017_scorecard_has_a_good_source():
    card = cit.scorecard(2017)
    judged = card.forecasts[card.forecasts["verdict"] != "cannot_be_judged"]
    assert judged["evidence_reliability"].isin(["primary", "secondary"]).all()
    assert card.by_certainty["forecasts"].sum() == len(card.forecasts) == 32


def test_claim_en_keeps_the_hedge():
    for row in cit.forecasts().dropna(subset=["certainty"]).itertuples():
        if row.certainty == "low":
            assert re.search(r"\b(may|might|could|possibly)\b", row.claim_en), (row.forecast_id, row.claim_en)
        if row.certainty == "medium":
            assert re.search(r"\b(expected|likely|hoped|projected|forecast)\b", row.claim_en), (row.forecast_id, row.claim_en)
