"""Synthetic packages whose holdings are chosen by the test, and a hypothesis strategy for them.

A :class:`Holding` says what the package holds of one synthetic edition: its events (rank and
theme), the themes of its review and trends chapters, its outlook forecasts, its figures. The
``editions`` row is written to agree with it (events found, review and trends coverage), as
``validate`` requires; an edition that is not ``registered`` is scaffolded by ``new-edition`` and
left without an ``editions`` row, as a contributor finds it before filling it in.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

import china_internet_trends as cit
from china_internet_trends import integrity
from china_internet_trends.edition import scaffold
from conftest import ROOT, read_rows, write_rows

SOURCE = "isc-2017-report"
THEMES = ["strategy", "infrastructure", "security", "fintech", "governance"]
SERIES_UNITS = {"users_4g": "亿户", "fixed_broadband_households": "万户", "internet_penetration": "%"}
VERDICTS = ["fulfilled", "partly", "not_fulfilled", "too_early", "cannot_be_judged"]
CERTAINTY = {"将": "high", "预计": "medium", "或将": "low"}


@dataclass(frozen=True)
class Holding:
    """What a synthetic package holds of one edition."""

    edition: int
    registered: bool = True
    events: tuple[tuple[int | None, str], ...] = ()
    review: tuple[str, ...] = ()
    review_full: bool = False
    trends: tuple[str, ...] = ()
    trends_full: bool = False
    forecasts: tuple[tuple[str, str | None, str], ...] = ()  # theme, verdict (None: not judged), hedge
    figures: tuple[tuple[str, float], ...] = field(default=())

    def coverage(self, part: str) -> str:
        held = bool(self.review or self.figures) if part == "review" else bool(self.trends or self.forecasts)
        return "none" if not held else ("full" if getattr(self, f"{part}_full") else "partial")


def build(root: Path, holdings: list[Holding]) -> Path:
    """A copy of the shipped package at ``root`` with the synthetic editions added; returns ``root``."""
    shutil.copytree(ROOT / "schemas", root / "schemas")
    shutil.copytree(ROOT / "datasets", root / "datasets")
    shutil.copy(ROOT / "datapackage.json", root)
    editions_csv = root / "datasets" / "editions.csv"
    write_rows(editions_csv, read_rows(editions_csv) + [_edition_row(h) for h in holdings if h.registered])
    headers = {table: list(read_rows(ROOT / "datasets" / "2017" / f"{table}.csv")[0]) for table in tuple(cit.open().edition_tables)}
    for holding in holdings:
        scaffold(holding.edition, root)
        for table, rows in _rows(holding).items():
            write_rows(root / "datasets" / str(holding.edition) / f"{table}.csv", rows, headers[table])
    integrity.refresh(root)
    return root


def _edition_row(h: Holding) -> dict[str, str]:
    return {"edition": str(h.edition), "forecast_year": str(h.edition + 1), "conference_zh": "测试年会", "conference_en": "test conference",
            "published": f"{h.edition + 1}-01-09", "events_found": str(len(h.events)), "review_coverage": h.coverage("review"),
            "trends_coverage": h.coverage("trends"), "source_id": SOURCE, "note": "synthetic edition built by a test"}


def _rows(h: Holding) -> dict[str, list[dict[str, str]]]:
    e = h.edition
    common = {"edition": str(e), "source_id": SOURCE}
    events = [common | {"event_id": f"{e}-E{rank or n:02d}", "rank": "" if rank is None else str(rank), "title_zh": f"事件{n}人工智能与5G",
                        "title_en": f"Event {n} on AI and 5G", "summary_en": "", "theme": theme, "note": "" if rank else "rank unknown"}
              for n, (rank, theme) in enumerate(h.events, start=1)]
    sections = [common | {"section_id": f"{e}-{letter}{n}", "part": part, "chapter": str(n), "number": "", "parent_id": "",
                          "heading_zh": f"标题{n}区块链", "heading_en": f"Heading {n} on blockchain", "theme": theme, "note": ""}
                for part, letter, themes in (("review", "R", h.review), ("trends", "T", h.trends))
                for n, theme in enumerate(themes, start=1)]
    forecasts = [common | {"forecast_id": f"{e}-F{n:02d}", "section_id": "", "event_id": "", "origin": "trends_outlook",
                           "target_year": str(e + 1), "claim_zh": f"{hedge}发生", "claim_en": f"Claim {n}", "hedge": hedge,
                           "certainty": CERTAINTY[hedge], "series_id": "", "entity_id": "", "comparator": "", "value": "", "unit": "",
                           "theme": theme, "note": "placed in no section: synthetic outlook"}
                 for n, (theme, _, hedge) in enumerate(h.forecasts, start=1)]
    outcomes = [common | {"outcome_id": f"{e}-F{n:02d}-a", "forecast_id": f"{e}-F{n:02d}", "verdict": verdict, "as_of": f"{e + 2}-01-01",
                          "evidence_en": "synthetic evidence", "observed_value": "", "observed_unit": "",
                          "note": "synthetic: no yardstick" if verdict == "cannot_be_judged" else ""}
                for n, (_, verdict, _) in enumerate(h.forecasts, start=1) if verdict]
    indicators = [common | {"indicator_id": f"{e}-I{n:03d}", "section_id": "", "event_id": "", "series_id": series, "entity_id": "china",
                            "period_start": f"{e}-12-31", "period_end": f"{e}-12-31", "value": repr(value), "unit": SERIES_UNITS[series],
                            "comparator": "eq", "measure": "level", "label_zh": "测试", "label_en": "test", "note": "placed in no section: synthetic"}
                  for n, (series, value) in enumerate(h.figures, start=1)]
    return {"events": events, "sections": sections, "forecasts": forecasts, "outcomes": outcomes, "indicators": indicators}


@st.composite
def holdings(draw: st.DrawFn, editions: tuple[int, ...] = (2040, 2041, 2042)) -> list[Holding]:
    """Random holdings for ``editions``: none, some or all ten events (ranked or not), chapters, forecasts, figures."""
    result = []
    for edition in editions:
        if draw(st.integers(0, 4)) == 0:  # one in five: just scaffolded, not yet registered
            result.append(Holding(edition, registered=False))
            continue
        events_found = draw(st.sampled_from([0, 0, 10, 10]) | st.integers(0, 10))
        theme = st.sampled_from(THEMES)
        if events_found == 10:
            ranks: list[int | None] = list(range(1, 11))
        elif draw(st.booleans()):
            ranks = sorted(draw(st.lists(st.integers(1, 10), min_size=events_found, max_size=events_found, unique=True)))
        else:
            ranks = [None] * events_found
        result.append(Holding(
            edition,
            events=tuple((rank, draw(theme)) for rank in ranks),
            review=tuple(draw(st.lists(theme, max_size=4))),
            review_full=draw(st.booleans()),
            trends=tuple(draw(st.lists(theme, max_size=4))),
            trends_full=draw(st.booleans()),
            forecasts=tuple(draw(st.lists(st.tuples(theme, st.none() | st.sampled_from(VERDICTS), st.sampled_from(list(CERTAINTY))),
                                          max_size=3))),
            figures=tuple(draw(st.lists(st.tuples(st.sampled_from(list(SERIES_UNITS)), st.integers(1, 900).map(float)),
                                        max_size=3, unique_by=lambda f: f[0]))),
        ))
    return result
