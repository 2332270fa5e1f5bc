"""What the package holds of each edition, said in numbers and in words.

ISC's documents survive unevenly: the package holds all of the 2017 edition, three of the ten
events of 2014, nothing yet of 2018 but its existence. A part the package does not hold is
*missing*, not zero, so every comparison states what each side holds and leaves an answer empty
where a side holds nothing of the part compared. This module is where "what is held" is decided:

- a part is **held** when the package has at least one row of it for the edition (events; review
  or trends headings; figures; forecasts);
- a part is **complete** when ``editions`` says so (ten events found; review or trends coverage
  ``full``). Only a complete part can show that something is absent from the edition: a theme
  missing from 3 of the ten events may be among the other seven.

An edition is in the package when ``editions.csv`` has its row, or when datapackage.json lists its
folder (an edition just scaffolded by ``new-edition`` and not yet registered).

>>> from china_internet_trends import open
>>> held = coverage(open(), [2014, 2017]).set_index("edition")
>>> held.loc[2014, "events_text"]
'3 of the ten events of 2014 (ranks unknown)'
>>> held.loc[2017, "events_text"]
'the ten events of 2017'
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .dtypes import TEXT
from .errors import UnknownEdition
from .sentences import count, listed, say

if TYPE_CHECKING:
    from .package import Package

PARTS = ("events", "review", "trends")
_EDITION_FOLDER = re.compile(r"^datasets/([0-9]{4})/")


def editions_in_package(p: Package) -> list[int]:
    """Every edition the package has, in order: registered in ``editions``, or with its folder listed in datapackage.json.

    >>> from china_internet_trends import open
    >>> 2017 in editions_in_package(open())
    True
    """
    registered = set(p.editions()["edition"].tolist())
    listed = {int(match.group(1)) for name in p.edition_tables for rel in p.resource(name).paths
              if isinstance(rel, str) and (match := _EDITION_FOLDER.match(rel))}
    return sorted(registered | listed)


def check_edition(p: Package, edition: object) -> int:
    """``edition`` as an ``int`` when the package has it; otherwise a clear ``TypeError`` or :class:`UnknownEdition`.

    >>> from china_internet_trends import open
    >>> check_edition(open(), 1999)
    Traceback (most recent call last):
    ...
    china_internet_trends.errors.UnknownEdition: edition 1999 is not in the package; it has 2013, 2014, 2015, 2016, 2017, 2018, 2022
    """
    edition = as_year(edition)
    known = p.editions_held()
    if edition not in known:
        raise UnknownEdition(f"edition {edition} is not in the package; it has {', '.join(map(str, known))}")
    return edition


def check_editions(p: Package, editions: object) -> list[int]:
    """One edition or a list of editions, each checked as :func:`check_edition` does.

    >>> from china_internet_trends import open
    >>> check_editions(open(), "2017")
    Traceback (most recent call last):
    ...
    TypeError: editions are a year or a list of years, such as 2017 or [2016, 2017]; got '2017' (str)
    """
    asked = as_years(editions)
    known = p.editions_held()
    unknown = [edition for edition in asked if edition not in known]
    if unknown:
        raise UnknownEdition(f"edition {unknown[0]} is not in the package; it has {', '.join(map(str, known))}")
    return asked


def as_years(editions: object) -> list[int]:
    """One year or an iterable of years as a list of ``int``; ``TypeError`` for text or anything else."""
    if isinstance(editions, numbers.Integral) and not isinstance(editions, bool):
        return [as_year(editions)]
    if isinstance(editions, (str, bytes)) or not isinstance(editions, Iterable):
        raise TypeError(f"editions are a year or a list of years, such as 2017 or [2016, 2017]; got {editions!r} ({type(editions).__name__})")
    return [as_year(edition) for edition in editions]


def as_year(value: object) -> int:
    """``value`` as an ``int`` year (numpy integers too); ``TypeError`` for anything else, such as "2017" or True.

    >>> as_year("2017")
    Traceback (most recent call last):
    ...
    TypeError: an edition is a year written as a whole number, such as 2017; got '2017' (str)
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"an edition is a year written as a whole number, such as 2017; got {value!r} ({type(value).__name__})")
    if not 1 <= value <= 9999:
        raise UnknownEdition(f"an edition is a year from 1 to 9999, such as 2017; got {value}")
    return int(value)


COLUMNS = {
    "edition": "int64", "registered": "bool", "events_found": "Int64", "review_coverage": TEXT, "trends_coverage": TEXT,
    "forecast_year": "Int64", "events": "int64", "events_ranked": "int64", "review_headings": "int64",
    "trends_headings": "int64", "figures": "int64", "forecasts": "int64", "outcomes": "int64",
    "events_held": "bool", "events_complete": "bool", "review_held": "bool", "review_complete": "bool",
    "trends_held": "bool", "trends_complete": "bool", "events_text": TEXT, "review_text": TEXT, "trends_text": TEXT,
    "events_text_zh": TEXT, "review_text_zh": TEXT, "trends_text_zh": TEXT,
}
"""The columns of :func:`coverage`, in order, with their dtypes."""


def coverage(p: Package, editions: Iterable[int] | None = None) -> pd.DataFrame:
    """One row per edition (default: every edition in the package): what ``editions`` says of it,
    what the package holds of each part, and a sentence per part.

    - ``registered``: the edition has a row in ``editions``; ``events_found``, ``review_coverage``,
      ``trends_coverage`` and ``forecast_year`` come from that row and are empty without it;
    - rows held: ``events``, ``events_ranked``, ``review_headings``, ``trends_headings``, ``figures``,
      ``forecasts``, ``outcomes``;
    - ``<part>_held`` and ``<part>_complete`` for events, review and trends (see the module docstring);
    - ``events_text``, ``review_text``, ``trends_text``: the headings comparisons print, such as
      "3 of the ten events of 2014 (ranks unknown)", and the same in Chinese (``events_text_zh``…),
      both from :mod:`~china_internet_trends.sentences`.

    >>> from china_internet_trends import open
    >>> row = coverage(open(), [2018]).iloc[0]
    >>> int(row["events"]), bool(row["events_held"]), row["trends_text"]
    (0, False, 'nothing of the outlook for 2019 (not held)')
    """
    wanted = p.editions_held() if editions is None else check_editions(p, editions)
    registered = p.editions().set_index("edition")
    held = {name: _by_edition(p.load(name), CELLS[name]) for name in COUNTED}
    rows = [_row(edition, registered.loc[edition] if edition in registered.index else None,
                 {name: held[name].get(edition, {column: [] for column in CELLS[name]}) for name in COUNTED}) for edition in wanted]
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(COLUMNS)


COUNTED = ("events", "sections", "indicators", "forecasts", "outcomes")
"""The tables whose rows :func:`coverage` counts."""
CELLS = {"events": ("rank",), "sections": ("section_id", "part"), "indicators": ("section_id", "event_id"),
         "forecasts": ("origin",), "outcomes": ("edition",)}
"""The columns of each of :data:`COUNTED` that :func:`_row` reads."""


def _by_edition(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[int, dict[str, list]]:
    """The values of ``columns`` in the rows of each edition, split in one pass as plain lists: filtering once per
    edition is quadratic in editions, and a pandas operation per edition and count cost more than the counting."""
    split: dict[int, dict[str, list]] = {}
    for edition, *values in zip(frame["edition"].tolist(), *(frame[column].tolist() for column in columns)):
        if pd.isna(edition):  # as groupby does
            continue
        cells = split.setdefault(int(edition), {column: [] for column in columns})
        for column, value in zip(columns, values):
            cells[column].append(value)
    return split


def _is(value: object, word: str) -> bool:
    """Whether a cell holds ``word`` (a missing cell does not)."""
    return isinstance(value, str) and value == word


def _row(edition: int, registered: pd.Series | None, held: dict[str, dict[str, list]]) -> dict[str, object]:
    """The coverage of one edition; ``registered`` is its row of ``editions``, or None; ``held`` the cells of its rows
    (:data:`CELLS`) in each of :data:`COUNTED`."""
    events, sections, figures, forecasts = held["events"], held["sections"], held["indicators"], held["forecasts"]
    review_headings = sum(_is(part, "review") for part in sections["part"])
    trends_headings = sum(_is(part, "trends") for part in sections["part"])
    part_of = dict(zip(sections["section_id"], sections["part"]))
    part_of_figure = [part_of.get(section_id) for section_id in figures["section_id"]]
    review_figures = sum(_is(part, "review") or (pd.isna(section_id) and pd.isna(event_id))
                         for part, section_id, event_id in zip(part_of_figure, figures["section_id"], figures["event_id"]))
    known = registered is not None
    row: dict[str, object] = {
        "edition": edition,
        "registered": known,
        "events_found": int(registered["events_found"]) if known else pd.NA,
        "review_coverage": registered["review_coverage"] if known else pd.NA,
        "trends_coverage": registered["trends_coverage"] if known else pd.NA,
        "forecast_year": int(registered["forecast_year"]) if known else pd.NA,
        "events": len(events["rank"]),
        "events_ranked": sum(not pd.isna(rank) for rank in events["rank"]),
        "review_headings": review_headings,
        "trends_headings": trends_headings,
        "figures": len(figures["section_id"]),
        "forecasts": len(forecasts["origin"]),
        "outcomes": len(held["outcomes"]["edition"]),
        "events_held": len(events["rank"]) > 0,
        "events_complete": known and registered["events_found"] == 10 and len(events["rank"]) == 10,
        "review_held": review_headings + review_figures > 0,
        "review_complete": known and registered["review_coverage"] == "full",
        "trends_held": trends_headings + sum(_is(origin, "trends_outlook") for origin in forecasts["origin"]) > 0,
        "trends_complete": known and registered["trends_coverage"] == "full",
    }
    outlook_year = row["forecast_year"] if known else edition + 1
    review_counts = [("heading", review_headings), ("figure", review_figures)]
    trends_counts = [("heading", trends_headings), ("forecast", len(forecasts["origin"]))]
    for lang, suffix in (("en", ""), ("zh", "_zh")):
        row[f"events_text{suffix}"] = _events_text(edition, row, events["rank"], lang)
        row[f"review_text{suffix}"] = _part_text(say("part.review", lang, edition=edition), row["review_coverage"], row["review_held"],
                                                 review_counts, lang)
        row[f"trends_text{suffix}"] = _part_text(say("part.trends", lang, year=outlook_year), row["trends_coverage"], row["trends_held"],
                                                 trends_counts, lang)
    return row


def _events_text(edition: int, row: dict[str, object], ranks: Sequence[object], lang: str) -> str:
    """ "the ten events of 2017", "3 of the ten events of 2014 (ranks unknown)", "none of the ten events of 2015 (not held)"."""
    if not row["registered"]:
        return say("events.not_registered", lang, edition=edition)
    if not row["events_held"]:
        return say("events.not_held", lang, edition=edition)
    if row["events_complete"]:
        return say("events.complete", lang, edition=edition)
    return say("events.partial", lang, held=row["events"], edition=edition, ranks=_ranks(ranks, lang))


def _ranks(ranks: Sequence[object], lang: str = "en") -> str:
    """How the ranks of a partial list read.

    >>> _ranks(pd.Series([pd.NA, pd.NA], dtype="Int64")), _ranks(pd.Series([1, 2], dtype="Int64")), _ranks(pd.Series([3, pd.NA], dtype="Int64"))
    ('ranks unknown', 'ranks 1, 2', 'rank 3; 1 unranked')
    """
    known = sorted(int(r) for r in ranks if not pd.isna(r))
    if not known:
        return say("ranks.unknown", lang)
    shown = say("ranks.listed_many" if len(known) > 1 else "ranks.listed", lang, ranks=listed([str(r) for r in known], lang))
    unranked = len(ranks) - len(known)
    return say("ranks.with_unranked", lang, listed=shown, unranked=unranked) if unranked else shown


def _part_text(part: str, coverage_value: object, held: bool, counts: list[tuple[str, int]], lang: str) -> str:
    """ "all of the review of 2017 (62 headings, 170 figures)", "nothing of the outlook for 2019 (not held)"."""
    if coverage_value is pd.NA:
        return say("part.not_registered", lang, part=part)
    if not held:
        return say("part.not_held", lang, part=part)
    shown = listed([count(n, noun, lang) for noun, n in counts], lang)
    return say("part.full" if coverage_value == "full" else "part.partial", lang, part=part, counts=shown)
