"""The report as one self-contained HTML page, in Chinese and English.

``china-internet-trends report --html PATH`` writes what ``report`` prints, and what an analyst
wants to look at: the editions and what the package holds of each, the ten events of the latest
two complete editions side by side, the scorecard with its verdicts, calibration and sources, the
key series as charts (edition figures and official observations told apart, the IPv6 target line,
one line per definition), the themes over editions with what is not held masked, and the sources.
A switch changes every label and title between Chinese and English; every number links to the
row of the sources table it comes from.

Charts are Vega-Lite specifications built with altair and drawn in the browser by vega-embed. The
page inlines vega-embed, Vega-Lite and Vega from vl-convert's bundle, so it opens with no network;
text in the charts is drawn by the browser, with the reader's own Chinese fonts. The page is
filled from a jinja2 template (``resources/report.html.j2``) that escapes every value, and links
a source only when its address is a web address (``http``/``https``; :func:`schema.is_web_address`),
whatever the data says.

>>> page = render(build(opened()))
>>> page.count("<script src="), "vegaEmbed(" in page
(0, True)
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

from .errors import Error
from .integrity import write_atomically
from .package import opened
from .report import Content, KeySeries, build
from .scratch import refuse_unless
from .schema import is_web_address
from .scoring import VERDICTS, Scorecard

TEMPLATE = "resources/report.html.j2"
VERDICT_ZH = {"fulfilled": "已实现", "partly": "部分实现", "not_fulfilled": "未实现", "too_early": "为时尚早",
              "cannot_be_judged": "无法判断", "not_judged": "尚未评判"}
CERTAINTY_ZH = {"high": "高（将）", "medium": "中（预计、有望）", "low": "低（或将、可能）", "unknown": "未知（未收录原文）"}
ORIGIN = {"edition": ("协会报告所载", "figure printed by ISC"), "observation": ("官方统计", "official statistics")}


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

    template = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(_template())
    return template.render(
        version=content.version,
        editions=_editions(content),
        events=_events(content),
        card=_scorecard(content.scorecard),
        charts=[_series_chart(series) for series in content.key_series if not series.points.empty] + [_themes_chart(content)],
        sources=_sources(content.sources),
        vega=_vega_bundle(),
    )


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
    import altair as alt

    series_id, about, target = series.series_id, series.about, series.target
    points = series.points.assign(
        date=lambda p: p["period_end"].dt.strftime("%Y-%m-%d"), href=lambda p: "#src-" + p["source_id"],
        printed=lambda p: p["value"].map("{:g}".format) + " " + p["unit"])
    peak = max(points["base_value"].max(), target["base_value"] if target else 0)
    specs = {}
    for lang, column in (("zh", 0), ("en", 1)):
        divisor, axis_title = _magnitude(peak, about["base_unit"], lang)
        labels = [ORIGIN["edition"][column], ORIGIN["observation"][column]]
        data = points.assign(origin_label=points["origin"].map(lambda o: ORIGIN[o][column]), shown=points["base_value"] / divisor)
        data = data[["date", "shown", "origin_label", "segment", "printed", "source_id", "href"]]
        base = alt.Chart(data).encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y-%m" if lang == "zh" else "%b %Y")),
            y=alt.Y("shown:Q", title=axis_title),
            color=alt.Color("origin_label:N", title=None, scale=alt.Scale(domain=labels, range=["#d95f02", "#1b9e77"])))
        lines = base.transform_filter(alt.datum.origin_label == labels[1]).mark_line().encode(detail="segment:N")
        marks = base.mark_point(filled=True, size=70).encode(
            shape=alt.Shape("origin_label:N", title=None, scale=alt.Scale(domain=labels, range=["circle", "square"])),
            href="href:N", tooltip=[alt.Tooltip("date:T", title="date", format="%Y-%m-%d"), alt.Tooltip("printed:N"), alt.Tooltip("source_id:N")])
        layers = [lines, marks]
        if target is not None:
            label = f"目标：{target['printed']}（{target['year']}年末）" if lang == "zh" else f"target: {target['printed']} by end-{target['year']}"
            goal = pd.DataFrame({"date": [f"{target['year']}-12-31"], "y": [target["base_value"] / divisor], "label": [label]})
            layers.append(alt.Chart(goal).mark_rule(color="crimson", strokeDash=[6, 4]).encode(y="y:Q"))
            layers.append(alt.Chart(goal).mark_point(color="crimson", shape="diamond", size=120, filled=True)
                          .encode(x="date:T", y="y:Q", tooltip=[alt.Tooltip("label:N")]))
            layers.append(alt.Chart(goal).mark_text(color="crimson", align="left", dx=8, dy=-8).encode(x="date:T", y="y:Q", text="label:N"))
        title = about["name_zh"] if lang == "zh" else about["name_en"]
        specs[lang] = alt.layer(*layers).properties(title=title, width=560, height=240).to_dict()
    return {"id": f"chart-{series_id}", "specs": {lang: json.dumps(spec, ensure_ascii=False) for lang, spec in specs.items()}}


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
    import altair as alt

    matrix = content.themes
    names = content.theme_names
    cells = matrix.reset_index().melt(id_vars="theme", var_name="edition", value_name="count")
    cells["held"] = cells["count"].notna()
    specs = {}
    for lang in ("zh", "en"):
        data = cells.assign(theme_label=cells["theme"].map(names[f"name_{lang}"]),
                            count=cells["count"].astype("float64"),
                            text=cells["count"].map(lambda c: "" if pd.isna(c) else str(int(c))),
                            status=cells["held"].map({True: "收录" if lang == "zh" else "held",
                                                      False: "未收录" if lang == "zh" else "not held"}))
        order = [names.loc[t, f"name_{lang}"] for t in matrix.index]
        base = alt.Chart(data).encode(x=alt.X("edition:O", title="版次" if lang == "zh" else "edition"),
                                      y=alt.Y("theme_label:N", sort=order, title=None))
        held = base.transform_filter("datum.held").mark_rect().encode(
            color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), title="条数" if lang == "zh" else "rows"))
        missing = base.transform_filter("!datum.held").mark_rect(color="#eeeeee", stroke="#bbbbbb", strokeDash=[2, 2]).encode(
            tooltip=[alt.Tooltip("edition:O"), alt.Tooltip("status:N")])
        text = base.mark_text(fontSize=10).encode(text="text:N")
        title = "各版主题分布（灰色虚框：未收录）" if lang == "zh" else "Themes by edition (grey dashed: not held)"
        specs[lang] = alt.layer(held, missing, text).properties(title=title, width=560, height=360).to_dict()
    return {"id": "chart-themes", "specs": {lang: json.dumps(spec, ensure_ascii=False) for lang, spec in specs.items()}}


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
