"""The scorecard of an edition's forecasts: each with its latest verdict, plus counts.

>>> card = scorecard(2017)
>>> int(card.by_verdict["forecasts"].sum()) == len(card.forecasts)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .tables import forecasts, outcomes

VERDICTS = ["fulfilled", "partly", "not_fulfilled", "too_early", "cannot_be_judged", "not_judged"]


@dataclass
class Scorecard:
    """``forecasts``: one row per forecast with its latest verdict; ``by_verdict`` and ``by_theme``: counts."""

    edition: int
    forecasts: pd.DataFrame
    by_verdict: pd.DataFrame
    by_theme: pd.DataFrame


def scorecard(edition: int, path: str | Path | None = None) -> Scorecard:
    """Each forecast of ``edition`` with its latest verdict (``not_judged`` when there is none yet)."""
    claims = forecasts(edition, path)
    judged = outcomes(path=path).sort_values(["forecast_id", "as_of", "outcome_id"]).drop_duplicates("forecast_id", keep="last")
    card = claims.merge(judged[["forecast_id", "verdict", "as_of", "evidence_en", "source_id"]],
                        on="forecast_id", how="left", suffixes=("", "_evidence"))
    card["verdict"] = card["verdict"].fillna("not_judged")
    columns = ["forecast_id", "section_id", "event_id", "origin", "target_year", "theme", "claim_en",
               "verdict", "as_of", "evidence_en", "source_id_evidence"]
    card = card[columns].rename(columns={"source_id_evidence": "evidence_source_id"})
    by_verdict = (card["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
                  .rename("forecasts").rename_axis("verdict").reset_index())
    by_theme = pd.crosstab(card["theme"], card["verdict"]).reindex(columns=VERDICTS, fill_value=0)
    by_theme = by_theme.loc[:, by_theme.sum() > 0].reset_index().rename_axis(columns=None)
    return Scorecard(edition, card, by_verdict, by_theme)
