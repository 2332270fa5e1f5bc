"""Follow one series across editions, ISC's July reports and later official statistics, in base units.

Every point has an ``origin``: ``edition`` (a figure an ISC edition prints, with its ``edition``),
``publication`` (an observation whose source is a copy of one of ISC's July reports, the
``publications`` table, with its ``publication``) or ``observation`` (any other publisher's
figure). The source's ``reliability`` says how far the copy can be trusted.

A series keeps one definition, but official statistics sometimes change what they count (MIIT's
mobile totals include 中国广电 from 2024). Such an observation carries a ``break_note``, and every
point after it gets the next ``segment`` number: a chart draws one line per segment, never
joining two definitions.

>>> from china_internet_trends import open
>>> points = series(open(), "fixed_broadband_households")
>>> points[["origin", "period_end", "value", "unit"]].iloc[0].tolist()[:2]
['observation', Timestamp('2017-03-31 00:00:00')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .conversion import with_base_values
from .dtypes import TEXT, stable
from .errors import NotInPackage

if TYPE_CHECKING:
    from .package import Package

FIGURE_COLUMNS = ["origin", "edition", "publication", "row_id", "series_id", "entity_id", "period_start", "period_end", "value", "unit",
                  "comparator", "measure", "label_zh", "label_en", "base_value", "base_unit", "counted_by", "segment",
                  "break_note", "source_id", "reliability", "note"]

ORIGINS = ("edition", "publication", "observation")
"""The origins of a point, in the order points of one day are listed: another publisher's statistic last."""

TABLES = ("indicators", "observations", "units", "series", "sources")
"""The tables a point is made from: :meth:`Package.figures` computes the points again when one of them changes."""

COLUMNS = ["series_id", "origin", "edition", "publication", "entity_id", "period_start", "period_end", "value", "unit",
           "comparator", "base_value", "base_unit", "counted_by", "segment", "break_note", "source_id", "reliability",
           "row_id", "note"]


def series(p: Package, series_id: str) -> pd.DataFrame:
    """Every edition figure and observation of ``series_id``, in base units, ordered by period (and on one
    day by origin, in the order of :data:`ORIGINS`).

    ``origin`` says where a point comes from: ``edition`` (an ISC edition's own figure, with its
    ``edition``), ``publication`` (a figure of one of ISC's July reports, with its ``publication``)
    or ``observation`` (another publisher); see ``source_id`` and ``reliability``.
    ``counted_by`` names who counts the statistic; ``segment`` numbers the stretches of one
    definition (0 until the first ``break_note``). The points are the series' rows of :func:`figures`.
    Raises :class:`~china_internet_trends.errors.NotInPackage` for an unknown series id.
    """
    if not isinstance(series_id, str):
        raise TypeError(f"a series is named by its id, such as 'users_4g'; got {series_id!r} ({type(series_id).__name__})")
    known = p.series_table().set_index("series_id")
    if series_id not in known.index:
        raise NotInPackage(f"the package has no series {series_id!r} (it has {len(known)}, in its series table)", what="series")
    every = p.figures()
    points = every[every["series_id"] == series_id].reset_index(drop=True)
    points["base_unit"] = known.loc[series_id, "base_unit"]  # units fit their series (a rule)
    points["segment"] = points["segment"].astype("int64")
    return stable(points[COLUMNS])


def catalogue(p: Package) -> pd.DataFrame:
    """Every series with its Chinese and English name, base unit and ``points``: how many rows
    :func:`series` gives for it (edition figures and observations).

    >>> from china_internet_trends import open
    >>> row = catalogue(open()).set_index("series_id").loc["fixed_broadband_households"]
    >>> row["name_zh"], int(row["points"]) == len(series(open(), "fixed_broadband_households"))
    ('固定宽带家庭用户数', True)
    """
    known = p.series_table()
    linked = pd.concat([p.indicators()["series_id"], p.observations()["series_id"]]).dropna()
    points = linked.value_counts().reindex(known["series_id"], fill_value=0).astype("int64")
    return stable(known[["series_id", "name_zh", "name_en", "base_unit"]].assign(points=points.to_numpy()))


def figures(p: Package) -> pd.DataFrame:
    """One tidy table of every figure the editions print and every later official observation, in base units.

    One row per figure: ``origin`` (``edition``, ``publication`` or ``observation``, as in
    :func:`series`), the ``edition`` that printed it (empty for the others), the ``publication``
    (an ISC July report) its source is a copy of (empty for the others), ``row_id`` (its indicator or observation id), ``series_id`` (empty
    for an edition figure no series follows), entity, period, the value, unit and comparator as
    printed, ``measure`` and labels (edition figures), ``base_value`` and ``base_unit`` from the
    units table, the series' ``counted_by`` and ``segment`` (as :func:`series` gives them), the
    source and its reliability. Ordered by series, period, origin (:data:`ORIGINS`) and row id.

    >>> from china_internet_trends import open
    >>> table = figures(open())
    >>> sorted(table["origin"].unique()), int(table["base_value"].isna().sum())
    (['edition', 'observation', 'publication'], 0)
    """
    rows = with_base_values(pd.concat([_printed(p.indicators()), _observed(p, p.observations())], ignore_index=True), p.units())
    rows = rows.assign(order=rows["origin"].map(ORIGINS.index))
    rows = rows.sort_values(["series_id", "period_end", "order", "row_id"], na_position="last").reset_index(drop=True)
    known = p.series_table().set_index("series_id")
    rows["counted_by"] = rows["series_id"].map(known["counted_by"])
    breaks = rows["break_note"].notna().groupby(rows["series_id"]).cumsum()
    rows["segment"] = breaks.astype("Int64").where(rows["series_id"].notna())
    rows["reliability"] = rows["source_id"].map(p.sources().set_index("source_id")["reliability"])
    return stable(rows[FIGURE_COLUMNS])


def _printed(figures: pd.DataFrame) -> pd.DataFrame:
    """Edition figures as points: origin ``edition``, no publication."""
    figures = figures.rename(columns={"indicator_id": "row_id"}).assign(origin="edition").astype({"edition": "Int64"})
    figures["publication"] = pd.array([pd.NA] * len(figures), dtype=TEXT)
    return figures


def _observed(p: Package, observed: pd.DataFrame) -> pd.DataFrame:
    """Observations as points: origin ``publication`` with its id when the source is a copy of an ISC
    July report (the source's ``publication``), else ``observation``; no edition."""
    observed = observed.rename(columns={"observation_id": "row_id"})
    sources = p.sources().set_index("source_id")
    observed["publication"] = pd.array(observed["source_id"].map(sources["publication"]).tolist(), dtype=TEXT)
    observed["origin"] = pd.array(["publication" if known else "observation" for known in observed["publication"].notna()], dtype=TEXT)
    observed["edition"] = pd.array([pd.NA] * len(observed), dtype="Int64")
    return observed
