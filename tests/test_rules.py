"""The cross-table rules on small frames built here, and on the projection validation hands them."""

from __future__ import annotations

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import package, rules

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
    p = cit.open()
    frames, origins = {}, {}
    for name in p.tables:
        typed = package.read_typed(p.path, p.resource(name).descriptor, p.schema(name))
        frames[name], origins[name] = rules.project(name, typed.frame), typed.origins
    return frames, origins


def test_the_projection_holds_every_column_the_rules_read():
    frames, origins = _shipped_projection()
    assert rules.check(frames, origins) == []
    assert frames["entities"].columns.empty and "label_zh" not in frames["indicators"]  # what no rule reads is let go


def test_a_figure_without_a_place_is_explained_only_by_a_note():
    frames, origins = _shipped_projection()
    figures = frames["indicators"]
    with_note = figures.index[(figures["edition"] == 2017) & figures["has_note"]][0]
    without_note = figures.index[(figures["edition"] == 2017) & ~figures["has_note"]][0]
    figures.loc[[with_note, without_note], ["section_id", "event_id"]] = pd.NA
    problems = rules.check(frames, origins)
    assert [(p.file, p.row, p.column) for p in problems] == [(*origins["indicators"][without_note], "section_id")]


def _outcome(**values) -> pd.DataFrame:
    row = {"outcome_id": "2040-F01-a", "edition": 2040, "verdict": "fulfilled", "as_of": pd.Timestamp("2042-03-01"),
           "source_id": "isc-2017-report", "has_note": False} | values
    return pd.DataFrame({k: [v] for k, v in row.items()})


NOTHING_HELD = EDITION_ROW | {"events_found": [0], "review_coverage": ["none"], "trends_coverage": ["none"]}
OUTCOME_FRAMES = {
    "editions": pd.DataFrame(NOTHING_HELD | {"published": pd.to_datetime(["2041-01-09"])}),
    "sources": pd.DataFrame({"source_id": ["isc-2017-report", "low-copy"], "reliability": ["primary", "low"]}),
}
OUTCOME_ORIGINS = {"outcomes": [("datasets/2040/outcomes.csv", 2)], "editions": [("datasets/editions.csv", 2)]}


@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"as_of": pd.Timestamp("2040-12-31")}, "as_of",
         "as_of is before the release of edition 2040 (2041-01-09); it is the date of the evidence, which comes after the forecast"),
        ({"verdict": "cannot_be_judged"}, "note",
         "a cannot_be_judged outcome needs a note saying why the claim has no observable yardstick"),
        ({"source_id": "low-copy", "verdict": "partly"}, "source_id",
         "a partly verdict rests on a source of reliability low; cite a primary or secondary source that states the fact "
         "(a low one may only corroborate, in the note)"),
    ],
)
def test_an_outcome_breaking_the_rubric_is_one_problem(values, column, message):
    frames = OUTCOME_FRAMES | {"outcomes": _outcome(**values)}
    problems = rules.check(frames, OUTCOME_ORIGINS)
    assert [(p.file, p.row, p.column, p.message) for p in problems] == [("datasets/2040/outcomes.csv", 2, column, message)]


def test_an_outcome_that_keeps_the_rubric_passes():
    explained = _outcome(verdict="cannot_be_judged", has_note=True, source_id="low-copy")  # a low source may sit beside the reason
    assert rules.check(OUTCOME_FRAMES | {"outcomes": explained}, OUTCOME_ORIGINS) == []
    assert rules.check(OUTCOME_FRAMES | {"outcomes": _outcome(as_of=pd.Timestamp("2041-01-09"))}, OUTCOME_ORIGINS) == []


def test_an_unknown_release_day_counts_from_the_next_new_year():
    frames = OUTCOME_FRAMES | {"editions": pd.DataFrame(NOTHING_HELD | {"published": pd.to_datetime([None])}),
                               "outcomes": _outcome(as_of=pd.Timestamp("2040-12-31"))}
    [problem] = rules.check(frames, OUTCOME_ORIGINS)
    assert "(2041-01-01)" in problem.message


def test_a_release_year_beyond_what_pandas_holds_is_still_compared():
    """Edition 3017's next new year is past 2262, the last year of datetime64[ns]; the rule compares years."""
    editions = pd.DataFrame(NOTHING_HELD | {"edition": [3017], "forecast_year": [3018], "published": pd.to_datetime([None])})
    frames = OUTCOME_FRAMES | {"editions": editions, "outcomes": _outcome(outcome_id="3017-F01-a", edition=3017, as_of=pd.Timestamp("2042-03-01"))}
    [problem] = rules.check(frames, OUTCOME_ORIGINS)
    assert (problem.column, "(3018-01-01)" in problem.message) == ("as_of", True)


def test_certainty_follows_the_hedges_table():
    hedges = pd.DataFrame({"hedge": ["将", "或将"], "certainty": ["high", "low"]})
    forecasts = pd.DataFrame({"forecast_id": ["2040-F01", "2040-F02", "2040-F03", "2040-F04"], "edition": 2040,
                              "hedge": pd.array(["将", "或将", None, None], dtype="string"),
                              "certainty": pd.array(["high", "high", "high", None], dtype="string")})
    origins = {"forecasts": [("datasets/2040/forecasts.csv", n) for n in range(2, 6)]}
    problems = rules._certainty({"hedges": hedges, "forecasts": forecasts}, origins)
    assert [(p.row, p.column, p.value, p.message) for p in problems] == [
        (3, "certainty", "high", "the hedge 或将 has certainty low in the hedges table"),
        (4, "certainty", "high", "a forecast whose hedge is not known has no certainty either")]


GLOSSARY = pd.DataFrame({"term_zh": ["工业互联网", "产业互联网", "网络安全", "网络安全法"],
                         "term_en": ["industrial internet", "industry internet", "cybersecurity", "Cybersecurity Law"]})


def test_english_that_merges_two_glossary_terms_is_a_problem():
    events = pd.DataFrame({"event_id": ["2040-E01", "2040-E02"], "edition": 2040, "rank": pd.array([1, 2], dtype="Int64"),
                           "title_zh": ["产业互联网蓬勃兴起", "《网络安全法》正式实施，工业互联网加速"],
                           "title_en": ["The industrial internet booms", "The Cybersecurity Law takes effect; the industrial internet speeds up"],
                           "note": [pd.NA, pd.NA]})
    frames = {"events": rules.project("events", events, GLOSSARY)}
    origins = {"events": [("datasets/2040/events.csv", 2), ("datasets/2040/events.csv", 3)]}
    problems = rules._glossary(frames, origins)
    assert [(p.row, p.column, p.message) for p in problems] == [
        (2, "title_en", "the Chinese has 产业互联网, which the glossary renders as industry internet; use that form (see DATA.md, Glossary)")]


def test_a_figure_repeating_an_observation_at_another_date_is_flagged():
    figures = pd.DataFrame({"indicator_id": ["2040-I001", "2040-I002"], "edition": 2040, "series_id": ["users_4g", "users_4g"],
                            "value": [9.62, 9.97], "unit": ["亿户", "亿户"],
                            "period_start": pd.to_datetime(["2040-12-31", "2040-12-31"]), "period_end": pd.to_datetime(["2040-12-31", "2040-12-31"])})
    observed = pd.DataFrame({"observation_id": ["O9001", "O9002"], "series_id": ["users_4g", "users_4g"], "value": [9.62, 9.97],
                             "unit": ["亿户", "亿户"], "period_start": pd.to_datetime(["2040-11-30", "2040-12-31"]),
                             "period_end": pd.to_datetime(["2040-11-30", "2040-12-31"])})
    origins = {"indicators": [("datasets/2040/indicators.csv", 2), ("datasets/2040/indicators.csv", 3)]}
    [problem] = rules._misdated_figures({"indicators": figures, "observations": observed}, origins)
    assert (problem.row, problem.column, problem.value) == (2, "period_end", "2040-12-31")
    assert problem.message == ("observation O9001 of users_4g has the same value, 9.62 亿户, at 2040-11-30: one of the two "
                               "periods is probably wrong (an assumed date, or a figure repeated later by another body)")


def test_a_note_citing_an_id_that_exists_nowhere_is_a_problem():
    forecasts = pd.DataFrame({"forecast_id": ["2040-F01"], "edition": 2040, "note": ["Same figure as indicator T-001 and 2040-I001."]})
    figures = pd.DataFrame({"indicator_id": ["2040-I001"], "edition": 2040, "note": [pd.NA]})
    frames = {"forecasts": rules.project("forecasts", forecasts), "indicators": rules.project("indicators", figures)}
    origins = {"forecasts": [("datasets/2040/forecasts.csv", 2)], "indicators": [("datasets/2040/indicators.csv", 2)]}
    [problem] = rules._cited_ids_exist(frames, origins)
    assert (problem.file, problem.row, problem.column, problem.value) == ("datasets/2040/forecasts.csv", 2, "note", "T-001")


def test_a_note_may_cite_a_july_report_by_its_id():
    """isc-cidr-2021 is a publication's id: a note citing it cites something that exists; isc-cidr-2019 does not."""
    observed = pd.DataFrame({"observation_id": ["O9001", "O9002"], "note": ["As in isc-cidr-2021.", "As in isc-cidr-2019."]})
    held = pd.DataFrame({"publication_id": ["isc-cidr-2021"], "note": [pd.NA]})
    frames = {"observations": rules.project("observations", observed), "publications": rules.project("publications", held)}
    origins = {"observations": [("datasets/observations.csv", 2), ("datasets/observations.csv", 3)],
               "publications": [("datasets/publications.csv", 2)]}
    [problem] = rules._cited_ids_exist(frames, origins)
    assert (problem.row, problem.column, problem.value) == (3, "note", "isc-cidr-2019")
