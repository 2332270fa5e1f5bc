"""Issue 23, third audit of the 2017 tables: group rankings, periods printed as a month or a span, and
English that keeps the glossary in glosses and in the keyword concepts (code ``glossary-rendering``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, edit_cell, read_rows

import china_internet_trends as cit
from china_internet_trends import keywords, rules

FIGURES = ROOT / "datasets" / "2017" / "indicators.csv"


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return cit.open().indicators(2017).set_index("indicator_id")


# Group rankings: one rank row per member (DATA.md, 位居前三 is lte 3 for each member)


def test_each_chinese_company_in_the_global_top_ten_has_a_rank_row(figures: pd.DataFrame):
    top_ten = figures[(figures["measure"] == "rank") & (figures["label_zh"] == "全球互联网公司市值排名（前十）")]
    assert top_ten.index.tolist() == ["2017-I193", "2017-I194", "2017-I195", "2017-I196"]
    assert top_ten["entity_id"].tolist() == ["alibaba", "tencent", "baidu", "jd"]
    assert (top_ten["comparator"] == "lte").all() and (top_ten["value"] == 10).all() and (top_ten["unit"] == "位").all()
    assert (top_ten["section_id"] == figures.loc["2017-I094", "section_id"]).all()
    assert (top_ten["period_end"] == figures.loc["2017-I094", "period_end"]).all()
    assert top_ten["note"].str.contains("前十").all()
    assert figures.loc["2017-I094", "value"] == 4  # the count of the four stays


def test_every_group_ranking_in_the_edition_is_lte_for_each_member(figures: pd.DataFrame):
    grouped = figures[(figures["measure"] == "rank") & (figures["comparator"] == "lte")]
    assert sorted(grouped.groupby("value")["entity_id"].apply(sorted).items()) == [
        (3.0, ["iqiyi", "tencent_video", "youku"]), (10.0, ["alibaba", "baidu", "jd", "tencent"])]


# Periods printed as a month or a span

MONTHS = {
    "2017-I029": ("2017-05-01", "2017-05-31", "5月"), "2017-I032": ("2017-01-01", "2017-01-31", "1月"),
    "2017-I033": ("2017-05-01", "2017-05-31", "5月"), "2017-I034": ("2017-12-01", "2017-12-31", "12月"),
    "2017-I035": ("2017-12-01", "2017-12-31", "12月"), "2017-I174": ("2017-12-01", "2017-12-31", "12月"),
    "2017-I175": ("2017-12-01", "2017-12-31", "12月"), "2017-I176": ("2017-12-01", "2017-12-31", "12月"),
    "2017-I191": ("2017-07-01", "2017-07-31", "7月"), "2017-I149": ("2017-06-01", "2017-07-31", "6到7月"),
    "2017-I039": ("2017-08-01", "2017-08-31", "8月"), "2017-I151": ("2017-12-11", "2017-12-20", "中旬"),
} | {f"2017-I{n}": ("2017-11-01", "2017-11-30", "11月") for n in range(130, 137)}


@pytest.mark.parametrize("figure_id", sorted(MONTHS))
def test_a_figure_printed_with_a_month_or_a_span_spans_it(figures: pd.DataFrame, figure_id: str):
    start, end, printed = MONTHS[figure_id]
    row = figures.loc[figure_id]
    assert (row["period_start"], row["period_end"]) == (pd.Timestamp(start), pd.Timestamp(end))
    assert printed in row["note"]


def test_no_figure_is_still_dated_to_the_end_of_a_printed_month():
    notes = [row["note"] for row in read_rows(FIGURES)]
    assert not [note for note in notes if "month end" in note and "截至" not in note]


def test_a_stock_as_of_a_month_stays_at_its_end(figures: pd.DataFrame):
    for figure_id in ("2017-I022", "2017-I057", "2017-I172"):  # 截至2017年11月 / 12月
        assert figures.loc[figure_id, "period_start"] == figures.loc[figure_id, "period_end"]


# The rule glossary-rendering


def rendering_problems(report: cit.errors.Report) -> list[tuple[str, int | None, str | None, str | None]]:
    return [(p.file, p.row, p.column, p.value) for p in report.problems if p.code == "glossary-rendering"]


def test_the_shipped_package_and_the_concepts_keep_the_glossary():
    assert rendering_problems(cit.validate()) == []
    assert rules.concept_conflicts(cit.open().glossary(), keywords.concepts()) == []


def test_a_note_glossing_a_term_against_the_glossary_is_a_problem(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "indicators.csv", 5, "note", "ISC's count of 产业互联网 (industrial internet) firms.")
    report = cit.validate(path=package_copy)
    assert rendering_problems(report) == [("datasets/2017/indicators.csv", 5, "note", "产业互联网")]
    [problem] = [p for p in report.problems if p.code == "glossary-rendering"]
    assert "industry internet" in problem.message


def test_english_before_a_bracketed_term_is_a_gloss_too(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "sections.csv", 3, "note", "On the internet of vehicles (车联网).")
    assert rendering_problems(cit.validate(path=package_copy)) == [("datasets/2017/sections.csv", 3, "note", "车联网")]


def test_outcome_evidence_is_checked(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "outcomes.csv", 2, "evidence_en", "CNNIC counted more 网民 'netizens'.")
    assert rendering_problems(cit.validate(path=package_copy)) == [("datasets/2017/outcomes.csv", 2, "evidence_en", "网民")]


def test_the_glossary_notes_are_checked_against_the_glossary(package_copy: Path):
    edit_cell(package_copy / "datasets" / "glossary.csv", 3, "note", "Kept apart from 分享经济 ('shared economy').")
    assert rendering_problems(cit.validate(path=package_copy)) == [("datasets/glossary.csv", 3, "note", "分享经济")]


@pytest.mark.parametrize("note", ["Printed as 网民数量达5910万 (no measure word).", "a 双创 platform", "printed 网民 (Chinese numeral 十)",
                                  "internet users (网民)", "产业互联网 “industry internet”", "产业互联网（Industry Internet）"])
def test_comments_and_glosses_in_the_glossary_form_are_fine(package_copy: Path, note: str):
    edit_cell(package_copy / "datasets" / "2017" / "indicators.csv", 5, "note", note)
    assert rendering_problems(cit.validate(path=package_copy)) == []


def test_a_concept_that_contradicts_the_glossary_is_a_problem(package_copy: Path):
    rows = read_rows(package_copy / "datasets" / "glossary.csv")
    row = next(n for n, r in enumerate(rows, start=2) if r["term_zh"] == "大数据")
    edit_cell(package_copy / "datasets" / "glossary.csv", row, "term_en", "mass data")
    concepts = keywords.concepts()
    concept_row = int(concepts.index[concepts["concept"] == "big_data"][0]) + 2
    assert rendering_problems(cit.validate(path=package_copy)) == [
        ("china_internet_trends/resources/concepts.csv", concept_row, "name_en", "big data")]


def test_glosses_are_read_in_both_orders_and_every_bracket():
    assert rules.glosses("产业互联网 (industry internet); 网民 'internet users'; 网络强国（cyber power）; "
                         "“智能制造” x; a connected-vehicle (车联网) plan") == [
        ("产业互联网", "industry internet"), ("网民", "internet users"), ("网络强国", "cyber power"), ("车联网", "a connected-vehicle")]
    assert rules.glosses("no Chinese (at all)") == [] and rules.glosses("逾十倍 (Chinese numeral 十)") == []


# The audit script's group rankings

spec = importlib.util.spec_from_file_location("audit_against_source", ROOT / "scripts" / "audit_against_source.py")
audit = importlib.util.module_from_spec(spec)
sys.modules["audit_against_source"] = audit
spec.loader.exec_module(audit)


def test_the_audit_finds_a_group_member_without_its_rank_row():
    p = cit.open()
    held = "在全球市值排名前十的互联网公司中，阿里、腾讯、百度、京东四家中国公司入列。2017年爱奇艺、腾讯视频、优酷视频月用户活跃度位居前三。"
    assert audit.group_ranks(p, held) == []
    assert audit.group_ranks(p, "在全球市值排名前十的互联网公司中，阿里、网易两家入列。") == ["group ranking 前十: no rank row lte 10 for 网易"]
    assert audit.group_ranks(p, "爱奇艺、优酷视频位居前5。") == ["group ranking 前5: no rank row lte 5 for 爱奇艺",
                                                           "group ranking 前5: no rank row lte 5 for 优酷视频"]
