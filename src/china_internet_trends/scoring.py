"""The scorecard of an edition's forecasts: each with its latest verdict, counts, and calibration.

Calibration asks how often what ISC said it was sure of came true, against what it only hedged:
``by_certainty`` counts verdicts per certainty level of the hedge (``high`` for 将 or a plain
statement, ``medium`` for 预计/有望, ``low`` for 或将/可能; see ``cit.hedges()``; ``unknown`` where the
package holds no Chinese wording of the forecast), with the share fulfilled among the forecasts
that could be decided.

Clause by clause: the ``forecast_clauses`` table splits each forecast into the clauses printed in
its passage, marks each a ``forecast`` or a ``description`` (present tense, not judged) and judges
each forecast clause ``fulfilled``, ``not_fulfilled`` or ``unverified`` (nothing found either way).
``Scorecard.clauses`` holds them, ``Scorecard.by_clause`` each forecast's verdict derived from its
clauses (:func:`derive_verdicts`), and ``Scorecard.by_origin`` the calibration of ISC's own outlook
apart from the targets and estimates it quotes, counting forecasts and clauses, each share with a
Wilson 95% interval (:func:`wilson`).

>>> from china_internet_trends import open
>>> card = scorecard(open(), 2017)
>>> int(card.by_verdict["forecasts"].sum()) == len(card.forecasts)
True
>>> bool(scorecard(open(), 2018).by_verdict["forecasts"].isna().all())  # the package holds no forecast of 2018: not held, not 0
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import pandas as pd

from .dtypes import cross_counts, stable
from .errors import NotInPackage
from .holdings import check_edition

if TYPE_CHECKING:
    from .package import Package

VERDICTS = ["fulfilled", "partly", "not_fulfilled", "too_early", "cannot_be_judged", "not_judged"]
DECIDED = ["fulfilled", "partly", "not_fulfilled"]
CERTAINTIES = ["high", "medium", "low", "unknown"]
CLAUSE_VERDICTS = ["fulfilled", "not_fulfilled", "unverified"]
DERIVED = ["fulfilled", "partly", "not_fulfilled", "too_early", "cannot_be_judged", "no_forecast", "not_split"]
"""Verdicts :func:`derive_verdicts` gives a forecast: the scorecard's, plus ``no_forecast`` (every
clause is a description) and ``not_split`` (the package holds no clauses of the forecast)."""
ORIGIN_GROUPS = {"trends_outlook": "outlook", "policy_target": "quoted", "estimate": "quoted"}
"""ISC's own outlook apart from the policy targets and estimates it quotes."""
CLAUSE_COLUMNS = ["clause_id", "forecast_id", "origin", "clause_zh", "clause_en", "tense", "hedge", "certainty", "verdict",
                  "as_of", "evidence_en", "source_id", "reliability"]


@dataclass
class Scorecard:
    """``forecasts``: one row per forecast with its latest verdict and its evidence's source;
    ``by_verdict``, ``by_theme`` and ``by_certainty`` (calibration): counts; ``coverage``: the
    edition's row of :func:`~china_internet_trends.holdings.coverage`, so that an edition whose
    outlook the package does not hold is not read as one with no forecasts. ``clauses``: the
    edition's forecast clauses with the forecast's ``origin``, the hedge's ``certainty`` and the
    source's ``reliability``; ``by_clause``: per forecast, its clauses counted by tense and verdict,
    ``derived_verdict`` (:func:`derive_verdicts`) and the outcome ``verdict`` beside it;
    ``by_origin``: calibration by origin group (:func:`calibration_by_origin`). ``by_theme`` and the
    three clause tables are computed when first asked for (the clause tables from ``package``, as its
    files are then): the report shows none of them."""

    edition: int
    forecasts: pd.DataFrame
    by_verdict: pd.DataFrame
    by_certainty: pd.DataFrame
    coverage: pd.Series
    package: Package = field(repr=False, compare=False)

    @property
    def heading(self) -> str:
        """What the card covers, e.g. "32 forecasts of the 2017 edition; the package holds all of the outlook for 2018 (…)"."""
        held = len(self.forecasts)
        return f"{held} forecast{'' if held == 1 else 's'} of the {self.edition} edition; the package holds {self.coverage['trends_text']}"

    @cached_property
    def by_theme(self) -> pd.DataFrame:
        return _by(self.forecasts, "theme")

    @cached_property
    def clauses(self) -> pd.DataFrame:
        return _clauses(self.package, self.edition, self.forecasts)

    @cached_property
    def by_clause(self) -> pd.DataFrame:
        return _by_clause(self.clauses, self.forecasts)

    @cached_property
    def by_origin(self) -> pd.DataFrame:
        return calibration_by_origin(self.by_clause, self.clauses)


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
    return Scorecard(edition, card, stable(by_verdict), _calibration(card), p.coverage([edition]).iloc[0], p)


def wilson(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The Wilson score interval (95% by default) for ``successes`` out of ``trials``; NaNs when ``trials`` is 0.

    Five lines of ``math`` rather than a dependency (scipy or statsmodels) for one formula; it keeps
    the interval inside [0, 1] and is sound for the small counts of one edition.

    >>> [round(bound, 3) for bound in wilson(4, 19)]
    [0.085, 0.433]
    """
    if trials == 0:
        return math.nan, math.nan
    share, z2 = successes / trials, z * z
    centre = (share + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def derive_verdicts(clauses: pd.DataFrame, target_years: pd.Series | None = None) -> pd.Series:
    """Each forecast's verdict derived from its clauses (``forecast_id``, ``tense``, ``verdict``, ``as_of``).

    The rule, over the forecast's clauses whose ``tense`` is ``forecast`` (descriptions are not judged):

    - no forecast clause (every clause a description): ``no_forecast``;
    - every forecast clause fulfilled: ``fulfilled``;
    - none fulfilled and at least one not fulfilled (the rest unverified): ``not_fulfilled``;
    - some fulfilled and some not fulfilled or unverified (a mix): ``partly``;
    - every forecast clause unverified: ``too_early`` when ``target_years`` gives the forecast's
      target year and all the evidence predates it (the latest ``as_of`` falls in an earlier year),
      else ``cannot_be_judged``.

    An unverified clause (nothing found either way) never counts against a forecast.
    Returns a Series indexed by ``forecast_id``, named ``derived_verdict``.

    >>> frame = pd.DataFrame({"forecast_id": ["a", "a", "b"], "tense": ["forecast", "description", "forecast"],
    ...                       "verdict": ["fulfilled", None, "unverified"], "as_of": pd.to_datetime(["2018-12-31", None, "2018-12-31"])})
    >>> derive_verdicts(frame).to_dict()
    {'a': 'fulfilled', 'b': 'cannot_be_judged'}
    """
    judged_rows: dict[object, list[int]] = {}  # per forecast (missing ids left out, as groupby does), its forecast clauses' positions
    for position, (forecast_id, tense) in enumerate(zip(clauses["forecast_id"].tolist(), clauses["tense"].tolist())):
        if not pd.isna(forecast_id):
            judged_rows.setdefault(forecast_id, [])
            if isinstance(tense, str) and tense == "forecast":
                judged_rows[forecast_id].append(position)
    verdict_of = clauses["verdict"].tolist()
    derived = {}
    for forecast_id in sorted(judged_rows):  # one pass in plain Python: a pandas filter per forecast cost 1 ms each
        judged = judged_rows[forecast_id]
        verdicts = {verdict_of[position] for position in judged if not pd.isna(verdict_of[position])}
        if not judged:
            derived[forecast_id] = "no_forecast"
        elif verdicts == {"fulfilled"}:
            derived[forecast_id] = "fulfilled"
        elif "fulfilled" in verdicts:
            derived[forecast_id] = "partly"
        elif "not_fulfilled" in verdicts:
            derived[forecast_id] = "not_fulfilled"
        else:
            latest = pd.to_datetime(clauses["as_of"].iloc[judged]).max()
            target = None if target_years is None else target_years.get(forecast_id)
            early = target is not None and not pd.isna(target) and not pd.isna(latest) and latest.year < int(target)
            derived[forecast_id] = "too_early" if early else "cannot_be_judged"
    return pd.Series(derived, name="derived_verdict", dtype="object").rename_axis("forecast_id")


def calibration_by_origin(by_clause: pd.DataFrame, clauses: pd.DataFrame) -> pd.DataFrame:
    """Calibration of ISC's own outlook (``outlook``: origin trends_outlook) apart from the policy
    targets and estimates it quotes (``quoted``: policy_target or estimate), counted once in forecasts (their
    derived verdicts) and once in forecast clauses.

    Per group and unit: ``items`` (forecasts split into clauses, or forecast clauses),
    ``descriptions`` (forecasts with no forecast clause, or description clauses, not judged),
    ``fulfilled``, ``partly`` (forecasts only), ``not_fulfilled``, ``undecided`` (unverified
    clauses; forecasts too early or that cannot be judged), ``decided`` and ``fulfilled_share`` of
    the decided with its Wilson 95% interval ``share_low``–``share_high`` (empty when none is decided).
    """
    rows = []
    split = by_clause[by_clause["derived_verdict"] != "not_split"] if not by_clause.empty else by_clause
    for group in ("outlook", "quoted"):
        forecasts = split[split["origin"].map(ORIGIN_GROUPS) == group] if not split.empty else split
        verdicts = forecasts["derived_verdict"].value_counts() if not forecasts.empty else pd.Series(dtype="int64")
        def count(verdict: str, counts: pd.Series = verdicts) -> int:
            return int(counts.get(verdict, 0))
        rows.append({"group": group, "unit": "forecasts", "items": len(forecasts) - count("no_forecast"),
                     "descriptions": count("no_forecast"), "fulfilled": count("fulfilled"), "partly": count("partly"),
                     "not_fulfilled": count("not_fulfilled"), "undecided": count("too_early") + count("cannot_be_judged")})
        mine = clauses[clauses["origin"].map(ORIGIN_GROUPS) == group] if not clauses.empty else clauses
        judged = mine[mine["tense"] == "forecast"] if not mine.empty else mine
        verdicts = judged["verdict"].value_counts() if not judged.empty else pd.Series(dtype="int64")
        rows.append({"group": group, "unit": "clauses", "items": len(judged), "descriptions": len(mine) - len(judged),
                     "fulfilled": int(verdicts.get("fulfilled", 0)), "partly": 0,
                     "not_fulfilled": int(verdicts.get("not_fulfilled", 0)), "undecided": int(verdicts.get("unverified", 0))})
    table = pd.DataFrame(rows)
    table["decided"] = table["fulfilled"] + table["partly"] + table["not_fulfilled"]
    table["fulfilled_share"] = (table["fulfilled"] / table["decided"].where(table["decided"] > 0)).astype("float64")
    bounds = [wilson(int(k), int(n)) for k, n in zip(table["fulfilled"], table["decided"])]
    table["share_low"] = [low for low, _ in bounds]
    table["share_high"] = [high for _, high in bounds]
    return stable(table)


def _clauses(p: Package, edition: int, card: pd.DataFrame) -> pd.DataFrame:
    """The edition's forecast clauses with origin (from ``card``, the scorecard's forecasts), certainty and
    reliability; empty when the package has no such table."""
    try:
        clauses = p.load("forecast_clauses", edition)
    except NotInPackage:
        return stable(pd.DataFrame(columns=CLAUSE_COLUMNS))
    clauses = clauses.merge(card[["forecast_id", "origin"]], on="forecast_id", how="left")
    clauses["certainty"] = clauses["hedge"].map(p.hedges().set_index("hedge")["certainty"])
    clauses["reliability"] = clauses["source_id"].map(p.sources().set_index("source_id")["reliability"])
    return stable(clauses[CLAUSE_COLUMNS].reset_index(drop=True))


def _by_clause(clauses: pd.DataFrame, card: pd.DataFrame) -> pd.DataFrame:
    """Per forecast of ``card`` (the scorecard's forecasts): clauses by tense and verdict, the verdict derived from
    them and the outcome verdict."""
    table = card[["forecast_id", "origin"]].copy()
    tense = clauses["tense"] if not clauses.empty else pd.Series(dtype="object")
    by_id = clauses.groupby("forecast_id") if not clauses.empty else None
    for column, rows in (("clauses", None), ("descriptions", tense == "description"),
                         *((verdict, clauses["verdict"] == verdict) for verdict in CLAUSE_VERDICTS)):
        if by_id is None:
            table[column] = 0
            continue
        counts = by_id.size() if rows is None else clauses[rows.fillna(False)].groupby("forecast_id").size()
        table[column] = table["forecast_id"].map(counts).fillna(0).astype("int64")
    derived = derive_verdicts(clauses, card.set_index("forecast_id")["target_year"]) if not clauses.empty else pd.Series(dtype="object")
    table["derived_verdict"] = table["forecast_id"].map(derived).astype("object").fillna("not_split")
    table["verdict"] = table["forecast_id"].map(card.set_index("forecast_id")["verdict"])
    return stable(table.reset_index(drop=True))


def _by(card: pd.DataFrame, column: str, rows: list[str] | None = None) -> pd.DataFrame:
    """Forecasts per value of ``column`` (in the order of ``rows`` when given) and verdict; every verdict is a column."""
    counts = cross_counts(card[column], card["verdict"]).reindex(columns=VERDICTS, fill_value=0)
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
