"""Compare editions: events side by side, theme agendas, matched figures, review against outlook.

Every answer says what each side holds (:mod:`~china_internet_trends.holdings`). A count of a part
the package does not hold for an edition is missing (``<NA>``), never 0; a theme is called
``gained`` or ``dropped`` only when the side without it holds that part complete, since a theme
absent from 3 of the ten events may be among the other seven. Every function accepts any two
different editions of the package, including one with no rows at all, and raises
:class:`~china_internet_trends.errors.UnknownEdition` for an edition the package does not have.

Columns of two sides are named by the side: ``theme_2016`` and ``theme_2017``, ``value_2017`` and
``value_observations``; a column that describes the pair (``rank``, ``change``, ``growth``,
``caveat``) has no suffix. Each function is a method of ``p.compare`` for an opened package ``p``
(:class:`Comparisons`), and a module-level function of the same name on the package at ``path``
(keyword-only; default: the shipped one).

>>> side = events(2016, 2017)
>>> side.loc[0, ["theme_2016", "theme_2017"]].tolist()
['strategy', 'strategy']
>>> bool(theme_shifts(2015, 2017)["status"].isna().all())  # 2015's events are not held: nothing is "gained"
True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .conversion import with_base_values
from .dtypes import TEXT, stable
from .errors import QueryError
from .holdings import as_years, check_edition
from .package import opened

if TYPE_CHECKING:
    from .package import Package

PARTS = ("events", "sections", "forecasts")
OBSERVATIONS = "observations"
EXACT = {"eq", "approx"}
PAIRED = ("row_id", "entity_id", "period_start", "period_end", "value", "unit", "comparator", "base_value", "figures", "review_coverage")
"""The columns :meth:`Comparisons.indicators` gives for each side, each ending in the side's name."""

def events(a: int, b: int, *, path: str | Path | None = None) -> pd.DataFrame:
    """The events of editions ``a`` and ``b`` side by side by rank; unranked events follow, each on its own row (:meth:`Comparisons.events` on the package at ``path``)."""
    return opened(path).compare.events(a, b)


def theme_shifts(a: int, b: int, *, path: str | Path | None = None) -> pd.DataFrame:
    """Themes of the two editions' events: counts in each, and whether the theme was gained, dropped or persisted (:meth:`Comparisons.theme_shifts` on the package at ``path``)."""
    return opened(path).compare.theme_shifts(a, b)


def themes(editions: Iterable[int] | None = None, parts: Iterable[str] = PARTS, *, path: str | Path | None = None) -> pd.DataFrame:
    """Theme × edition counts over events, sections and forecasts (or the ``parts`` named) (:meth:`Comparisons.themes` on the package at ``path``)."""
    return opened(path).compare.themes(editions, parts)


def review_vs_trends(edition: int, *, path: str | Path | None = None) -> pd.DataFrame:
    """Which review themes the trends outlook carries on, which it adds and which it drops (:meth:`Comparisons.review_vs_trends` on the package at ``path``)."""
    return opened(path).compare.review_vs_trends(edition)


def indicators(a: int | str, b: int | str, *, path: str | Path | None = None) -> pd.DataFrame:
    """Figures matched by series between edition ``a`` and edition ``b``; either may be ``"observations"`` (:meth:`Comparisons.indicators` on the package at ``path``)."""
    return opened(path).compare.indicators(a, b)


class Comparisons:
    """The comparisons of one opened package: ``p.compare.events(2016, 2017)``."""

    def __init__(self, package: Package):
        self._p = package

    def events(self, a: int, b: int) -> pd.DataFrame:
        """The events of editions ``a`` and ``b`` side by side by rank; unranked events follow, each on its own row.

        Columns: ``rank``; ``event_id_<a>``, ``title_zh_<a>``, ``title_en_<a>``, ``theme_<a>`` and the same
        for ``b``; ``events_found_<a>`` and ``events_found_<b>`` (how many of the ten events the package
        holds of each, from ``editions``). A rank a side does not hold is empty on that side.
        """
        a, b = _two_editions(self._p, a, b)
        found = self._p.coverage([a, b]).set_index("edition")["events_found"]
        sides = [_positioned_events(self._p, edition, first_unranked) for edition, first_unranked in ((a, 100), (b, 200))]
        merged = sides[0].merge(sides[1], on="position", how="outer").sort_values("position")
        merged.insert(0, "rank", merged[f"rank_{a}"].fillna(merged[f"rank_{b}"]))
        merged = merged.drop(columns=["position", f"rank_{a}", f"rank_{b}"]).reset_index(drop=True)
        return stable(merged.assign(**{f"events_found_{e}": pd.array([found[e]] * len(merged), dtype="Int64") for e in (a, b)}))

    def theme_shifts(self, a: int, b: int) -> pd.DataFrame:
        """Themes of the two editions' events: counts in each, and whether the theme was gained, dropped or persisted.

        Columns: ``theme``; ``events_<a>`` and ``events_<b>`` (empty for a side that holds none of its
        events); ``status``: ``persisting`` (in both), ``gained`` (only in ``b``, and ``a`` holds all ten
        events), ``dropped`` (only in ``a``, and ``b`` holds all ten), or empty when the holdings cannot
        tell; ``caveat``, why a status is empty; ``events_found_<a>`` and ``events_found_<b>``.

        >>> theme_shifts(2016, 2017).set_index("theme").loc["fintech", "status"]
        'persisting'
        """
        a, b = _two_editions(self._p, a, b)
        held = self._p.coverage([a, b]).set_index("edition")
        counts = _masked_counts(self._p, self._p.events([a, b]), [a, b], held["events_held"])
        counts = counts.loc[counts.fillna(0).sum(axis=1) > 0].rename_axis(columns=None)
        in_a, in_b = counts[a], counts[b]
        status = _status(in_a, in_b, held.loc[a, "events_complete"], held.loc[b, "events_complete"],
                         ("persisting", "gained", "dropped"))
        caveat = [_shift_caveat(a, b, row_a, row_b, held) for row_a, row_b in zip(in_a, in_b)]
        shifts = counts.rename(columns={a: f"events_{a}", b: f"events_{b}"}).assign(status=status, caveat=pd.array(caveat, dtype=TEXT))
        for edition in (a, b):
            shifts[f"events_found_{edition}"] = pd.array([held.loc[edition, "events_found"]] * len(shifts), dtype="Int64")
        return stable(shifts.reset_index())

    def themes(self, editions: Iterable[int] | None = None, parts: Iterable[str] = PARTS) -> pd.DataFrame:
        """Theme × edition counts over events, sections and forecasts (or the ``parts`` named).

        Rows are the codebook's themes in its order; columns are editions, by default every year from
        the first edition to the last, so that a year the package has no row of (2019 to 2021) shows as
        a gap. A cell is empty (``<NA>``) where the edition holds none of the parts counted, never 0; a
        part an edition holds no row of adds nothing to its column. Any year may be asked for: a year the
        package does not have is an empty column. See :func:`~china_internet_trends.holdings.coverage`
        for how much of each part an edition holds.

        >>> matrix = themes(parts=["events"])
        >>> bool(matrix[2018].isna().all()), bool(matrix[2020].isna().all()), int(matrix[2017].sum())
        (True, True, 10)
        """
        parts = _parts(parts)
        years = _years(self._p, editions)
        total: pd.DataFrame | None = None
        for part in parts:
            rows = self._p.load(part)[["edition", "theme"]]
            rows = rows[rows["edition"].isin(years)]  # a year may be one the package does not have: its column is empty
            held = pd.Series(pd.Index(years).isin(rows["edition"]), index=years)
            counts = _masked_counts(self._p, rows, years, held)
            total = counts if total is None else total.add(counts, fill_value=0)
        total = total.astype("Int64").set_axis(total.index.astype(TEXT), axis=0).set_axis(pd.Index(years, dtype="int64"), axis=1)
        return total.rename_axis(index="theme", columns="edition")

    def review_vs_trends(self, edition: int) -> pd.DataFrame:
        """Which review themes the trends outlook carries on, which it adds and which it drops.

        Counts the leaf headings (subsections, or chapters without subsections) of each part by theme.
        ``review`` or ``trends`` is empty when the package holds no heading of that part; ``status`` is
        ``carried_on`` (in both), ``added`` (outlook only, the review held complete), ``dropped``
        (review only, the outlook held complete), or empty when the holdings cannot tell.
        ``review_coverage`` and ``trends_coverage`` repeat the edition's coverage.

        >>> review_vs_trends(2018).empty  # the package holds no heading of 2018
        True
        """
        edition = check_edition(self._p, edition)
        held = self._p.coverage([edition]).iloc[0]
        sections = self._p.sections(edition)
        leaves = sections[~sections["section_id"].isin(sections["parent_id"].dropna())]
        counts = pd.crosstab(leaves["theme"], leaves["part"]).reindex(columns=["review", "trends"], fill_value=0).astype("Int64")
        for part in ("review", "trends"):
            if not (sections["part"] == part).any():
                counts[part] = pd.array([pd.NA] * len(counts), dtype="Int64")
        status = _status(counts["review"], counts["trends"], held["review_complete"], held["trends_complete"],
                         ("carried_on", "added", "dropped"))
        order = self._p.themes().set_index("theme")["order"]
        counts = counts.assign(status=status, review_coverage=held["review_coverage"], trends_coverage=held["trends_coverage"])
        counts = counts.reset_index().rename_axis(columns=None)
        return stable(counts.sort_values("theme", key=lambda t: t.map(order)).reset_index(drop=True))

    def indicators(self, a: int | str, b: int | str) -> pd.DataFrame:
        """Figures matched by series between edition ``a`` and edition ``b``; either may be ``"observations"``.

        For each series both sides report, the latest figure of each side (by period end) is compared
        in base units: ``change`` = b − a and ``growth`` = b / a − 1. When the two figures are not
        like for like (the second older than the first, different entities, a stock against a flow,
        periods of different length, or a comparator other than eq/approx), ``change`` and ``growth``
        stay empty and ``caveat`` says why. Policy targets are left out. Each side's columns end in
        its name (``value_2017``, ``value_observations``): the figure's ``row_id``, entity, period,
        value, unit, comparator and base value, and ``figures_<side>`` (how many figures linked to a
        series the side holds) and ``review_coverage_<side>`` (how much of its review; empty for
        observations).

        >>> indicators(2014, 2017).empty  # the package holds no figure of 2014
        True
        """
        a, b = _two_editions(self._p, a, b, observations=True)
        left, right = _figures(self._p, a), _figures(self._p, b)
        pairs = _latest_by_series(self._p, left).merge(_latest_by_series(self._p, right), on="series_id", suffixes=("_a", "_b"))
        pairs["base_unit"] = pairs["series_id"].map(self._p.series_table().set_index("series_id")["base_unit"])
        caveats = pd.array([_caveat(pair) for pair in pairs.itertuples(index=False)], dtype=TEXT)
        comparable = pd.isna(caveats)
        pairs["change"] = (pairs["base_value_b"] - pairs["base_value_a"]).where(comparable)
        pairs["growth"] = (pairs["base_value_b"] / pairs["base_value_a"] - 1).where(comparable)
        pairs["caveat"] = caveats
        for side, figures in (("a", left), ("b", right)):
            pairs[f"figures_{side}"] = pd.array([len(figures)] * len(pairs), dtype="Int64")
            pairs[f"review_coverage_{side}"] = pd.array([_review_coverage(self._p, a if side == "a" else b)] * len(pairs), dtype=TEXT)
        sided = [f"{c}_{side}" for side in "ab" for c in PAIRED]
        pairs = pairs[["series_id", *sided, "base_unit", "change", "growth", "caveat"]]
        return stable(pairs.rename(columns={f"{c}_{side}": f"{c}_{label}" for side, label in (("a", a), ("b", b)) for c in PAIRED}))




def _positioned_events(p: Package, edition: int, first_unranked: int) -> pd.DataFrame:
    """An edition's events with a ``position``: the rank, or ``first_unranked`` + n for the n-th unranked event,
    so that unranked events of the two sides never share a row."""
    frame = p.events(edition)[["event_id", "rank", "title_zh", "title_en", "theme"]]
    unranked = frame["rank"].isna().cumsum().where(frame["rank"].isna())
    frame = frame.assign(position=frame["rank"].astype("float64").fillna(first_unranked + unranked.astype("float64")))
    return frame.rename(columns={c: f"{c}_{edition}" for c in frame.columns if c != "position"})


def _status(before: pd.Series, after: pd.Series, before_complete: bool, after_complete: bool, words: tuple[str, str, str]) -> pd.Series:
    """Per theme, in ``words``: in both counts; only in ``after`` (``before`` complete); only in ``before``
    (``after`` complete); else empty, as when a count is empty or its zero comes from an incomplete part.

    >>> _status(pd.Series([1, 0, 2, pd.NA], dtype="Int64"), pd.Series([1, 3, 0, 1], dtype="Int64"), True, False, ("both", "new", "gone")).tolist()
    ['both', 'new', <NA>, <NA>]
    """
    both = ((before > 0) & (after > 0)).fillna(False)
    only_after = ((before == 0) & (after > 0)).fillna(False) & bool(before_complete)
    only_before = ((before > 0) & (after == 0)).fillna(False) & bool(after_complete)
    status = pd.Series(pd.NA, index=before.index, dtype=TEXT)
    status[both.to_numpy(dtype=bool)] = words[0]
    status[only_after.to_numpy(dtype=bool)] = words[1]
    status[only_before.to_numpy(dtype=bool)] = words[2]
    return status


def _shift_caveat(a: int, b: int, count_a: object, count_b: object, held: pd.DataFrame) -> str | None:
    """Why a theme's status cannot be told, or None when it can."""
    reasons = []
    for edition, count in ((a, count_a), (b, count_b)):
        if count is pd.NA:
            reasons.append(f"the package holds {held.loc[edition, 'events_text']}")
        elif count == 0 and not held.loc[edition, "events_complete"]:
            reasons.append(f"absent from the {held.loc[edition, 'events']} events of {edition} held, "
                           f"but perhaps among the {10 - held.loc[edition, 'events']} not held")
    return "; ".join(reasons) or None


def _parts(parts: Iterable[str]) -> list[str]:
    parts = [parts] if isinstance(parts, str) else list(dict.fromkeys(parts))  # a part named twice counts once
    unknown = [part for part in parts if part not in PARTS]
    if unknown or not parts:
        raise QueryError(f"parts must be one or more of {', '.join(PARTS)}; got {parts!r}")
    return parts


def _years(p: Package, editions: Iterable[int] | None) -> list[int]:
    if editions is None:
        known = p.editions_held()
        return list(range(known[0], known[-1] + 1))
    return as_years(editions)


def _masked_counts(p: Package, rows: pd.DataFrame, editions: list[int], held: pd.Series) -> pd.DataFrame:
    """Theme × edition counts of ``rows`` (codebook order), empty in the columns of editions not ``held``."""
    codebook = p.themes().sort_values("order")["theme"].tolist()
    counts = pd.crosstab(rows["theme"], rows["edition"]).reindex(index=codebook, columns=editions, fill_value=0).astype("Int64")
    return counts.where(np.broadcast_to(held.to_numpy(), counts.shape)).rename_axis(index="theme", columns="edition")


def _review_coverage(p: Package, side: int | str) -> object:
    """The edition's review coverage as ``editions`` gives it; empty for observations or an edition not registered there."""
    registered = p.editions().set_index("edition")["review_coverage"]
    return registered.get(side, pd.NA) if side != OBSERVATIONS else pd.NA


def _figures(p: Package, side: int | str) -> pd.DataFrame:
    """The side's figures linked to a series, with ``row_id``: an edition's (targets left out) or the observations."""
    if side == OBSERVATIONS:
        frame = p.observations().rename(columns={"observation_id": "row_id"})
    else:
        frame = p.indicators(side).rename(columns={"indicator_id": "row_id"})
        frame = frame[frame["measure"] != "target"]
    return frame.dropna(subset=["series_id"])


def _latest_by_series(p: Package, frame: pd.DataFrame) -> pd.DataFrame:
    frame = with_base_values(frame, p.units())
    frame = frame.sort_values(["series_id", "period_end", "row_id"]).drop_duplicates("series_id", keep="last")
    return frame[["series_id", "row_id", "entity_id", "period_start", "period_end", "value", "unit", "comparator", "base_value"]]


def _caveat(pair: tuple) -> str | None:
    """Why two matched figures are not like for like, or None when they are."""
    reasons = []
    if pair.period_end_b < pair.period_end_a:
        reasons.append("the second figure is older than the first")
    if pair.entity_id_a != pair.entity_id_b:
        reasons.append(f"different entities ({pair.entity_id_a} vs {pair.entity_id_b})")
    span_a = (pair.period_end_a - pair.period_start_a).days
    span_b = (pair.period_end_b - pair.period_start_b).days
    if (span_a == 0) != (span_b == 0):
        reasons.append("a stock at a date against a flow over a period")
    elif abs(span_a - span_b) > 31:
        reasons.append(f"periods of different length ({span_a + 1} vs {span_b + 1} days)")
    inexact = sorted({pair.comparator_a, pair.comparator_b} - EXACT)
    if inexact:
        reasons.append(f"bounds rather than values (comparator {', '.join(inexact)})")
    return "; ".join(reasons) or None


def _two_editions(p: Package, a: object, b: object, observations: bool = False) -> tuple:
    """``a`` and ``b`` checked: editions the package has (or ``"observations"`` where allowed), and different."""
    sides = tuple(side if observations and side == OBSERVATIONS else check_edition(p, side) for side in (a, b))
    if sides[0] == sides[1]:
        raise QueryError(f"compare two different sides; both are {sides[0]!r}")
    return sides
