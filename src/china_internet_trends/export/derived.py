"""The derived sheets and views: three tables a spreadsheet or SQL user reads without a join, each
computed from the package's tables and regenerated on every export (never part of the package).

- ``figures_base``: every figure an edition prints and every later official observation, value,
  unit and comparator as printed, with base value and base unit (:meth:`~china_internet_trends.package.Package.figures`);
- ``scorecard_latest``: every forecast of every edition with its latest verdict, evidence and source
  (the ``forecasts`` of :meth:`~china_internet_trends.package.Package.scorecard`, edition by edition);
- ``series_points``: every point of every series of the series table, in base units, with the
  series' names (:meth:`~china_internet_trends.package.Package.series`, series by series).

The xlsx export writes the library's frames (:func:`derived_frames`); the SQLite export writes views
that restate the same joins in SQL over its tables (:data:`~.sqlite.VIEWS`), which the tests hold
equal to these frames. Their names may not be a table's name (:func:`check_derivable`).

>>> [(derived.name, derived.computed_by) for derived in DERIVED]
[('figures_base', 'p.figures()'), ('scorecard_latest', 'p.scorecard(edition).forecasts'), ('series_points', 'p.series(series_id)')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..dtypes import stable
from ..errors import NotInPackage
from ..tracking import COLUMNS as SERIES_COLUMNS

if TYPE_CHECKING:
    from ..package import Package

REGENERATED = "Regenerated from the tables on every export: change the tables, not this."


@dataclass(frozen=True)
class Derived:
    """One derived table: its ``name`` (the sheet or view), ``title``, ``what`` it holds, the
    library function that computes it (``computed_by``), the ``joins`` its view restates, the
    tables it ``reads``, and the descriptions of its columns: ``columns`` for those it computes, the
    Table Schemas of ``described_by`` (the first with a field of that name) for the rest."""

    name: str
    title: str
    what: str
    computed_by: str
    joins: str
    reads: tuple[str, ...]
    described_by: tuple[str, ...]
    columns: dict[str, str]
    build: Callable[[Package], pd.DataFrame]

    @property
    def sheet_note(self) -> str:
        """The readme's line on the sheet: what it is, how it is derived, that it is regenerated.

        >>> DERIVED[0].sheet_note.split(". ")[-1]
        'Regenerated from the tables on every export: change the tables, not this.'
        """
        return f"Derived, not a table of the package: {self.what} Computed by the library's {self.computed_by}. {REGENERATED}"

    @property
    def view_note(self) -> str:
        """The view's description: what it is, the joins it makes, that it is regenerated."""
        return f"Derived, not a table of the package: {self.what} A view of {self.joins}, as {self.computed_by} computes it. {REGENERATED}"


def _scorecards(p: Package) -> pd.DataFrame:
    """Every edition's scorecard forecasts, one row per forecast, editions in order, each row with its ``edition``."""
    cards = [p.scorecard(edition).forecasts.assign(edition=edition) for edition in p.editions_held()]
    stacked = pd.concat(cards, ignore_index=True)
    return stable(stacked[["edition", *stacked.columns.drop("edition")]])


def _series_points(p: Package) -> pd.DataFrame:
    """Every series' points (:meth:`Package.series`), series in the series table's order, each with the series' names;
    with no series, no rows but the columns."""
    first = ["series_id", "name_zh", "name_en"]
    named = [p.series(row.series_id).assign(name_zh=row.name_zh, name_en=row.name_en) for row in p.series_table().itertuples()]
    stacked = pd.concat(named, ignore_index=True) if named else pd.DataFrame(columns=[*SERIES_COLUMNS, "name_zh", "name_en"])
    return stable(stacked[[*first, *stacked.columns.drop(first)]])


POINT_COLUMNS = {
    "origin": "Where the point comes from: edition (a figure an ISC edition prints), publication (a figure of an ISC July report, "
              "from a copy of it) or observation (a later statistic of another publisher).",
    "edition": "The edition that prints the figure (key of editions); empty for the others.",
    "publication": "The ISC July report whose copy the figure comes from (key of publications); empty for the others.",
    "row_id": "The indicator_id of an edition's figure or the observation_id of an observation.",
    "base_value": "value × scale of its unit in the units table: the value in base_unit.",
    "segment": "Stretches of one definition within the series: 0 until the first break_note, then 1, 2…; empty without a series.",
    "reliability": "The reliability of the source (primary, secondary or low), from sources.",
}
"""What the columns of a figure or a series point hold that no Table Schema describes."""

DERIVED = (
    Derived("figures_base", "Every figure, in base units",
            "every figure an edition prints and every later official observation: value, unit and comparator as printed, period, "
            "entity, and base value and base unit from the units table.",
            "p.figures()", "indicators and observations joined to units, series and sources",
            ("indicators", "observations", "units", "series", "sources"), ("indicators", "observations", "units", "series"),
            {**POINT_COLUMNS, "base_unit": "The base unit of the figure's unit, from the units table."},
            lambda p: p.figures()),
    Derived("scorecard_latest", "Every forecast with its latest verdict",
            "every forecast of every edition with its latest verdict (the outcome with the latest as_of; not_judged when none), "
            "that outcome's evidence, source and the source's reliability.",
            "p.scorecard(edition).forecasts", "forecasts joined to their latest outcome and its source",
            ("forecasts", "outcomes", "sources"), ("forecasts", "outcomes"),
            {"verdict": "The latest outcome's verdict: fulfilled, partly, not_fulfilled, too_early or cannot_be_judged; not_judged when none.",
             "evidence_source_id": "The source of the latest outcome's evidence (key of sources).",
             "evidence_reliability": "The reliability of that source (primary, secondary or low)."},
            _scorecards),
    Derived("series_points", "Every point of every series, in base units",
            "every point of every series (an edition's printed figure or an official observation), in base units, with the "
            "series' id and names, period, entity and source.",
            "p.series(series_id)", "figures_base joined to series",
            ("indicators", "observations", "units", "series", "sources"), ("series", "indicators", "observations"),
            POINT_COLUMNS, _series_points),
)
"""The derived tables, in the order the exports write them."""

NAMES = tuple(derived.name for derived in DERIVED)


def derived_frames(p: Package) -> dict[str, pd.DataFrame]:
    """Each derived table as the library computes it, by name (a few seconds: ``p.series`` runs once per series).

    >>> from china_internet_trends import open
    >>> frames = derived_frames(open())
    >>> frames["scorecard_latest"].groupby("edition").size().to_dict()
    {2015: 2, 2016: 4, 2017: 32}
    """
    return {derived.name: derived.build(p) for derived in DERIVED}


def check_derivable(tables: Iterable[str], reserved: Iterable[str] = NAMES) -> None:
    """Refuse a package whose table takes a ``reserved`` name (a derived table's, or another sheet's), or that
    lacks a table a derived one reads: :class:`~.ExportRefused` or :class:`~china_internet_trends.errors.NotInPackage`.

    >>> check_derivable(["events", "series_points"])
    Traceback (most recent call last):
    ...
    china_internet_trends.export.ExportRefused: the package has a table named 'series_points', a name the export gives to a sheet or view of its own; rename the table
    """
    from . import ExportRefused

    tables = list(tables)
    for name in reserved:
        if name in tables:
            raise ExportRefused(f"the package has a table named {name!r}, a name the export gives to a sheet or view of its own; rename the table")
    for derived in DERIVED:
        for table in derived.reads:
            if table not in tables:
                raise NotInPackage(f"the package has no table {table!r}, which the derived {derived.name} reads")

