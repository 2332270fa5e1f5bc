"""The tables as module-level functions: each is the same method of the package at ``path`` (default:
the shipped one), see :class:`~china_internet_trends.package.Package`.

A path, and every flag, is keyword-only: ``cit.milestones(2017, "/copy")`` is a ``TypeError``, not an answer from the
shipped package. To read a copy, ``cit.open("/copy").milestones(2017)``.

>>> import china_internet_trends as cit
>>> cit.events(2017)[["rank", "title_en"]].shape[0]
10
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .package import opened

Editions = int | Iterable[int] | None
Where = str | Path | None


def load(name: str, edition: Editions = None, *, path: Where = None) -> pd.DataFrame:
    """Any table of the package by name, optionally filtered to one or more editions (:meth:`Package.load`)."""
    return opened(path).load(name, edition)


def editions(*, path: Where = None) -> pd.DataFrame:
    """One row per edition with its coverage. ``cit.editions()``"""
    return opened(path).editions()


def sources(*, path: Where = None) -> pd.DataFrame:
    """Every source cited by the package, with its reliability."""
    return opened(path).sources()


def themes(*, path: Where = None) -> pd.DataFrame:
    """The themes codebook with its coding rules."""
    return opened(path).themes()


def hedges(*, path: Where = None) -> pd.DataFrame:
    """Each hedge word as printed (将, 预计, 有望, 或将…), its certainty level and how claim_en renders it."""
    return opened(path).hedges()


def glossary(*, path: Where = None) -> pd.DataFrame:
    """How recurring Chinese terms are rendered in English."""
    return opened(path).glossary()


def units(*, path: Where = None) -> pd.DataFrame:
    """Every unit as printed, with scale and base unit."""
    return opened(path).units()


def entities(*, path: Where = None) -> pd.DataFrame:
    """Who figures are about: China, companies, regions, organisations."""
    return opened(path).entities()


def observations(*, path: Where = None) -> pd.DataFrame:
    """Later official statistics that follow the editions' series."""
    return opened(path).observations()


def series_table(*, path: Where = None) -> pd.DataFrame:
    """The canonical series; ``cit.series(id)`` gives one series' points across editions and observations."""
    return opened(path).series_table()


def sections(edition: Editions = None, *, path: Where = None) -> pd.DataFrame:
    """The outline of the review and the trends outlook. ``cit.sections(2017)``"""
    return opened(path).sections(edition)


def events(edition: Editions = None, *, path: Where = None) -> pd.DataFrame:
    """The ten events of each edition, ordered by edition and rank. ``cit.events(2017)``"""
    return opened(path).events(edition)


def milestones(edition: Editions = None, *, with_span: bool = False, path: Where = None) -> pd.DataFrame:
    """Dated facts reported inside events and sections; ``with_span=True`` adds ``date_start`` and ``date_end``."""
    return opened(path).milestones(edition, with_span=with_span)


def indicators(edition: Editions = None, *, with_base: bool = False, path: Where = None) -> pd.DataFrame:
    """Every figure stated, value and unit as printed; ``with_base=True`` adds base_value and base_unit."""
    return opened(path).indicators(edition, with_base=with_base)


def forecasts(edition: Editions = None, *, path: Where = None) -> pd.DataFrame:
    """Statements about the future made by each edition."""
    return opened(path).forecasts(edition)


def outcomes(edition: Editions = None, *, path: Where = None) -> pd.DataFrame:
    """Judgements of forecasts, each with its evidence and source."""
    return opened(path).outcomes(edition)
