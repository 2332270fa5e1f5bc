"""Compare editions: events side by side, theme agendas, matched figures, review against outlook.

>>> side = events(2016, 2017)
>>> side.loc[0, ["theme_2016", "theme_2017"]].tolist()
['strategy', 'strategy']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import tables
from .conversion import with_base_values

PARTS = ("events", "sections", "forecasts")


def events(a: int, b: int, path: str | Path | None = None) -> pd.DataFrame:
    """The events of editions ``a`` and ``b`` side by side by rank (unranked events follow, in id order).

    Columns: ``rank``, then ``event_id_<a>``, ``title_zh_<a>``, ``title_en_<a>``, ``theme_<a>`` and the same for ``b``.
    """
    sides = [_ranked_events(edition, path) for edition in (a, b)]
    merged = sides[0].merge(sides[1], on="position", how="outer").sort_values("position")
    rank_a, rank_b = merged[f"rank_{a}"], merged[f"rank_{b}"]
    merged.insert(0, "rank", rank_a.where(rank_a.notna(), rank_b).astype("Int64"))
    return merged.drop(columns=["position", f"rank_{a}", f"rank_{b}"]).reset_index(drop=True)


def _ranked_events(edition: int, path: str | Path | None) -> pd.DataFrame:
    frame = tables.events(edition, path=path)[["event_id", "rank", "title_zh", "title_en", "theme"]]
    unranked = frame["rank"].isna().cumsum().where(frame["rank"].isna())
    frame = frame.assign(position=frame["rank"].astype("Float64").fillna(100 + unranked.astype("Float64")))
    return frame.rename(columns={c: f"{c}_{edition}" for c in frame.columns if c != "position"})


def theme_shifts(a: int, b: int, path: str | Path | None = None) -> pd.DataFrame:
    """Themes of the two editions' events: counts in each and whether the theme was gained, dropped or persisted.

    >>> theme_shifts(2016, 2017).set_index("theme").loc["fintech", "status"]
    'persisting'
    """
    counts = _theme_counts(tables.events([a, b], path=path), [a, b], path)
    counts = counts.loc[counts.sum(axis=1) > 0].rename_axis(columns=None)
    counts["status"] = "persisting"
    counts.loc[counts[a] == 0, "status"] = "gained"
    counts.loc[counts[b] == 0, "status"] = "dropped"
    return counts.reset_index().rename(columns={a: f"events_{a}", b: f"events_{b}"})


def themes(editions: list[int] | None = None, parts: tuple[str, ...] = PARTS, path: str | Path | None = None) -> pd.DataFrame:
    """Theme × edition counts over events, sections and forecasts (or the ``parts`` named).

    Rows follow the codebook's order; columns are editions. Every theme of the codebook is a row.
    """
    editions = editions or tables.editions(path)["edition"].tolist()
    frames = [tables.load(part, editions, path)[["edition", "theme"]] for part in parts]
    return _theme_counts(pd.concat(frames, ignore_index=True), editions, path)


def _theme_counts(frame: pd.DataFrame, editions: list[int], path: str | Path | None) -> pd.DataFrame:
    codebook = tables.themes(path).sort_values("order")["theme"].tolist()
    counts = pd.crosstab(frame["theme"], frame["edition"]).reindex(index=codebook, columns=editions, fill_value=0)
    return counts.rename_axis(index="theme", columns="edition")


def review_vs_trends(edition: int, path: str | Path | None = None) -> pd.DataFrame:
    """Which review themes the trends outlook carries on, which it adds and which it drops.

    Counts subsections (chapters when a part has none) by theme; ``status`` is ``carried_on``,
    ``added`` (outlook only) or ``dropped`` (review only).
    """
    sections = tables.sections(edition, path=path)
    leaves = sections[~sections["section_id"].isin(sections["parent_id"].dropna())]
    counts = pd.crosstab(leaves["theme"], leaves["part"]).reindex(columns=["review", "trends"], fill_value=0)
    counts["status"] = "carried_on"
    counts.loc[counts["review"] == 0, "status"] = "added"
    counts.loc[counts["trends"] == 0, "status"] = "dropped"
    order = tables.themes(path).set_index("theme")["order"]
    counts = counts.reset_index().rename_axis(columns=None)
    return counts.sort_values("theme", key=lambda t: t.map(order)).reset_index(drop=True)


def indicators(a: int, b: int | str, path: str | Path | None = None) -> pd.DataFrame:
    """Figures matched by series between edition ``a`` and edition ``b`` (or ``"observations"``).

    For each series both sides report, the latest figure of each side (by period end) is compared
    in base units: ``change`` = b − a and ``growth`` = b / a − 1. When the two figures are not
    like for like (the second older than the first, different entities, a stock against a flow,
    periods of different length, or a comparator other than eq/approx), ``change`` and ``growth``
    stay empty and ``caveat`` says why. Policy targets are left out.
    """
    left = _latest_by_series(_figures(a, path), path)
    right = _latest_by_series(_figures(b, path), path)
    pairs = left.merge(right, on="series_id", suffixes=("_a", "_b"))
    pairs["base_unit"] = pairs["series_id"].map(tables.series_table(path).set_index("series_id")["base_unit"])
    caveats = pairs.apply(_caveat, axis=1).astype("string")
    comparable = caveats.isna()
    pairs["change"] = (pairs["base_value_b"] - pairs["base_value_a"]).where(comparable)
    pairs["growth"] = (pairs["base_value_b"] / pairs["base_value_a"] - 1).where(comparable)
    pairs["caveat"] = caveats
    columns = ["series_id"] + [f"{c}_{side}" for side in "ab" for c in
               ("row_id", "entity_id", "period_start", "period_end", "value", "unit", "comparator", "base_value")]
    return pairs[columns + ["base_unit", "change", "growth", "caveat"]]


def _figures(side: int | str, path: str | Path | None) -> pd.DataFrame:
    if side == "observations":
        frame = tables.observations(path).rename(columns={"observation_id": "row_id"})
    else:
        frame = tables.indicators(int(side), path=path).rename(columns={"indicator_id": "row_id"})
        frame = frame[frame["measure"] != "target"]
    return frame.dropna(subset=["series_id"])


def _latest_by_series(frame: pd.DataFrame, path: str | Path | None) -> pd.DataFrame:
    frame = with_base_values(frame, tables.units(path))
    frame = frame.sort_values(["series_id", "period_end", "row_id"]).drop_duplicates("series_id", keep="last")
    return frame[["series_id", "row_id", "entity_id", "period_start", "period_end", "value", "unit", "comparator", "base_value"]]


def _caveat(pair: pd.Series) -> str | None:
    reasons = []
    if pair["period_end_b"] < pair["period_end_a"]:
        reasons.append("the second figure is older than the first")
    if pair["entity_id_a"] != pair["entity_id_b"]:
        reasons.append(f"different entities ({pair['entity_id_a']} vs {pair['entity_id_b']})")
    span_a = (pair["period_end_a"] - pair["period_start_a"]).days
    span_b = (pair["period_end_b"] - pair["period_start_b"]).days
    if (span_a == 0) != (span_b == 0):
        reasons.append("a stock at a date against a flow over a period")
    elif abs(span_a - span_b) > 31:
        reasons.append(f"periods of different length ({span_a + 1} vs {span_b + 1} days)")
    inexact = sorted({pair["comparator_a"], pair["comparator_b"]} - {"eq", "approx"})
    if inexact:
        reasons.append(f"bounds rather than values (comparator {', '.join(inexact)})")
    return "; ".join(reasons) or None
