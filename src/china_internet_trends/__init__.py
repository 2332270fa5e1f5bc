"""china-internet-trends: the Internet Society of China's annual reports as validated data.

>>> import china_internet_trends as cit
>>> p = cit.open()                       # the shipped package; cit.open("path/to/copy") for another
>>> p.events(2017)["rank"].tolist()
[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
>>> cit.events(2017).equals(p.events(2017))   # module functions: the same calls on the shipped package
True

Every module-level function takes a package's path as a keyword only (``path=``), so a path
passed by position is a ``TypeError``, never an answer from another package. Importing the
package loads pandas only; frictionless, pandera, jieba and opencc are imported where used.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import compare, keywords
from .errors import DataPackageError, Error, NotInPackage, Problem, QueryError, Report, UnknownEdition
from .package import Package, open, opened
from .scoring import Scorecard
from .tables import (
    editions,
    entities,
    events,
    forecasts,
    glossary,
    hedges,
    indicators,
    load,
    milestones,
    observations,
    outcomes,
    sections,
    series_table,
    sources,
    themes,
    units,
)

Where = str | Path | None


def coverage(editions: Iterable[int] | None = None, *, path: Where = None) -> pd.DataFrame:
    """What the package holds of each edition, in numbers and words (:meth:`Package.coverage`)."""
    return opened(path).coverage(editions)


def fields(table: str | None = None, *, path: Where = None) -> pd.DataFrame:
    """The column dictionary of every table, or of ``table`` (:meth:`Package.fields`)."""
    return opened(path).fields(table)


def figures(*, path: Where = None) -> pd.DataFrame:
    """Every figure and observation in one tidy table, in base units (:meth:`Package.figures`)."""
    return opened(path).figures()


def series(series_id: str, *, path: Where = None) -> pd.DataFrame:
    """Every edition figure and observation of one series, in base units (:meth:`Package.series`)."""
    return opened(path).series(series_id)


def scorecard(edition: int, *, path: Where = None) -> Scorecard:
    """An edition's forecasts with their latest verdicts, counts and calibration (:meth:`Package.scorecard`)."""
    return opened(path).scorecard(edition)


def validate(*, path: Where = None, frictionless: bool = False, max_problems: int | None = None) -> Report:
    """Validate a data package (default: the shipped one) and return the report; never raises on bad data
    (:meth:`Package.validate`)."""
    return opened(path).validate(frictionless=frictionless, max_problems=max_problems)


__version__ = "0.4.0"
__all__ = [
    "DataPackageError", "Error", "NotInPackage", "Package", "Problem", "QueryError", "Report", "Scorecard", "UnknownEdition",
    "compare", "coverage", "fields", "figures", "keywords", "open", "scorecard", "series", "validate",
    "editions", "entities", "events", "forecasts", "glossary", "hedges", "indicators", "load", "milestones", "observations",
    "outcomes", "sections", "series_table", "sources", "themes", "units",
]
