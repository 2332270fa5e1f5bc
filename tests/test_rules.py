"""The cross-table rules on small frames built here, and on the projection validation hands them."""

from __future__ import annotations

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import rules, tables

EDITION_ROW = {"edition": [2040], "forecast_year": [2041], "events_found": [10],
               "review_coverage": ["full"], "trends_coverage": ["full"]}


def _events(ranks: list[int | None]) -> pd.DataFrame:
    ids = [f"2040-E{r:02d}" if r is not None else f"2040-X{i}" for i, r in enumerate(ranks)]
    return pd.DataFrame({"event_id": ids, "edition": 2040, "rank": pd.array(ranks, dtype="Int64")})


@pytest.mark.parametrize(
    ("ranks", "found"),
    [
        (list(range(1, 10)) + [9], "[1, 2, 3, 4, 5, 6, 7, 8, 9, 9]"),
        (list(range(1, 10)) + [None], "[1, 2, 3, 4, 5, 6, 7, 8, 9]"),
        (list(range(2, 12)), "[2, 3, 4, 5, 6, 7, 8, 9, 10, 11]"),
    ],
)
def test_a_complete_edition_needs_ranks_one_to_ten_once_each(ranks, found):
    frames = {"editions": pd.DataFrame(EDITION_ROW), "events": _events(ranks)}
    origins = {"editions": [("datasets/editions.csv", 2)], "events": [("datasets/2040/events.csv", n) for n in range(2, 12)]}
    messages = [p.message for p in rules._full_editions(frames, origins)]
    assert messages == [f"edition 2040 is marked complete, so its events must be ranked 1 to 10 once each; found ranks {found}"]


def test_ranks_one_to_ten_in_any_order_complete_an_edition():
    frames = {"editions": pd.DataFrame(EDITION_ROW), "events": _events([3, 1, 2, 10, 9, 8, 4, 5, 7, 6])}
    assert rules._full_editions(frames, {"editions": [("datasets/editions.csv", 2)]}) == []


def _shipped_projection() -> tuple[dict[str, pd.DataFrame], dict]:
    descriptor = cit.package.find_descriptor()
    frames, origins = {}, {}
    for res in cit.package.read_descriptor(descriptor)["resources"]:
        typed = tables.read_typed(descriptor, res)
        frames[res["name"]], origins[res["name"]] = rules.project(res["name"], typed.frame), typed.origins
    return frames, origins


def test_the_projection_holds_every_column_the_rules_read():
    frames, origins = _shipped_projection()
    assert rules.check(frames, origins) == []
    assert frames["sources"].columns.empty and "label_zh" not in frames["indicators"]  # what no rule reads is let go


def test_a_figure_without_a_place_is_explained_only_by_a_note():
    frames, origins = _shipped_projection()
    figures = frames["indicators"]
    with_note = figures.index[(figures["edition"] == 2017) & figures["has_note"]][0]
    without_note = figures.index[(figures["edition"] == 2017) & ~figures["has_note"]][0]
    figures.loc[[with_note, without_note], ["section_id", "event_id"]] = pd.NA
    problems = rules.check(frames, origins)
    assert [(p.file, p.row, p.column) for p in problems] == [(*origins["indicators"][without_note], "section_id")]
