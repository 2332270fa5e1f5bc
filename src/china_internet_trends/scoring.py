"""The scorecard of an edition's forecasts: each with its latest verdict, plus counts.

>>> card = scorecard(2017)
>>> int(card.by_verdict["forecasts"].sum()) == len(card.forecasts)
True
>>> bool(scorecard(2018).by_verdict["forecasts"].isna().all())  # the package holds no forecast of 2018: not held, not 0
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .holdings import check_edition, coverage
from .dtypes import stable
from .tables import forecasts, outcomes

VERDICTS = ["fulfilled", "partly", "not_fulfilled", "too_early", "cannot_be_judged", "not_judged"]


@dataclass
class Scorecard:
    """``forecasts``: one row per forecast with its latest verdict; ``by_verdict`` and ``by_theme``: counts;
    ``coverage``: the edition's row of :func:`~china_internet_trends.holdings.coverage`, so that an
    edition whose outlook the package does not hold is not read as one with no forecasts."""

    edition: int
    forecasts: pd.DataFrame
    by_verdict: pd.DataFrame
    by_theme: pd.DataFrame
    coverage: pd.Series

    @property
    def heading(self) -> str:
        """What the card covers, e.g. "32 forecasts of the 2017 edition; the package holds all of the outlook for 2018 (…)"."""
        held = len(self.forecasts)
        return f"{held} forecast{'' if held == 1 else 's'} of the {self.edition} edition; the package holds {self.coverage['trends_text']}"


def scorecard(edition: int, path: str | Path | None = None) -> Scorecard:
    """Each forecast of ``edition`` with its latest verdict (``not_judged`` when there is none yet).

    ``by_verdict`` counts forecasts per verdict; when the package holds no forecast of the edition
    the counts are empty (``<NA>``), not 0. Raises
    :class:`~china_internet_trends.errors.UnknownEdition` for an edition the package does not have.
    """
    edition = check_edition(edition, path)
    claims = forecasts(edition, path)
    judged = outcomes(path=path).sort_values(["forecast_id", "as_of", "outcome_id"]).drop_duplicates("forecast_id", keep="last")
    card = claims.merge(judged[["forecast_id", "verdict", "as_of", "evidence_en", "source_id"]],
                        on="forecast_id", how="left", suffixes=("", "_evidence"))
    card["verdict"] = card["verdict"].fillna("not_judged")
    columns = ["forecast_id", "section_id", "event_id", "origin", "target_year", "theme", "claim_en",
               "verdict", "as_of", "evidence_en", "source_id_evidence"]
    card = stable(card[columns].rename(columns={"source_id_evidence": "evidence_source_id"}))
    counts = card["verdict"].value_counts().reindex(VERDICTS, fill_value=0).astype("Int64")
    if card.empty:
        counts[:] = pd.NA
    by_verdict = counts.rename("forecasts").rename_axis("verdict").reset_index()
    by_theme = pd.crosstab(card["theme"], card["verdict"]).reindex(columns=VERDICTS, fill_value=0).astype("int64")
    by_theme = by_theme.rename_axis(index="theme").reset_index().rename_axis(columns=None)
    return Scorecard(edition, card, stable(by_verdict), stable(by_theme), coverage([edition], path).iloc[0])
