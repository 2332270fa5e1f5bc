"""The report as one self-contained HTML page, in Chinese and English.

``china-internet-trends report --html PATH`` writes what ``report`` prints, and what an analyst
wants to look at: the editions and what the package holds of each, the ten events of the latest
two complete editions side by side, the scorecard with its verdicts, calibration and sources, the
key series as charts (internet users first; edition figures and official observations told apart,
the IPv6 target line with its date, one line per definition), the themes over editions with what
is not held labelled so, and the sources, folded. Each chart's caption names its sources and its
latest date. A switch changes every label and title between Chinese and English, and ``?lang=zh``
or ``?lang=en`` in the address chooses the language (English by default); the switch keeps the
address in step. Every number links to the row of the sources table it comes from.

The page fits a phone: it never scrolls sideways; a table wider than the screen scrolls inside its
own box, and charts take the width of the column and follow it when the window is resized.

Charts are Vega-Lite specifications built with altair (``width: "container"``) and drawn in the
browser by vega-embed, each in the language shown. The page inlines vega-embed, Vega-Lite and Vega
from vl-convert's bundle, so it opens with no network; text in the charts is drawn by the browser,
with the reader's own Chinese fonts. The page is filled from a jinja2 template
(``resources/report.html.j2``) that escapes every value, and links a source only when its address
is a web address (``http``/``https``; :func:`schema.is_web_address`), whatever the data says.

>>> page = render(build(opened()))
>>> page.count("<script src="), "vegaEmbed(" in page, page.count('<div class="table-wrap">') >= 5
(0, True, True)
"""

from __future__ import annotations

import json
import os
import stat
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from .compare import counts_by_year
from .errors import Error
from .integrity import write_atomically
from .package import opened
from .report import Content, KeySeries, build
from .scratch import refuse_unless
from .schema import is_web_address
from .scoring import VERDICTS, Scorecard
from .sentences import say

TEMPLATE = "resources/report.html.j2"
VERDICT_ZH = {"fulfilled": "已实现", "partly": "部分实现", "not_fulfilled": "未实现", "too_early": "为时尚早",
              "cannot_be_judged": "无法判断", "not_judged": "尚未评判"}
CERTAINTY_ZH = {"high": "高（将）", "medium": "中（预计、有望）", "low": "低（或将、可能）", "unknown": "未知（未收录原文）"}
ORIGIN = {"edition": ("协会报告所载", "figure printed by ISC"),
          "publication": ("协会《中国互联网发展报告》所载", "figure in ISC's July report"),
          "observation": ("官方统计", "official statistics")}


class ReportRefused(Error):
    """The target file exists and ``force`` was not given; nothing was written."""


def write(target: str | Path, *, path: str | Path | None = None, force: bool = False) -> Path:
    """Write the page for the package at ``path`` to ``target``; an existing file is replaced only with ``force``.

    ``target`` must be a new path or a regular file: a link, a device, a FIFO or a folder is refused
    (:class:`~china_internet_trends.errors.UnsafePath`), with or without ``force``."""
    target = Path(target)
    refuse_unless(target, stat.S_ISREG, "a regular file", missing_ok=True)
    if os.path.lexists(target) and not force:
        raise ReportRefused(f"{target} exists; use --force to replace it")
    page = render(build(opened(path)))
    return write_atomically(target, lambda tmp: tmp.write_text(page, encoding="utf-8"), overwrite=force)


def render(content: Content) -> str:
    """The whole page, rendering the report's content (:func:`~china_internet_trends.report.build`), as a string."""
    import jinja2

    sources = content.sources.set_index("source_id")
    charts = [{**_series_chart(series), "caption": _series_caption(series, sources)}
              for series in content.key_series if not series.points.empty]
    charts.append({**_themes_chart(content), "caption": _themes_caption(content, sources)})
    template = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(_template())
    return template.render(
        version=content.version,
        editions=_editions(content),
        publications=_publications(content),
        events=_events(content),
        card=_scorecard(content.scorecard),
        charts=charts,
        specs=[{"id": chart["id"], "specs": chart["specs"]} for chart in charts],
        sources=_sources(content.sources),
        sources_summary=_both("sources.summary", n=len(content.sources)),
        not_held=_both("held.not"),
        vega=_vega_bundle(),
    )


def _both(key: str, **values: object) -> tuple[str, str]:
    """Sentence ``key`` of the catalogue in Chinese and English, as the template's ``t`` takes it.

    >>> _both("chart.latest", date="2025-12-31")
    ('最新数据：2025-12-31。', 'Latest figure: 2025-12-31.')
    """
    return say(key, "zh", **values), say(key, "en", **values)


def _editions(content: Content) -> list[dict[str, Any]]:
    registered = content.editions.set_index("edition")
    rows = []
    for row in content.coverage.itertuples():
        known = row.edition in registered.index
        rows.append({
            "edition": row.edition,
            "published": f"{registered.loc[row.edition, 'published']:%Y-%m-%d}" if known and pd.notna(registered.loc[row.edition, "published"]) else "",
            "source": registered.loc[row.edition, "source_id"] if known else None,
            "events": (row.events_text_zh, row.events_text),
            "review": (row.review_text_zh, row.review_text),
            "trends": (row.trends_text_zh, row.trends_text),
        })
    return rows


def _publications(content: Content) -> dict[str, Any]:
    """ISC's July reports: the heading (how many, how many with figures) and a row per report, its title in
    each language (the English one where no Chinese title is known), the first source that is a copy of it."""
    held = content.publications
    cited = content.sources.dropna(subset=["publication"]).drop_duplicates("publication").set_index("publication")["source_id"]
    rows = [{"title": (row.title_zh if pd.notna(row.title_zh) else row.title_en, row.title_en),
             "source": cited.get(row.publication_id), "reviews_year": row.reviews_year,
             "released": f"{row.released:%Y-%m-%d}" if pd.notna(row.released) else "", "figures": row.figures}
            for row in held.itertuples()]
    heading = _both("report.publications", n=len(held), with_figures=int((held["figures"] > 0).sum()), figures=int(held["figures"].sum()))
    return {"heading": heading, "rows": rows}


def _events(content: Content) -> dict[str, Any] | None:
    if content.events is None:
        return None
    a, b = content.events.editions
    side = content.events.side
    names = content.theme_names
    theme = lambda t: ("", "") if pd.isna(t) else (names["name_zh"].get(t, t), names["name_en"].get(t, t))  # noqa: E731
    rows = [{"rank": "" if pd.isna(r["rank"]) else int(r["rank"]),
             "sides": [{"zh": _text(r[f"title_zh_{e}"]), "en": _text(r[f"title_en_{e}"]), "theme": theme(r[f"theme_{e}"])} for e in (a, b)]}
            for _, r in side.iterrows()]
    return {"editions": (a, b), "rows": rows, "source": content.editions.set_index("edition")["source_id"].to_dict()}


def _scorecard(card: Scorecard | None) -> dict[str, Any] | None:
    if card is None:
        return None
    rows = [{"id": r.forecast_id, "year": r.target_year, "claim": (_text(r.claim_zh), r.claim_en), "hedge": _text(r.hedge),
             "certainty": _certainty(r.certainty), "verdict": (VERDICT_ZH[r.verdict], r.verdict.replace("_", " ")),
             "as_of": "" if pd.isna(r.as_of) else f"{r.as_of:%Y-%m-%d}", "evidence": _text(r.evidence_en),
             "source": _text(r.evidence_source_id)} for r in card.forecasts.itertuples()]
    calibration = [{"certainty": _certainty(r["certainty"]), "forecasts": r["forecasts"],
                    "counts": [r[v] for v in VERDICTS], "decided": r["decided"],
                    "share": "" if pd.isna(r["fulfilled_share"]) else f"{r['fulfilled_share']:.0%}"}
                   for _, r in card.by_certainty.iterrows()]
    return {"edition": card.edition, "rows": rows, "calibration": calibration,
            "verdicts": [(VERDICT_ZH[v], v.replace("_", " ")) for v in VERDICTS]}


def _certainty(level: object) -> tuple[str, str]:
    """A certainty level in Chinese and English; ``unknown`` where the forecast's wording is not held."""
    level = "unknown" if pd.isna(level) else str(level)
    return CERTAINTY_ZH[level], level


def _series_chart(series: KeySeries) -> dict[str, Any]:
    """The series' chart in each language: ISC's printed figures against the official statistics, one
    line per definition, and the policy target as a line with its date; as wide as its column."""
    import altair as alt

    series_id, about, target = series.series_id, series.about, series.target
    points = series.points.assign(
        date=lambda p: p["period_end"].dt.strftime("%Y-%m-%d"), href=lambda p: "#src-" + p["source_id"],
        printed=lambda p: p["value"].map("{:g}".format) + " " + p["unit"])
    peak = max(points["base_value"].max(), target["base_value"] if target else 0)
    origins = [origin for origin in ORIGIN if (points["origin"] == origin).any()]
    drawing_order = (points["origin"] == "edition").to_numpy().argsort(kind="stable")  # ISC's figures drawn last, on top
    specs = {}
    for lang, column in (("zh", 0), ("en", 1)):
        divisor, axis_title = _magnitude(peak, about["base_unit"], lang)
        labels = [ORIGIN[origin][column] for origin in origins]
        legend = alt.Legend(orient="bottom", title=None)
        data = points.assign(origin_label=points["origin"].map(lambda o: ORIGIN[o][column]), shown=points["base_value"] / divisor)
        data = data[["date", "shown", "origin_label", "segment", "printed", "source_id", "href"]].iloc[drawing_order]
        base = alt.Chart(data).encode(
            x=alt.X("date:T", title=None, scale=alt.Scale(padding=10),
                    axis=alt.Axis(format="%Y-%m" if lang == "zh" else "%b %Y", tickCount={"expr": "ceil(width / 90)"})),
            y=alt.Y("shown:Q", title=axis_title),
            color=alt.Color("origin_label:N", title=None, legend=legend,
                            scale=alt.Scale(domain=labels, range=[COLOUR[origin] for origin in origins])))
        lines = base.transform_filter(alt.datum.origin_label == ORIGIN["observation"][column]).mark_line().encode(detail="segment:N")
        marks = base.mark_point(filled=True, size=70).encode(
            shape=alt.Shape("origin_label:N", title=None, legend=legend,
                            scale=alt.Scale(domain=labels, range=[SHAPE[origin] for origin in origins])),
            href="href:N", tooltip=[alt.Tooltip("date:T", title="date", format="%Y-%m-%d"), alt.Tooltip("printed:N"), alt.Tooltip("source_id:N")])
        layers = [lines, marks]
        if target is not None:
            layers += _target_layers(target, points["period_end"], divisor, axis_title, lang)
        specs[lang] = alt.layer(*layers).properties(width="container", height=240).to_dict()
    return {"id": f"chart-{series_id}", "title": (about["name_zh"], about["name_en"]),
            "specs": {lang: json.dumps(spec, ensure_ascii=False) for lang, spec in specs.items()}}


COLOUR = {"edition": "#d95f02", "publication": "#7570b3", "observation": "#1b9e77"}
SHAPE = {"edition": "circle", "publication": "triangle-up", "observation": "square"}


def _target_layers(target: dict[str, Any], dates: pd.Series, divisor: float, unit: str, lang: str) -> list[Any]:
    """The policy target: a dashed line at its value, a diamond at its date and a label saying both,
    put on the side of the diamond where the chart has room."""
    import altair as alt

    date = pd.Timestamp(target["year"], 12, 31)
    shown = target["base_value"] / divisor
    label = say("chart.target", lang, value=f"{shown:g}", unit=unit, date=f"{date:%Y-%m-%d}")
    goal = pd.DataFrame({"date": [f"{date:%Y-%m-%d}"], "y": [shown], "label": [label], "forecast_id": [target["forecast_id"]]})
    first, last = min(dates.min(), date), max(dates.max(), date)
    on_left = date - first <= last - date
    return [
        alt.Chart(goal).mark_rule(color="crimson", strokeDash=[6, 4]).encode(y="y:Q"),
        alt.Chart(goal).mark_point(color="crimson", shape="diamond", size=120, filled=True).encode(
            x="date:T", y="y:Q", tooltip=[alt.Tooltip("date:T", title="date", format="%Y-%m-%d"), alt.Tooltip("label:N"),
                                          alt.Tooltip("forecast_id:N")]),
        alt.Chart(goal).mark_text(color="crimson", align="left" if on_left else "right", dx=8 if on_left else -8, dy=-8)
        .encode(x="date:T", y="y:Q", text="label:N"),
    ]


def _series_caption(series: KeySeries, sources: pd.DataFrame) -> dict[str, Any]:
    """What the series' chart draws on: each source, in the order of its first point (the target's last),
    and the date of the latest point."""
    used = series.points.sort_values("period_end")["source_id"].tolist()
    if series.target is not None:
        used.append(series.target["source_id"])
    latest = f"{series.latest['period_end']:%Y-%m-%d}"
    return _caption(used, sources, [_both("chart.latest", date=latest)])


def _themes_caption(content: Content, sources: pd.DataFrame) -> dict[str, Any]:
    """What the themes chart counts, the sources of the editions it holds rows of, and the latest of them."""
    counts = counts_by_year(content.themes)
    held = [edition for edition in counts.columns if counts[edition].notna().any()]
    editions = content.editions.set_index("edition").reindex(held)
    notes = [_both("chart.themes_counted")]
    if held:
        latest, published = held[-1], editions.loc[held[-1], "published"]
        notes.append(_both("chart.latest_edition", edition=latest, date=f"{published:%Y-%m-%d}") if pd.notna(published)
                     else _both("chart.latest_edition_undated", edition=latest))
    return _caption(editions["source_id"].tolist(), sources, notes)


def _caption(used: list[object], sources: pd.DataFrame, notes: list[tuple[str, str]]) -> dict[str, Any]:
    """A chart's caption: the sources it names (each once, in order, only those in the sources table) and its notes."""
    named = [str(s) for s in dict.fromkeys(used) if pd.notna(s) and s in sources.index]
    return {"count": _both("chart.sources", n=len(named)), "notes": notes,
            "sources": [{"id": s, "title": f"{sources.loc[s, 'publisher']}: {sources.loc[s, 'title']}"} for s in named]}


BASE_UNIT_ZH = {"accounts": "户", "persons": "人", "cny": "元", "count": "个"}


def _magnitude(peak: float, base_unit: str, lang: str) -> tuple[float, str]:
    """How to show a series' values on an axis: the divisor and the axis title, in 亿 or 万亿 in Chinese and
    millions or billions in English; a percentage is shown as it is.

    >>> _magnitude(9.97e8, "accounts", "zh"), _magnitude(1.07e12, "cny", "en")
    ((100000000.0, '亿户'), (1000000000.0, 'billion cny'))
    """
    if base_unit == "percent":
        return 1.0, "%"
    if lang == "zh":
        divisor, word = (1e12, "万亿") if peak >= 1e12 else (1e8, "亿")
        return divisor, f"{word}{BASE_UNIT_ZH.get(base_unit, base_unit)}"
    divisor, word = (1e9, "billion") if peak >= 1e10 else (1e6, "million")
    return divisor, f"{word} {base_unit}"


def _themes_chart(content: Content) -> dict[str, Any]:
    """The themes over editions as a heatmap in each language; an edition the package holds nothing of
    is a grey column labelled "not held" (also in the legend and the tooltips), never a pale zero."""
    import altair as alt

    matrix = counts_by_year(content.themes)
    names = content.theme_names
    cells = matrix.reset_index().melt(id_vars="theme", var_name="edition", value_name="count")
    cells["held"] = cells["count"].notna()
    unheld = [edition for edition in matrix.columns if matrix[edition].isna().all()]
    middle = matrix.index[len(matrix.index) // 2] if len(matrix.index) else None
    specs = {}
    for lang in ("zh", "en"):
        not_held = say("held.not", lang)
        data = cells.assign(theme_label=cells["theme"].map(names[f"name_{lang}"]),
                            count=cells["count"].astype("float64"),
                            text=cells["count"].map(lambda c: "" if pd.isna(c) else str(int(c))),
                            status=not_held)
        order = [names.loc[t, f"name_{lang}"] for t in matrix.index]
        edition_title = "版次" if lang == "zh" else "edition"
        base = alt.Chart(data).encode(
            x=alt.X("edition:O", title=edition_title, axis=alt.Axis(labelAngle=-90)),
            y=alt.Y("theme_label:N", sort=order, title=None, axis=alt.Axis(labelLimit={"expr": "containerSize()[0] < 520 ? 110 : 220"})))
        held = base.transform_filter("datum.held").mark_rect().encode(
            color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), title="条数" if lang == "zh" else "rows",
                            legend=alt.Legend(orient="bottom", direction="horizontal", gradientLength=120)),
            tooltip=[alt.Tooltip("theme_label:N", title="主题" if lang == "zh" else "theme"),
                     alt.Tooltip("edition:O", title=edition_title), alt.Tooltip("count:Q", title="条数" if lang == "zh" else "rows")])
        missing = base.transform_filter("!datum.held").mark_rect(stroke="#999999", strokeDash=[2, 2]).encode(
            color=alt.Color("status:N", title=None, scale=alt.Scale(domain=[not_held], range=["#e4e4e4"]),
                            legend=alt.Legend(orient="bottom", symbolType="square", symbolStrokeColor="#999999")),
            tooltip=[alt.Tooltip("edition:O", title=edition_title), alt.Tooltip("status:N", title="")])
        text = base.mark_text(fontSize=10).encode(text="text:N")
        layers = [held, missing, text]
        if unheld and middle is not None:
            upright = lang == "zh"  # Chinese reads down the column one character a line; English is turned on its side
            labels = pd.DataFrame({"edition": unheld, "theme_label": names.loc[middle, f"name_{lang}"],
                                   "text": [list(not_held) if upright else not_held] * len(unheld)})
            layers.append(alt.Chart(labels).mark_text(angle=0 if upright else 270, fontSize=11, color="#555555").encode(
                x=alt.X("edition:O"), y=alt.Y("theme_label:N", sort=order), text="text:N"))
        specs[lang] = alt.layer(*layers).resolve_scale(color="independent").properties(width="container", height=360).to_dict()
    return {"id": "chart-themes", "title": ("各版主题分布", "Themes by edition"),
            "specs": {lang: json.dumps(spec, ensure_ascii=False) for lang, spec in specs.items()}}


def _sources(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [{"id": r.source_id, "publisher": r.publisher, "title": r.title, "kind": r.kind,
             "url": r.url if is_web_address(r.url) else "", "reliability": r.reliability} for r in frame.itertuples()]


def _text(value: object) -> str:
    return "" if pd.isna(value) else str(value)


@lru_cache(maxsize=1)
def _vega_bundle() -> str:
    import vl_convert

    return vl_convert.javascript_bundle()


def _template() -> str:
    return (resources.files(__package__) / TEMPLATE).read_text(encoding="utf-8")
