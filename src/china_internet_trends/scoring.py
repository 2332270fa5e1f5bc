"""The scorecard of an edition's forecasts: each with its latest verdict, counts, and calibration.

Calibration asks how often what ISC said it was sure of came true, against what it only hedged:
``by_certainty`` counts verdicts per certainty level of the hedge (``high`` for 将 or a plain
statement, ``medium`` for 预计/有望, ``low`` for 或将/可能; see ``cit.hedges()``; ``unknown`` where the
package holds no Chinese wording of the forecast), with the share fulfilled among the forecasts
that could be decided.

>>> from china_internet_trends import open
>>> card = scorecard(open(), 2017)
>>> int(card.by_verdict["forecasts"].sum()) == len(card.forecasts)
True
>>> bool(scorecard(open(), 2018).by_verdict["forecasts"].isna().all())  # the package holds no forecast of 2018: not held, not 0
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from .dtypes import stable
from .holdings import check_edition

if TYPE_CHECKING:
    from .package import Package

VERDICTS = ["fulfilled", "partly", "not_fulfilled", "too_early", "cannot_be_judged", "not_judged"]
DECIDED = ["fulfilled", "partly", "not_fulfilled"]
CERTAINTIES = ["high", "medium", "low", "unknown"]


@dataclass
class Scorecard:
    """``forecasts``: one row per forecast with its latest verdict and its evidence's source;
    ``by_verdict``, ``by_theme`` and ``by_certainty`` (calibration): counts; ``coverage``: the
    edition's row of :func:`~china_internet_trends.holdings.coverage`, so that an edition whose
    outlook the package does not hold is not read as one with no forecasts."""

    edition: int
    forecasts: pd.DataFrame
    by_verdict: pd.DataFrame
    by_theme: pd.DataFrame
    by_certainty: pd.DataFrame
    coverage: pd.Series

    @property
    def heading(self) -> str:
        """What the card covers, e.g. "32 forecasts of the 2017 edition; the package holds all of the outlook for 2018 (…)"."""
        held = len(self.forecasts)
        return f"{held} forecast{'' if held == 1 else 's'} of the {self.edition} edition; the package holds {self.coverage['trends_text']}"


def scorecard(p: Package, edition: int) -> Scorecard:
    """Each forecast of ``edition`` with its latest verdict (``not_judged`` when there is none yet).

    ``forecasts`` has the claim (``claim_zh`` as printed, ``claim_en``), its ``hedge`` and
    ``certainty``, and the latest outcome: ``verdict``, ``as_of``, ``evidence_en``,
    ``evidence_source_id`` and that source's ``evidence_reliability``. ``by_verdict`` counts
    forecasts per verdict and ``by_theme`` per theme and verdict; when the package holds no forecast
    of the edition the counts of ``by_verdict`` are empty (``<NA>``), not 0. ``by_certainty`` is
    the calibration table: per certainty level, the forecasts, each verdict's count, ``decided``
    (fulfilled, partly or not fulfilled), and ``fulfilled_share`` and ``fulfilled_or_partly_share``
    of the decided ones (empty when none is decided).

    Raises :class:`~china_internet_trends.errors.UnknownEdition` for an edition the package does not have.
    """
    edition = check_edition(p, edition)
    claims = p.forecasts(edition)
    judged = p.outcomes().sort_values(["forecast_id", "as_of", "outcome_id"]).drop_duplicates("forecast_id", keep="last")
    card = claims.merge(judged[["forecast_id", "verdict", "as_of", "evidence_en", "source_id"]],
                        on="forecast_id", how="left", suffixes=("", "_evidence"))
    card["verdict"] = card["verdict"].fillna("not_judged")
    card["evidence_reliability"] = card["source_id_evidence"].map(p.sources().set_index("source_id")["reliability"])
    columns = ["forecast_id", "section_id", "event_id", "origin", "target_year", "theme", "claim_zh", "claim_en", "hedge",
               "certainty", "verdict", "as_of", "evidence_en", "source_id_evidence", "evidence_reliability"]
    card = stable(card[columns].rename(columns={"source_id_evidence": "evidence_source_id"}))
    counts = card["verdict"].value_counts().reindex(VERDICTS, fill_value=0).astype("Int64")
    if card.empty:
        counts[:] = pd.NA
    by_verdict = counts.rename("forecasts").rename_axis("verdict").reset_index()
    return Scorecard(edition, card, stable(by_verdict), _by(card, "theme"), _calibration(card),
                     p.coverage([edition]).iloc[0])


def _by(card: pd.DataFrame, column: str, rows: list[str] | None = None) -> pd.DataFrame:
    """Forecasts per value of ``column`` (in the order of ``rows`` when given) and verdict; every verdict is a column."""
    counts = pd.crosstab(card[column], card["verdict"]).reindex(columns=VERDICTS, fill_value=0)
    if rows is not None:
        counts = counts.reindex(rows, fill_value=0)
    return stable(counts.astype("int64").rename_axis(index=column).reset_index().rename_axis(columns=None))


def _calibration(card: pd.DataFrame) -> pd.DataFrame:
    """Verdicts per certainty level, with the share fulfilled among the decided forecasts.

    >>> card = pd.DataFrame({"certainty": ["high", "high", "low"], "verdict": ["fulfilled", "not_fulfilled", "partly"]})
    >>> _calibration(card)[["certainty", "decided", "fulfilled_share", "fulfilled_or_partly_share"]].to_dict("list")
    {'certainty': ['high', 'medium', 'low', 'unknown'], 'decided': [2, 0, 1, 0], 'fulfilled_share': [0.5, nan, 0.0, nan], 'fulfilled_or_partly_share': [0.5, nan, 1.0, nan]}
    """
    table = _by(card.assign(certainty=card["certainty"].fillna("unknown")), "certainty", CERTAINTIES)
    table.insert(1, "forecasts", table[VERDICTS].sum(axis=1))
    table["decided"] = table[DECIDED].sum(axis=1)
    decided = table["decided"].where(table["decided"] > 0).astype("float64")
    table["fulfilled_share"] = table["fulfilled"] / decided
    table["fulfilled_or_partly_share"] = (table["fulfilled"] + table["partly"]) / decided
    return stable(table)
