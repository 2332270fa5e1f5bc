"""Rules no Table Schema can say, checked across the loaded tables of a package.

- a full edition (``events_found`` = 10) has exactly ten events ranked 1–10 once each;
- coverage in ``editions`` matches the rows present: events found; review and trends are ``none``
  exactly when the package holds nothing of that part (its sections; for the review also figures
  held without a section, for the trends also outlook forecasts held without a section);
- ids agree with their row: an event, section or figure of edition 2017 has an id starting 2017-;
- a milestone sits in exactly one section or event; a figure or forecast in at most one, and in
  none only when its note says why (a partial edition may be known without its outline);
- trends forecasts target the edition's forecast year unless a note says why not;
- ``period_start`` ≤ ``period_end``;
- a figure linked to a series is in a unit whose base unit is the series' (a bare number such as
  亿, base unit ``count``, fits any series that counts persons or accounts);
- every outcome cites a source (the foreign key checks that the source exists).

The rules read only the columns in :data:`COLUMNS`, and of a ``note`` only whether it is filled;
:func:`project` keeps just that, so validation can let go of the rest of each table early.

>>> import pandas as pd
>>> figures = pd.DataFrame({c: [pd.NA] for c in COLUMNS["indicators"]} | {"indicator_id": ["2017-I001"], "edition": [2017],
...     "section_id": ["2017-R1"], "period_start": pd.to_datetime(["2017-12-31"]), "period_end": pd.to_datetime(["2017-01-01"])})
>>> frames = {"indicators": project("indicators", figures)}
>>> [p.message for p in check(frames, {"indicators": [("datasets/2017/indicators.csv", 2)]})]
['period_start is after period_end (2017-01-01)']
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .errors import Problem

TableOrigins = dict[str, Sequence[tuple[str, int]]]
"""Where each row of each table came from: (file, row number), by table name."""

COLUMNS = {
    "editions": ["edition", "forecast_year", "events_found", "review_coverage", "trends_coverage"],
    "units": ["unit", "base_unit"],
    "series": ["series_id", "base_unit"],
    "observations": ["series_id", "unit", "period_start", "period_end"],
    "sections": ["section_id", "edition", "part"],
    "events": ["event_id", "edition", "rank"],
    "milestones": ["milestone_id", "edition", "section_id", "event_id"],
    "indicators": ["indicator_id", "edition", "section_id", "event_id", "note", "series_id", "unit", "period_start", "period_end"],
    "forecasts": ["forecast_id", "edition", "section_id", "event_id", "note", "origin", "target_year", "series_id", "unit"],
    "outcomes": ["outcome_id", "edition", "source_id"],
}
"""The columns each table's rules read (tables not named here are not read)."""


def project(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """What the rules read of a typed table: its :data:`COLUMNS`, with ``note`` turned into ``has_note``.

    >>> project("outcomes", pd.DataFrame({"outcome_id": ["2017-O01"], "edition": [2017], "verdict": ["met"], "source_id": ["cnnic-41"]})).columns.tolist()
    ['outcome_id', 'edition', 'source_id']
    >>> project("forecasts", pd.DataFrame({c: [pd.NA] for c in COLUMNS["forecasts"]}))["has_note"].tolist()
    [False]
    """
    read = [c for c in COLUMNS.get(table, []) if c in frame]
    kept = frame[[c for c in read if c != "note"]].copy()
    if "note" in read:
        kept["has_note"] = frame["note"].notna().to_numpy()
    return kept


def check(frames: dict[str, pd.DataFrame], origins: TableOrigins) -> list[Problem]:
    """Every cross-table problem, given the :func:`project` of each typed table (each must already match its schema)."""
    problems: list[Problem] = []
    for rule in (_ids_match_edition, _one_place, _periods, _series_units, _full_editions, _coverage, _trends_target_year, _outcome_sources):
        problems += rule(frames, origins)
    return problems


def _problem(origins: TableOrigins, table: str, position: int, column: str | None, value: object, message: str) -> Problem:
    file, row = origins[table][position]
    shown = None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return Problem(file, row, column, shown, message, "rules")


def _rows(frame: pd.DataFrame, mask: pd.Series) -> list[int]:
    return list(mask.fillna(False).to_numpy().nonzero()[0])


ID_COLUMNS = {"sections": "section_id", "events": "event_id", "milestones": "milestone_id",
              "indicators": "indicator_id", "forecasts": "forecast_id", "outcomes": "outcome_id"}


def _ids_match_edition(frames, origins):
    problems = []
    for table, id_column in ID_COLUMNS.items():
        frame = frames.get(table)
        if frame is None or frame.empty:
            continue
        prefix = frame[id_column].str.slice(0, 4)
        bad = prefix != frame["edition"].astype("string")
        for i in _rows(frame, bad):
            problems.append(_problem(origins, table, i, id_column, frame[id_column].iloc[i],
                                     f"the id must start with the row's edition {frame['edition'].iloc[i]}"))
    events = frames.get("events")
    if events is not None and not events.empty:
        number = pd.to_numeric(events["event_id"].str.slice(6), errors="coerce")
        bad = events["rank"].notna() & (number != events["rank"])
        for i in _rows(events, bad):
            problems.append(_problem(origins, "events", i, "event_id", events["event_id"].iloc[i],
                                     f"a ranked event's id must end in its rank ({int(events['rank'].iloc[i]):02d})"))
    return problems


def _one_place(frames, origins):
    problems = []
    for table in ("indicators", "milestones", "forecasts"):
        frame = frames.get(table)
        if frame is None or frame.empty:
            continue
        placed = frame["section_id"].notna().astype(int) + frame["event_id"].notna().astype(int)
        may_explain = table != "milestones"
        unexplained = (placed == 0) & (~frame["has_note"] if may_explain else True)
        for i in _rows(frame, (placed > 1) | unexplained):
            wanted = ("one of section_id and event_id, or neither with a note saying why" if may_explain
                      else "exactly one of section_id and event_id")
            problems.append(_problem(origins, table, i, "section_id", frame["section_id"].iloc[i], f"the row needs {wanted}"))
    return problems


def _periods(frames, origins):
    problems = []
    for table in ("indicators", "observations"):
        frame = frames.get(table)
        if frame is None or frame.empty:
            continue
        for i in _rows(frame, frame["period_start"] > frame["period_end"]):
            end = frame["period_end"].iloc[i].date()
            problems.append(_problem(origins, table, i, "period_start", frame["period_start"].iloc[i].date(),
                                     f"period_start is after period_end ({end})"))
    return problems


COUNTS = {"count", "persons", "accounts"}


def _series_units(frames, origins):
    units, series = frames.get("units"), frames.get("series")
    if units is None or series is None:
        return []
    unit_base = units.set_index("unit")["base_unit"]
    series_base = series.set_index("series_id")["base_unit"]
    problems = []
    for table in ("indicators", "observations", "forecasts"):
        frame = frames.get(table)
        if frame is None or frame.empty:
            continue
        have = frame["unit"].map(unit_base)
        want = frame["series_id"].map(series_base)
        fits = (have == want) | ((have == "count") & want.isin(COUNTS))
        bad = frame["series_id"].notna() & have.notna() & want.notna() & ~fits
        for i in _rows(frame, bad):
            problems.append(_problem(origins, table, i, "unit", frame["unit"].iloc[i],
                                     f"series {frame['series_id'].iloc[i]} is measured in {want.iloc[i]}, but this unit converts to {have.iloc[i]}"))
    return problems


def _full_editions(frames, origins):
    editions, events = frames.get("editions"), frames.get("events")
    if editions is None or events is None:
        return []
    ranked = events.dropna(subset=["rank"])
    ranks = ranked.groupby("edition")["rank"].agg(["count", "nunique", "min", "max"])
    one_to_ten = (ranks["count"] == 10) & (ranks["nunique"] == 10) & (ranks["min"] == 1) & (ranks["max"] == 10)
    complete = editions["edition"].map(one_to_ten).fillna(False).astype(bool)
    problems = []
    for i in _rows(editions, (editions["events_found"] == 10) & ~complete):
        edition = editions["edition"].iloc[i]
        found = sorted(ranked.loc[ranked["edition"] == edition, "rank"].astype(int))
        problems.append(_problem(origins, "editions", i, "events_found", 10,
                                 f"edition {edition} is marked complete, so its events must be ranked 1 to 10 once each; found ranks {found}"))
    return problems


def _coverage(frames, origins):
    editions = frames.get("editions")
    if editions is None:
        return []
    events = frames.get("events", pd.DataFrame(columns=["edition"]))
    sections = frames.get("sections", pd.DataFrame(columns=["edition", "part"]))
    forecasts = frames.get("forecasts", pd.DataFrame(columns=["edition", "origin"]))
    indicators = frames.get("indicators", pd.DataFrame(columns=["edition", "section_id", "event_id"]))
    unplaced = indicators["section_id"].isna() & indicators["event_id"].isna()
    held = {
        "review": set(indicators.loc[unplaced, "edition"]) | set(sections.loc[sections["part"] == "review", "edition"]),
        "trends": set(forecasts.loc[forecasts["origin"] == "trends_outlook", "edition"]) | set(sections.loc[sections["part"] == "trends", "edition"]),
    }
    problems = []
    event_counts = events["edition"].value_counts()
    for i, edition in enumerate(editions["edition"]):
        found = int(event_counts.get(edition, 0))
        if found != editions["events_found"].iloc[i]:
            problems.append(_problem(origins, "editions", i, "events_found", editions["events_found"].iloc[i],
                                     f"events_found says {editions['events_found'].iloc[i]} but the package holds {found} events of {edition}"))
        for part in ("review", "trends"):
            coverage = editions[f"{part}_coverage"].iloc[i]
            present = edition in held[part]
            if (coverage == "none") == present:
                holds = "holds" if present else "holds no"
                problems.append(_problem(origins, "editions", i, f"{part}_coverage", coverage,
                                         f"{part}_coverage is {coverage!r} but the package {holds} {part} rows of {edition}"))
    return problems


def _trends_target_year(frames, origins):
    editions, forecasts = frames.get("editions"), frames.get("forecasts")
    if editions is None or forecasts is None or forecasts.empty:
        return []
    expected = forecasts["edition"].map(editions.set_index("edition")["forecast_year"])
    bad = (forecasts["origin"] == "trends_outlook") & (forecasts["target_year"] != expected) & ~forecasts["has_note"]
    return [
        _problem(origins, "forecasts", i, "target_year", forecasts["target_year"].iloc[i],
                 f"a trends forecast targets the edition's forecast year ({expected.iloc[i]}) unless a note says why")
        for i in _rows(forecasts, bad)
    ]


def _outcome_sources(frames, origins):
    outcomes = frames.get("outcomes")
    if outcomes is None or outcomes.empty:
        return []
    return [
        _problem(origins, "outcomes", i, "source_id", None, "a verdict needs a source: fill source_id")
        for i in _rows(outcomes, outcomes["source_id"].isna())
    ]
