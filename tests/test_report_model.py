"""One report model, rendered three ways, and sentences that say the same in Chinese and English."""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import pytest

import china_internet_trends as cit
from china_internet_trends import report, sentences
from china_internet_trends.cli import main
from china_internet_trends.html_report import render

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> Counter[str]:
    """The numbers a text says, in HTML or not (``&#39;`` is an apostrophe, not 39)."""
    return Counter(number.replace(",", "") for number in NUMBER.findall(html.unescape(text)))


@pytest.fixture(scope="module")
def content() -> report.Content:
    return report.build(cit.open())


def test_every_sentence_has_both_languages_with_the_same_placeholders():
    for key, forms in sentences.CATALOGUE.items():
        assert set(forms) == set(sentences.LANGUAGES), key
        placeholders = {lang: sorted(re.findall(r"{(\w+)}", form)) for lang, form in forms.items()}
        assert placeholders["zh"] == placeholders["en"], key


@pytest.mark.parametrize("part", ["events", "review", "trends"])
def test_coverage_sentences_give_the_same_numbers_in_both_languages(part: str):
    for row in cit.coverage().itertuples():
        english, chinese = getattr(row, f"{part}_text"), getattr(row, f"{part}_text_zh")
        assert numbers(english) == numbers(chinese), (english, chinese)


def test_the_2017_review_holds_the_same_count_of_figures_in_both_languages():
    row = cit.coverage([2017]).iloc[0]
    [figures_en] = re.findall(r"(\d+) figures", row["review_text"])
    [figures_zh] = re.findall(r"(\d+)项数据", row["review_text_zh"])
    assert figures_en == figures_zh


def test_every_number_of_the_chinese_page_is_in_the_english_one(content: report.Content):
    """In the page's editions table, each cell's Chinese and English say the same numbers."""
    page = render(content)
    table = page[page.index('id="editions"'):page.index("<h2", page.index('id="editions"') + 1)]
    pairs = re.findall(r'<span lang="zh-Hans">(.*?)</span><span lang="en">(.*?)</span>', table)
    assert len(pairs) >= 3 * len(content.coverage)
    for chinese, english in pairs:
        assert numbers(chinese) == numbers(english), (chinese, english)


def test_the_terminal_markdown_and_html_reports_render_one_model(content: report.Content, capsys):
    page = render(content)
    charts = re.findall(r'"id": "chart-([a-z0-9_]+)"', page) or re.findall(r'chart-([a-z0-9_]+)-en', page)
    assert [s.series_id for s in content.key_series] == [c for c in dict.fromkeys(charts) if c != "themes"]
    assert content.key_series[0].series_id == "internet_users"
    for fmt in ("table", "markdown"):
        assert main(["report", "--format", fmt]) == 0
        printed = capsys.readouterr().out
        shown = [s.series_id for s in content.key_series if re.search(rf"^(## )?{s.series_id}$", printed, re.MULTILINE)]
        assert shown == [s.series_id for s in content.key_series], fmt
        assert f"3. Scorecard of the {content.scorecard.edition} edition's forecasts" in printed


def test_the_july_reports_are_counted_with_their_figures(content: report.Content, capsys):
    """Each July report with the number of observations whose source is a copy of it, in every rendering."""
    held = content.publications.set_index("publication_id")["figures"]
    points = cit.figures()
    from_reports = points[points["origin"] == "publication"]["publication"].value_counts()
    assert held[held > 0].to_dict() == from_reports.to_dict() and (held == 0).sum() > 0  # a report with no figure is listed
    assert main(["report"]) == 0
    printed = capsys.readouterr().out
    for publication_id, figures in held.items():
        assert re.search(rf"^{publication_id}\s.*\s{figures}$", printed, re.MULTILINE), publication_id
    page = render(content)
    table = page[page.index('id="publications"'):page.index("</table>", page.index('id="publications"'))]
    assert len(re.findall(r"<tr><td>", table)) == len(held)
    assert f"{len(held)} documented, {(held > 0).sum()} with figures held ({held.sum()} in all)" in table


def test_a_package_without_july_reports_reports_none(package_copy, capsys):
    descriptor = package_copy / "datapackage.json"
    described = json.loads(descriptor.read_text(encoding="utf-8"))
    described["resources"] = [res for res in described["resources"] if res["name"] != "publications"]
    descriptor.write_text(json.dumps(described, ensure_ascii=False, indent=2), encoding="utf-8")
    built = report.build(cit.open(package_copy))
    assert built.publications.empty and list(built.publications.columns) == report.PUBLICATION_COLUMNS
    assert main(["report", "--package", str(package_copy)]) == 0
    assert "July reports" not in capsys.readouterr().out
    assert 'id="publications"' not in render(built)
