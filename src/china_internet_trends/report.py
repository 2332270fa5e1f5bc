"""The report's content as data, computed once: what ``china-internet-trends report`` shows.

:func:`build` chooses and computes everything the report says: the editions and what the package
holds of each, ISC's July reports held apart from them (with the number of their figures held), the
ten events of the latest two editions held complete side by side with their
theme shifts, the scorecard of the latest edition whose outlook is held whole, the key series
(each with its policy target, where the outlook reports one), the themes over editions and the
sources. The terminal and markdown report (:mod:`~china_internet_trends.cli`) and the HTML page
(:mod:`~china_internet_trends.html_report`) only render this :class:`Content`. What only some renderers
show (the theme shifts, the scorecard's tables by theme and by clause) is computed when one first asks for it, once.

>>> from china_internet_trends import open
>>> content = build(open())
>>> content.events.editions, content.scorecard.edition, [s.series_id for s in content.key_series][:2]
((2016, 2017), 2017, ['internet_users', 'fixed_broadband_households'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from .package import Package
    from .scoring import Scorecard

KEY_SERIES = ("internet_users", "fixed_broadband_households", "users_4g", "ipv6_active_users", "top100_internet_revenue")
"""The series the report follows, in its order; internet users first, the series people look for first."""


@dataclass(frozen=True)
class EventsSideBySide:
    """Two editions' ten events side by side (``p.compare.events``) and what each holds; ``shifts``, their
    theme shifts (``p.compare.theme_shifts``), are computed from ``package`` when first asked for (the
    report's summary and the HTML page do not show them)."""

    editions: tuple[int, int]
    side: pd.DataFrame
    held: pd.DataFrame
    package: Package | None = field(default=None, repr=False, compare=False)

    @cached_property
    def shifts(self) -> pd.DataFrame:
        if self.package is None:
            raise ValueError("theme shifts are computed from the package, and this pair was made without one")
        return self.package.compare.theme_shifts(*self.editions)


@dataclass(frozen=True)
class KeySeries:
    """One series: its row of the series table, its points (``p.series``) and the policy target the
    latest full outlook reports for it (base value, as printed, target year, forecast and source ids), if any."""

    series_id: str
    about: pd.Series
    points: pd.DataFrame
    target: dict[str, Any] | None

    @property
    def latest(self) -> pd.Series | None:
        """The point of the latest period (of two on one day, the observation), or None when there is none.

        >>> from china_internet_trends import open
        >>> latest = build(open()).key_series[0].latest
        >>> f"{latest['period_end']:%Y-%m-%d}", latest["origin"]
        ('2025-12-31', 'observation')
        """
        return None if self.points.empty else self.points.iloc[-1]


@dataclass(frozen=True)
class Content:
    """Everything the report shows, for every renderer."""

    version: str
    editions: pd.DataFrame
    coverage: pd.DataFrame
    publications: pd.DataFrame
    events: EventsSideBySide | None
    scorecard: Scorecard | None
    key_series: list[KeySeries]
    themes: pd.DataFrame
    theme_names: pd.DataFrame
    sources: pd.DataFrame


def build(p: Package) -> Content:
    """The report's content for package ``p``."""
    coverage = p.coverage()
    editions = p.editions()
    complete = coverage.loc[coverage["events_complete"], "edition"].tolist()
    events = None
    if len(complete) >= 2:
        a, b = complete[-2:]
        events = EventsSideBySide((a, b), p.compare.events(a, b), coverage.set_index("edition").loc[[a, b]], p)
    full = editions.loc[editions["trends_coverage"] == "full", "edition"]
    card = p.scorecard(int(full.max())) if not full.empty else None
    known = p.series_table().set_index("series_id")
    forecasts, units = p.forecasts(), p.units().set_index("unit")
    key_series = [KeySeries(s, known.loc[s], p.series(s), _target(forecasts, units, s)) for s in KEY_SERIES if s in known.index]
    return Content(str(p.descriptor.get("version", "")), editions, coverage, publications(p), events, card, key_series,
                   p.compare.themes(), p.themes().set_index("theme"), p.sources())


PUBLICATION_COLUMNS = ["publication_id", "title_zh", "title_en", "reviews_year", "released", "figures", "holdings"]


def publications(p: Package) -> pd.DataFrame:
    """ISC's July reports the package documents (its ``publications`` table), each with ``figures``: how many
    observations cite a copy of it (0 for a report known only by its release). Empty for a package without
    the table.

    >>> from china_internet_trends import open
    >>> held = publications(open()).set_index("publication_id")["figures"]
    >>> int(held["isc-cidr-2021"]), int(held["isc-cidr-2020"])
    (12, 0)
    """
    if "publications" not in p.tables:
        return pd.DataFrame(columns=PUBLICATION_COLUMNS)
    table = p.load("publications")
    of_source = p.sources().set_index("source_id")["publication"]
    cited = p.observations()["source_id"].map(of_source).value_counts()
    figures = table["publication_id"].map(cited).fillna(0).astype("int64")
    return table.assign(figures=figures)[PUBLICATION_COLUMNS]


def _target(forecasts: pd.DataFrame, units: pd.DataFrame, series_id: str) -> dict[str, Any] | None:
    """The latest policy target for the series among ``forecasts`` (``p.forecasts()``), in base units (``units``:
    ``p.units()`` by unit), with its printed value, year, forecast and source."""
    targets = forecasts[(forecasts["series_id"] == series_id) & (forecasts["origin"] == "policy_target")]
    targets = targets[targets["unit"].isin(units.index) & targets["value"].notna()]
    if targets.empty:
        return None
    target = targets.iloc[-1]
    return {"base_value": float(target["value"] * units.loc[target["unit"], "scale"]),
            "printed": f"{target['value']:g}{target['unit']}", "year": int(target["target_year"]),
            "forecast_id": target["forecast_id"], "source_id": target["source_id"]}
