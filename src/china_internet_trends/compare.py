"""Compare editions: events side by side, theme agendas, matched figures, review against outlook.

Every answer keeps every row the package holds of either side and says what each side holds: per
side in ``frame.attrs["coverage"]``, a :class:`Coverage` built from
:func:`~china_internet_trends.holdings.coverage` whose ``str`` reads as one line, and as columns
where it varies by row. A side that holds nothing of the part compared gives no rows (the frame is
empty only when neither side holds any) and its coverage says so. A count of a part the package
does not hold for an edition is missing (``<NA>``), never 0; a theme is called ``gained`` or
``dropped`` only when the side without it holds that part complete, since a theme absent from 3 of
the ten events may be among the other seven. Every function accepts any two different editions of
the package, including one with no rows at all, and raises
:class:`~china_internet_trends.errors.UnknownEdition` for an edition the package does not have.

Columns of two sides are named by the side: ``theme_2016`` and ``theme_2017``, ``value_2017`` and
``value_observations``, ``count_2017`` and ``share_2017``; a column that describes the pair
(``rank``, ``change``, ``growth``, ``caveat``) has no suffix. Each function is a method of
``p.compare`` for an opened package ``p`` (:class:`Comparisons`), and a module-level function of
the same name on the package at ``path`` (keyword-only; default: the shipped one).

>>> side = events(2016, 2017)
>>> side.loc[0, ["theme_2016", "theme_2017"]].tolist()
['strategy', 'strategy']
>>> bool(theme_shifts(2015, 2017)["status"].isna().all())  # 2015's events are not held: nothing is "gained"
True
>>> events(2015, 2018).attrs["coverage"]
coverage: 2015: none of the ten events of 2015 (not held); 2018: none of the ten events of 2018 (not held)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from .conversion import difference, with_base_values
from .dtypes import TEXT, cross_counts, stable
from .errors import QueryError
from .holdings import as_years, check_edition
from .package import opened

if TYPE_CHECKING:
    from .package import Package

PARTS = ("events", "sections", "forecasts")
OBSERVATIONS = "observations"
EXACT = {"eq", "approx"}
RATES = ("percent", "percentage_points")
"""Base units of shares and rates: their change is a difference in percentage points, never a relative growth."""
PAIRED = ("row_id", "entity_id", "period_start", "period_end", "value", "unit", "comparator", "base_value", "figures", "review_coverage")
"""The columns :meth:`Comparisons.indicators` gives for each side, each ending in the side's name."""
HOLDINGS = {"events": ("events_held", "events_complete", "events", "events_text"),
            "review": ("review_held", "review_complete", "review_headings", "review_text"),
            "trends": ("trends_held", "trends_complete", "trends_headings", "trends_text")}
"""For each part :func:`~china_internet_trends.holdings.coverage` describes: its columns held, complete, rows and sentence."""


class PartHeld(NamedTuple):
    """What the package holds of one part of one side: any row (``held``), all of it (``complete``),
    the ``rows`` the comparison counts (events, headings, series, items) and a phrase (``text``)."""

    part: str
    held: bool
    complete: bool
    rows: int
    text: str

    def __str__(self) -> str:
        return self.text


class SideHeld(NamedTuple):
    """What the package holds of one side of a comparison (an edition or ``"observations"``), part by part,
    each found by its name (``side["events"]``); no part for a year the package does not have."""

    side: int | str
    parts: tuple[PartHeld, ...]

    def __getitem__(self, part: str) -> PartHeld:  # type: ignore[override]
        for held in self.parts:
            if held.part == part:
                return held
        raise KeyError(part)

    def __str__(self) -> str:
        return f"{self.side}: " + (", ".join(map(str, self.parts)) or "not in the package")


class Coverage(NamedTuple):
    """What the package holds of each side of a comparison, in ``frame.attrs["coverage"]``: each side found
    by its name (``coverage[2014]``), the whole read as one line.

    Named tuples rather than dataclasses, so that ``json.dumps(frame.attrs)`` works, as
    ``frame.to_parquet()`` needs.

    >>> held = events(2014, 2018).attrs["coverage"]
    >>> held[2014]["events"].rows, held[2018]["events"].held
    (3, False)
    >>> held
    coverage: 2014: 3 of the ten events of 2014 (ranks unknown); 2018: none of the ten events of 2018 (not held)
    """

    sides: tuple[SideHeld, ...]

    def __getitem__(self, side: int | str) -> SideHeld:  # type: ignore[override]
        for held in self.sides:
            if held.side == side:
                return held
        raise KeyError(side)

    def __str__(self) -> str:
        return "coverage: " + ("; ".join(map(str, self.sides)) or "no side asked")

    def __deepcopy__(self, memo: dict) -> Coverage:
        """Itself: a coverage holds only tuples of text, numbers and flags, so no copy can differ from it. pandas
        deep-copies a frame's attrs at every operation on the frame (a filter, a rename, a column taken), and
        rebuilding these tuples each time took a sixth of ``report``'s rendering.

        >>> import copy
        >>> held = events(2016, 2017).attrs["coverage"]
        >>> copy.deepcopy(held) is held
        True
        """
        return self

    def __repr__(self) -> str:
        return str(self)


def events(a: int, b: int, *, path: str | Path | None = None) -> pd.DataFrame:
    """The events of editions ``a`` and ``b`` side by side by rank; unranked events follow, each on its own row (:meth:`Comparisons.events` on the package at ``path``)."""
    return opened(path).compare.events(a, b)


def theme_shifts(a: int, b: int, *, path: str | Path | None = None) -> pd.DataFrame:
    """Themes of the two editions' events: counts in each, and whether the theme was gained, dropped or persisted (:meth:`Comparisons.theme_shifts` on the package at ``path``)."""
    return opened(path).compare.theme_shifts(a, b)


def themes(editions: Iterable[int] | None = None, parts: Iterable[str] = PARTS, *, path: str | Path | None = None) -> pd.DataFrame:
    """Theme × edition counts and shares over events, sections and forecasts (or the ``parts`` named) (:meth:`Comparisons.themes` on the package at ``path``)."""
    return opened(path).compare.themes(editions, parts)


def review_vs_trends(edition: int, *, path: str | Path | None = None) -> pd.DataFrame:
    """Which review themes the trends outlook carries on, which it adds and which it drops (:meth:`Comparisons.review_vs_trends` on the package at ``path``)."""
    return opened(path).compare.review_vs_trends(edition)


def indicators(a: int | str, b: int | str, *, path: str | Path | None = None) -> pd.DataFrame:
    """Figures of edition ``a`` and edition ``b`` by series, matched where both report one; either may be ``"observations"`` (:meth:`Comparisons.indicators` on the package at ``path``)."""
    return opened(path).compare.indicators(a, b)


def counts_by_year(matrix: pd.DataFrame) -> pd.DataFrame:
    """The counts of a :meth:`Comparisons.themes` matrix (its ``count_<year>`` columns), one column per
    year, named by the year (an ``int``), as a chart or a table of counts wants them.

    >>> counts_by_year(themes(parts=["events"])).loc["security", [2015, 2017]].tolist()
    [<NA>, 1]
    """
    counts = matrix.filter(regex=r"^count_")
    return counts.set_axis([int(column.removeprefix("count_")) for column in counts.columns], axis="columns")


class Comparisons:
    """The comparisons of one opened package: ``p.compare.events(2016, 2017)``."""

    def __init__(self, package: Package):
        self._p = package

    def events(self, a: int, b: int) -> pd.DataFrame:
        """The events of editions ``a`` and ``b`` side by side by rank; unranked events follow, each on its own row.

        Columns: ``rank``; ``event_id_<a>``, ``title_zh_<a>``, ``title_en_<a>``, ``theme_<a>`` and the same
        for ``b``; ``events_found_<a>`` and ``events_found_<b>`` (how many of the ten events the package
        holds of each, from ``editions``). Every event either side holds has its row; a rank a side does
        not hold is empty on that side. ``attrs["coverage"]``: the events each side holds.

        >>> side = events(2014, 2018)  # 2018's events are not held: 2014's three are still there
        >>> int(side["event_id_2014"].notna().sum()), int(side["event_id_2018"].notna().sum())
        (3, 0)
        """
        a, b = _two_editions(self._p, a, b)
        held = self._p.coverage([a, b]).set_index("edition")
        sides = [_positioned_events(self._p, edition, first_unranked) for edition, first_unranked in ((a, 100), (b, 200))]
        merged = sides[0].merge(sides[1], on="position", how="outer").sort_values("position")
        merged.insert(0, "rank", merged[f"rank_{a}"].fillna(merged[f"rank_{b}"]))
        merged = merged.drop(columns=["position", f"rank_{a}", f"rank_{b}"]).reset_index(drop=True)
        found = {f"events_found_{e}": pd.array([held.loc[e, "events_found"]] * len(merged), dtype="Int64") for e in (a, b)}
        return _with_coverage(stable(merged.assign(**found)), _held_of(held, (a, b), ("events",)))

    def theme_shifts(self, a: int, b: int) -> pd.DataFrame:
        """Themes of the two editions' events: counts in each, and whether the theme was gained, dropped or persisted.

        Columns: ``theme``; ``events_<a>`` and ``events_<b>`` (empty for a side that holds none of its
        events); ``status``: ``persisting`` (in both), ``gained`` (only in ``b``, and ``a`` holds all ten
        events), ``dropped`` (only in ``a``, and ``b`` holds all ten), or empty when the holdings cannot
        tell; ``caveat``, why a status is empty; ``events_found_<a>`` and ``events_found_<b>``. Every
        theme of an event either side holds has its row. ``attrs["coverage"]``: the events each side holds.

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
        return _with_coverage(stable(shifts.reset_index()), _held_of(held, (a, b), ("events",)))

    def themes(self, editions: Iterable[int] | None = None, parts: Iterable[str] = PARTS) -> pd.DataFrame:
        """Theme × edition counts and shares over events, sections and forecasts (or the ``parts`` named).

        Rows are the codebook's themes in its order (index ``theme``). For each edition, in order, two
        columns: ``count_<edition>``, the rows of the parts counted with that theme (``Int64``), and
        ``share_<edition>``, that count over the rows of those parts the edition holds (``float64``), so
        that an edition of 104 items and one of 17 compare. The editions are by default every year from
        the first edition to the last, so that a year the package has no row of (2019 to 2021) shows as
        a gap; any year may be asked for, and a year the package does not have is empty.

        Missing is not zero: a count is empty (``<NA>``) where the edition holds none of the parts
        counted, and a count of 0 is empty where the edition does not hold every part counted (the
        theme may be in the part not held); its share is then empty too (NaN). ``attrs["coverage"]``
        says how many rows of each part each edition holds (see
        :func:`~china_internet_trends.holdings.coverage` for what is complete).

        >>> matrix = themes(parts=["events"])
        >>> bool(matrix["count_2018"].isna().all()), bool(matrix["count_2020"].isna().all()), int(matrix["count_2017"].sum())
        (True, True, 10)
        >>> security = matrix.loc["security"]  # 2022 holds 2 events, neither on security
        >>> int(security["count_2017"]), float(security["share_2017"]), int(security["count_2022"])
        (1, 0.1, 0)
        >>> themes()[["count_2015", "count_2017"]].loc["security"].tolist()  # 2015 holds two forecasts, no event or section
        [<NA>, 16]
        """
        parts = _parts(parts)
        years = _years(self._p, editions)
        rows = {part: self._p.load(part).loc[lambda frame: frame["edition"].isin(years), ["edition", "theme"]] for part in parts}
        held = pd.DataFrame({part: pd.Index(years).isin(rows[part]["edition"]) for part in parts}, index=years)
        counts = reduce(lambda total, more: total.add(more, fill_value=0),
                        [_masked_counts(self._p, rows[part], years, held[part]) for part in parts])
        counts = counts.where(counts.ne(0).fillna(True) | held.all(axis=1).to_numpy())  # a 0 is a 0 only where every part is held
        items = pd.concat([rows[part]["edition"] for part in parts]).value_counts().reindex(years, fill_value=0)
        shares = counts.astype("float64").div(items, axis=1)
        matrix = pd.DataFrame({f"{kind}_{year}": frame[year] for year in years for kind, frame in (("count", counts), ("share", shares))})
        matrix = matrix.set_axis(counts.index.astype(TEXT), axis=0).rename_axis(index="theme")
        known = self._p.coverage([year for year in years if year in self._p.editions_held()]).set_index("edition")
        per_year = {part: frame["edition"].value_counts() for part, frame in rows.items()}
        return _with_coverage(stable(matrix), Coverage(tuple(_items_held(year, known, per_year) for year in years)))

    def review_vs_trends(self, edition: int) -> pd.DataFrame:
        """Which review themes the trends outlook carries on, which it adds and which it drops.

        Counts the leaf headings (subsections, or chapters without subsections) of each part by theme:
        columns ``theme``, ``review`` and ``trends``; a part is empty when the package holds no heading
        of it. ``status`` is ``carried_on`` (in both), ``added`` (outlook only, the review held
        complete), ``dropped`` (review only, the outlook held complete), or empty when the holdings
        cannot tell. ``review_coverage`` and ``trends_coverage`` repeat the edition's coverage.
        Every theme of a heading held has its row; ``attrs["coverage"]`` says what the package holds of
        the review and the outlook, headings or not.

        >>> table = review_vs_trends(2015)  # 2015's review and outlook are held as figures and forecasts, no heading
        >>> table.empty, str(table.attrs["coverage"])
        (True, 'coverage: 2015: part of the review of 2015 (0 headings, 7 figures), part of the outlook for 2016 (0 headings, 2 forecasts)')
        """
        edition = check_edition(self._p, edition)
        coverage = self._p.coverage([edition]).set_index("edition")
        held = coverage.loc[edition]
        sections = self._p.sections(edition)
        leaves = sections[~sections["section_id"].isin(sections["parent_id"].dropna())]
        counts = cross_counts(leaves["theme"], leaves["part"]).reindex(columns=["review", "trends"], fill_value=0).astype("Int64")
        for part in ("review", "trends"):
            if not (sections["part"] == part).any():
                counts[part] = pd.array([pd.NA] * len(counts), dtype="Int64")
        status = _status(counts["review"], counts["trends"], held["review_complete"], held["trends_complete"],
                         ("carried_on", "added", "dropped"))
        order = self._p.themes().set_index("theme")["order"]
        counts = counts.assign(status=status, review_coverage=held["review_coverage"], trends_coverage=held["trends_coverage"])
        counts = counts.reset_index().rename_axis(columns=None)
        table = stable(counts.sort_values("theme", key=lambda t: t.map(order)).reset_index(drop=True))
        return _with_coverage(table, _held_of(coverage, (edition,), ("review", "trends")))

    def indicators(self, a: int | str, b: int | str) -> pd.DataFrame:
        """Figures of edition ``a`` and edition ``b`` by series, matched where both report one; either may be ``"observations"``.

        One row per series either side reports, with the latest figure of each side (by period end):
        first the series both report, then those only one side reports (the other side empty), each in
        order of ``series_id``. Each side's columns end in its name (``value_2017``,
        ``value_observations``): the figure's ``row_id``, ``entity_id``, ``period_start``,
        ``period_end``, ``value``, ``unit``, ``comparator`` and ``base_value``, ``figures_<side>`` (how
        many figures linked to a series the side holds) and ``review_coverage_<side>`` (how much of its
        review; empty for observations). Policy targets are left out.

        Two figures like for like are compared in base units: ``change`` = b − a; for a share or rate
        (base unit in :data:`RATES`) that difference is in percentage points and is also in
        ``change_pp``, while ``growth`` (b / a − 1) is left empty, as a relative change of a share
        misleads (72.5% → 85.4% is +12.9 pp, not +17.8%); for any other series ``growth`` is given and
        ``change_pp`` is empty. When the two are not like for like (one side without a figure of the
        series, the second older than the first, different entities, a stock against a flow, periods of
        different length, or a comparator other than eq/approx), ``change``, ``change_pp`` and
        ``growth`` stay empty and ``caveat`` says why. ``attrs["coverage"]``: the figures each side holds.

        >>> matched = indicators(2015, 2018).set_index("series_id")  # 2018 holds no figure: 2015's still shows
        >>> held = matched.loc["fixed_broadband_subscribers"]
        >>> f"{held['period_end_2015']:%Y-%m-%d}", float(held["value_2015"]), held["unit_2015"], held["caveat"]
        ('2015-11-30', 2.1, '亿', 'the package holds no figure of 2018')
        >>> pp = indicators(2017, "observations").set_index("series_id").loc["fixed_broadband_household_penetration"]
        >>> float(pp["change_pp"]), pd.isna(pp["growth"])
        (12.9, True)
        """
        a, b = _two_editions(self._p, a, b, observations=True)
        left, right = _figures(self._p, a), _figures(self._p, b)
        pairs = _latest_by_series(self._p, left).merge(_latest_by_series(self._p, right), on="series_id", how="outer", suffixes=("_a", "_b"))
        pairs["base_unit"] = pairs["series_id"].map(self._p.series_table().set_index("series_id")["base_unit"]).astype(TEXT)
        coverage = Coverage((_figures_held(self._p, a, left), _figures_held(self._p, b, right)))
        caveats = pd.array([_caveat(pair, coverage) for pair in pairs.itertuples(index=False)], dtype=TEXT)
        comparable = pd.Series(pd.isna(caveats), index=pairs.index)
        rate = pairs["base_unit"].isin(RATES)
        pairs["change"] = difference(pairs["base_value_b"], pairs["base_value_a"]).where(comparable)
        pairs["change_pp"] = pairs["change"].where(rate)
        pairs["growth"] = (pairs["base_value_b"] / pairs["base_value_a"] - 1).where(comparable & ~rate)
        pairs["caveat"] = caveats
        for side, label, figures in (("a", a, left), ("b", b, right)):
            pairs[f"figures_{side}"] = pd.array([len(figures)] * len(pairs), dtype="Int64")
            pairs[f"review_coverage_{side}"] = pd.array([_review_coverage(self._p, label)] * len(pairs), dtype=TEXT)
        one_sided = pairs["row_id_a"].isna() | pairs["row_id_b"].isna()
        pairs = pairs.assign(one_sided=one_sided).sort_values(["one_sided", "series_id"], kind="stable")
        sided = [f"{c}_{side}" for side in "ab" for c in PAIRED]
        pairs = pairs[["series_id", *sided, "base_unit", "change", "change_pp", "growth", "caveat"]].reset_index(drop=True)
        named = pairs.rename(columns={f"{c}_{side}": f"{c}_{label}" for side, label in (("a", a), ("b", b)) for c in PAIRED})
        return _with_coverage(stable(named), coverage)


def _with_coverage(frame: pd.DataFrame, coverage: Coverage) -> pd.DataFrame:
    """``frame`` with ``coverage`` in ``frame.attrs["coverage"]``."""
    frame.attrs["coverage"] = coverage
    return frame


def _held_of(held: pd.DataFrame, editions: tuple[int, ...], parts: tuple[str, ...]) -> Coverage:
    """The coverage of ``editions`` in ``parts`` (of :data:`HOLDINGS`), from ``held``, the rows of ``p.coverage()`` by edition."""
    sides = []
    for edition in editions:
        row = held.loc[edition]
        sides.append(SideHeld(edition, tuple(PartHeld(part, bool(row[is_held]), bool(row[complete]), int(row[rows]), row[text])
                                             for part in parts for is_held, complete, rows, text in [HOLDINGS[part]])))
    return Coverage(tuple(sides))


def _items_held(year: int, known: pd.DataFrame, per_year: dict[str, pd.Series]) -> SideHeld:
    """What :meth:`Comparisons.themes` counts of ``year``: the rows of each part (``per_year``: each part's rows counted
    by edition), as "events 3" or "forecasts not held"; no part for a year not in ``known``, the rows of ``p.coverage()``
    by edition."""
    if year not in known.index:
        return SideHeld(year, ())
    held = known.loc[year]
    complete = {"events": held["events_complete"], "sections": held["review_complete"] and held["trends_complete"],
                "forecasts": held["trends_complete"]}
    counted = {part: int(counts.get(year, 0)) for part, counts in per_year.items()}
    return SideHeld(year, tuple(PartHeld(part, n > 0, bool(complete[part]), n, f"{part} {n}" if n else f"{part} not held")
                                for part, n in counted.items()))


def _figures_held(p: Package, side: int | str, linked: pd.DataFrame) -> SideHeld:
    """What :meth:`Comparisons.indicators` compares of ``side``: its figures, those linked to a series, and the series."""
    if side == OBSERVATIONS:
        total, complete = len(p.observations()), False
    else:
        held = p.coverage([side]).iloc[0]
        total, complete = int(held["figures"]), bool(held["events_complete"] and held["review_complete"] and held["trends_complete"])
    series = int(linked["series_id"].nunique())
    linked_text = f"{len(linked)} linked to {series} series" if series else "none linked to a series"
    text = f"figures {total} ({linked_text})" if total else "figures not held"
    return SideHeld(side, (PartHeld("figures", total > 0, complete, series, text),))


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
    counts = cross_counts(rows["theme"], rows["edition"]).reindex(index=codebook, columns=editions, fill_value=0).to_numpy(dtype="int64")
    not_held = ~held.to_numpy(dtype=bool)
    # one masked array per edition, built at once (a where over Int64 columns converts and masks each column apart)
    columns = {edition: pd.arrays.IntegerArray(counts[:, j].copy(), np.full(len(codebook), not_held[j])) for j, edition in enumerate(editions)}
    return pd.DataFrame(columns, index=pd.Index(codebook)).rename_axis(index="theme", columns="edition")


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


def _caveat(pair: tuple, coverage: Coverage) -> str | None:
    """Why two matched figures are not like for like, or None when they are; a side without a figure of
    the series says whether it holds no figure at all or none of this series."""
    missing = [side for side, row_id in zip(coverage.sides, (pair.row_id_a, pair.row_id_b)) if pd.isna(row_id)]
    if missing:
        side = missing[0]
        return f"the package holds no figure of {side.side}" if not side["figures"].held else f"no figure of this series in {side.side}"
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
