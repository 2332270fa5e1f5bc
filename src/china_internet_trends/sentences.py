"""Every sentence the package writes in two languages, in one catalogue: its Chinese and English forms.

The terminal report, the markdown and the HTML page say what the package holds of each edition in
the same words and with the same numbers, because both languages are filled from one entry of
:data:`CATALOGUE` with the same values (a test checks that every number of one language appears
in the other).

>>> say("events.partial", "en", held=3, edition=2014, ranks=say("ranks.unknown", "en"))
'3 of the ten events of 2014 (ranks unknown)'
>>> say("events.partial", "zh", held=3, edition=2014, ranks=say("ranks.unknown", "zh"))
'2014年十件大事：收录3件（排名未知）'
"""

from __future__ import annotations

from collections.abc import Sequence

CATALOGUE: dict[str, dict[str, str]] = {
    "events.not_registered": {"en": "no events of {edition} (the edition is not yet registered in editions.csv)",
                              "zh": "{edition}年十件大事：该版尚未在 editions.csv 登记"},
    "events.not_held": {"en": "none of the ten events of {edition} (not held)", "zh": "{edition}年十件大事：未收录"},
    "events.complete": {"en": "the ten events of {edition}", "zh": "{edition}年十件大事：全部收录"},
    "events.partial": {"en": "{held} of the ten events of {edition} ({ranks})", "zh": "{edition}年十件大事：收录{held}件（{ranks}）"},
    "ranks.unknown": {"en": "ranks unknown", "zh": "排名未知"},
    "ranks.listed": {"en": "rank {ranks}", "zh": "排名{ranks}"},
    "ranks.listed_many": {"en": "ranks {ranks}", "zh": "排名{ranks}"},
    "ranks.with_unranked": {"en": "{listed}; {unranked} unranked", "zh": "{listed}；{unranked}件无排名"},
    "part.review": {"en": "the review of {edition}", "zh": "{edition}年综述"},
    "part.trends": {"en": "the outlook for {year}", "zh": "{year}年趋势展望"},
    "part.not_registered": {"en": "nothing of {part} (the edition is not yet registered in editions.csv)", "zh": "{part}：该版尚未登记"},
    "part.not_held": {"en": "nothing of {part} (not held)", "zh": "{part}：未收录"},
    "part.full": {"en": "all of {part} ({counts})", "zh": "{part}：全部收录（{counts}）"},
    "part.partial": {"en": "part of {part} ({counts})", "zh": "{part}：部分收录（{counts}）"},
    "count.heading": {"en": "{n} heading", "zh": "{n}个标题"},
    "count.headings": {"en": "{n} headings", "zh": "{n}个标题"},
    "count.figure": {"en": "{n} figure", "zh": "{n}项数据"},
    "count.figures": {"en": "{n} figures", "zh": "{n}项数据"},
    "count.forecast": {"en": "{n} forecast", "zh": "{n}项预测"},
    "count.forecasts": {"en": "{n} forecasts", "zh": "{n}项预测"},
    "list.separator": {"en": ", ", "zh": "，"},
    "held.not": {"en": "not held", "zh": "未收录"},
    "chart.sources": {"en": "Sources ({n}):", "zh": "来源（{n}项）："},
    "chart.latest": {"en": "Latest figure: {date}.", "zh": "最新数据：{date}。"},
    "chart.latest_edition": {"en": "Latest edition held: {edition}, released {date}.", "zh": "最新收录版次：{edition}年版，{date}发布。"},
    "chart.latest_edition_undated": {"en": "Latest edition held: {edition}.", "zh": "最新收录版次：{edition}年版。"},
    "chart.target": {"en": "target: {value} {unit} by {date}", "zh": "目标：{date}前达到{value}{unit}"},
    "chart.themes_counted": {"en": "Rows of the events, review and outlook headings and forecasts the package holds, by theme. Not held: "
                                   "the package holds none of the edition, or not all of it, so that a count of 0 could be wrong. How much of "
                                   "each edition is held: see the first table.",
                             "zh": "按主题统计数据包所收录的十件大事、综述与展望标题及预测条数。“未收录”：该版一条都未收录，或未全部收录、"
                                   "计数为0未必属实。各版收录多少见第一个表。"},
    "sources.summary": {"en": "Show the {n} sources", "zh": "展开全部{n}项来源"},
    "report.whole": {"en": "All of it: {command}", "zh": "完整内容：{command}"},
    "report.whole_each": {"en": "All of a series: {command}, and likewise for the others", "zh": "单项完整内容：{command}，其余同理"},
    "report.sources": {"en": "{n} sources ({kinds})", "zh": "来源{n}项（{kinds}）"},
    "report.publications": {"en": "ISC's July reports, held apart from the editions: {n} documented, {with_figures} with figures held ({figures} in all)",
                            "zh": "协会七月发布的《中国互联网发展报告》（与各版分开收录）：共{n}期，其中{with_figures}期收录数据（共{figures}项）"},
}
"""Each sentence by key, with its Chinese (``zh``) and English (``en``) form and the same placeholders."""

LANGUAGES = ("zh", "en")


def say(key: str, lang: str, **values: object) -> str:
    """The sentence ``key`` in ``lang`` (``zh`` or ``en``), filled with ``values``."""
    return CATALOGUE[key][lang].format(**values)


def count(n: int, noun: str, lang: str) -> str:
    """``n`` of ``noun`` (heading, figure, forecast), singular or plural as English needs.

    >>> count(1, "figure", "en"), count(62, "heading", "en"), count(62, "heading", "zh")
    ('1 figure', '62 headings', '62个标题')
    """
    return say(f"count.{noun}" if n == 1 else f"count.{noun}s", lang, n=n)


def listed(items: Sequence[str], lang: str) -> str:
    """Items joined as each language writes a list."""
    return say("list.separator", lang).join(items)
