"""Load the package's tables as typed pandas DataFrames.

Each loader returns a fresh copy of a cached frame: plain columns (no key index), dtypes from the
Table Schemas (dates as datetimes, optional integers as nullable ``Int64``). Per-edition tables can
be filtered by edition.

>>> import china_internet_trends as cit
>>> events = cit.events(2017)
>>> events[["rank", "title_en"]].shape[0]
10
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import package, schema
from .errors import DataPackageError, Problem, QueryError, Report

EDITION_TABLES = ("sections", "events", "milestones", "indicators", "forecasts", "outcomes")
REFERENCE_TABLES = ("editions", "sources", "themes", "hedges", "glossary", "units", "entities", "series", "observations")


def load(name: str, edition: int | Iterable[int] | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Any table of the package by resource name, optionally filtered to one or more editions.

    Raises :class:`~china_internet_trends.errors.DataPackageError` when the files do not match
    their schema (the error's ``report`` lists every problem), ``TypeError`` for an edition that is
    not a whole number and :class:`~china_internet_trends.errors.UnknownEdition` for one the package
    does not have.

    >>> float(load("units").set_index("unit").loc["万户", "scale"])
    10000.0
    """
    from .holdings import check_editions  # holdings reads the tables through this module

    if not isinstance(name, str):
        raise TypeError(f"a table is named by text, such as 'events'; got {name!r} ({type(name).__name__})")
    frame = _cached(str(package.find_descriptor(path)), name)
    if edition is None:
        return frame.copy()
    if "edition" not in frame:
        raise QueryError(f"the {name} table is not split by edition; call it without an edition")
    return frame[frame["edition"].isin(check_editions(edition, path))].reset_index(drop=True)


def clear_cache() -> None:
    """Forget loaded tables (after editing files in the same session)."""
    _cached.cache_clear()


@lru_cache(maxsize=64)
def _cached(descriptor: str, name: str) -> pd.DataFrame:
    descriptor_path = Path(descriptor)
    typed = read_typed(descriptor_path, package.resource(package.read_descriptor(descriptor_path), name))
    if typed.problems:
        raise DataPackageError(Report(typed.problems))
    return typed.frame


@dataclass(frozen=True)
class Typed:
    """A table typed by its schema, where each row came from, each part's record count, and the
    values that did not convert. The raw text is not kept, so a table is held once."""

    frame: pd.DataFrame
    origins: package.Origins
    part_sizes: dict[str, int]
    problems: list[Problem]


def read_typed(descriptor_path: Path, res: dict[str, Any]) -> Typed:
    """The resource ``res`` read and typed, uncached: the loaders cache the frame, validation keeps
    only what its rules read.

    >>> descriptor_path = package.find_descriptor()
    >>> typed = read_typed(descriptor_path, package.resource(package.read_descriptor(descriptor_path), "themes"))
    >>> typed.problems, len(typed.frame) == len(typed.origins)
    ([], True)
    """
    table_schema = package.table_schema(descriptor_path, res)
    raw = package.read_raw(descriptor_path, res)
    frame, problems = schema.coerce(raw.text, table_schema, raw.origins)
    problems = schema.header_problems(raw.header, table_schema, package.resource_paths(res)[0]) + problems
    return Typed(frame, raw.origins, raw.part_sizes, problems)


def editions(path: str | Path | None = None) -> pd.DataFrame:
    """One row per edition with its coverage. ``cit.editions()``"""
    return load("editions", path=path)


def sources(path: str | Path | None = None) -> pd.DataFrame:
    """Every source cited by the package, with its reliability."""
    return load("sources", path=path)


def themes(path: str | Path | None = None) -> pd.DataFrame:
    """The themes codebook with its coding rules."""
    return load("themes", path=path)


def hedges(path: str | Path | None = None) -> pd.DataFrame:
    """Each hedge word as printed (将, 预计, 有望, 或将…), its certainty level and how claim_en renders it."""
    return load("hedges", path=path)


def glossary(path: str | Path | None = None) -> pd.DataFrame:
    """How recurring Chinese terms are rendered in English (validate checks the English against it)."""
    return load("glossary", path=path)


def units(path: str | Path | None = None) -> pd.DataFrame:
    """Every unit as printed, with scale and base unit."""
    return load("units", path=path)


def entities(path: str | Path | None = None) -> pd.DataFrame:
    """Who figures are about: China, companies, regions, organisations."""
    return load("entities", path=path)


def observations(path: str | Path | None = None) -> pd.DataFrame:
    """Later official statistics that follow the editions' series."""
    return load("observations", path=path)


def sections(edition: int | Iterable[int] | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """The outline of the review and the trends outlook. ``cit.sections(2017)``"""
    return load("sections", edition, path)


def events(edition: int | Iterable[int] | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """The ten events of each edition, ordered by edition and rank. ``cit.events(2017)``"""
    frame = load("events", edition, path)
    return frame.sort_values(["edition", "rank", "event_id"]).reset_index(drop=True)


def milestones(
    edition: int | Iterable[int] | None = None, with_span: bool = False, path: str | Path | None = None
) -> pd.DataFrame:
    """Dated facts reported inside events and sections.

    A milestone's ``date`` is the first day of the period its ``date_precision`` names (a day, a
    month, a quarter or a year). ``with_span=True`` adds ``date_start`` and ``date_end``, the first
    and last day of that period, so that a fact known only to the month or the year is drawn as
    the span it is, not as its first day.

    >>> dated = milestones(2017, with_span=True).set_index("milestone_id")
    >>> row = dated.loc["2017-M001"]
    >>> row["date_precision"], f"{row['date_start']:%Y-%m-%d}", f"{row['date_end']:%Y-%m-%d}"
    ('year', '2017-01-01', '2017-12-31')
    """
    frame = load("milestones", edition, path)
    if not with_span:
        return frame
    periods = frame["date_precision"].map(PERIODS)
    frame["date_start"] = frame["date"]
    frame["date_end"] = frame["date"]
    for alias in PERIODS.values():
        rows = (periods == alias).to_numpy(dtype=bool)
        period = frame.loc[rows, "date"].dt.to_period(alias)
        frame.loc[rows, "date_start"] = period.dt.start_time.dt.normalize().astype("datetime64[ns]")
        frame.loc[rows, "date_end"] = period.dt.end_time.dt.normalize().astype("datetime64[ns]")
    return frame


PERIODS = {"day": "D", "month": "M", "quarter": "Q", "year": "Y"}
"""Each ``date_precision`` and the pandas period it names."""


def indicators(
    edition: int | Iterable[int] | None = None, with_base: bool = False, path: str | Path | None = None
) -> pd.DataFrame:
    """Every figure stated, value and unit as printed; ``with_base=True`` adds base_value and base_unit.

    >>> figures = indicators(2017, with_base=True)
    >>> {"base_value", "base_unit"} <= set(figures.columns)
    True
    """
    frame = load("indicators", edition, path)
    if not with_base:
        return frame
    from .conversion import with_base_values

    return with_base_values(frame, units(path))


def forecasts(edition: int | Iterable[int] | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Statements about the future made by each edition."""
    return load("forecasts", edition, path)


def outcomes(edition: int | Iterable[int] | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Judgements of forecasts, each with its evidence and source."""
    return load("outcomes", edition, path)


def series_table(path: str | Path | None = None) -> pd.DataFrame:
    """The canonical series; ``cit.series(id)`` gives one series' points across editions and observations."""
    return load("series", path=path)
