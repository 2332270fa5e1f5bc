"""china-internet-trends: the Internet Society of China's annual reports as validated data.

>>> import china_internet_trends as cit
>>> cit.events(2017)["rank"].tolist()
[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]

Importing the package loads pandas only; frictionless, pandera, jieba and opencc are imported by
the functions that use them.
"""

from . import compare, keywords
from .dictionary import fields
from .errors import DataPackageError, Problem, QueryError, Report, UnknownEdition
from .holdings import coverage
from .scoring import Scorecard, scorecard
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
from .tracking import figures, series


def validate(path=None, frictionless: bool = False, max_problems: int | None = None) -> Report:
    """Validate a data package (default: the shipped one) and return the report; never raises on bad data.

    ``frictionless=True`` also runs frictionless over every row; ``max_problems`` keeps at most that
    many problems per file and column and counts the rest (see :mod:`china_internet_trends.validation`)."""
    from .validation import validate as _validate

    return _validate(path, frictionless=frictionless, max_problems=max_problems)


__version__ = "0.2.0"
__all__ = [
    "DataPackageError", "Problem", "QueryError", "Report", "Scorecard", "UnknownEdition",
    "compare", "coverage", "fields", "figures", "keywords", "scorecard", "series", "validate",
    "editions", "entities", "events", "forecasts", "glossary", "hedges", "indicators", "load", "milestones", "observations",
    "outcomes", "sections", "series_table", "sources", "themes", "units",
]
