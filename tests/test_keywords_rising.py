"""``keywords.rising``: the terms whose rate rose between two editions, ranked by an exact test of the rise.

Expected values come from texts built here, whose counts and sizes are known, or from the shipped
printed titles and headings read directly (``cit.events``, ``cit.sections``), never from ``rising``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import cli, keywords
from conftest import ROOT, read_rows, write_rows

FILLER = ["互联网"] * 400
"""1,200 characters of one word, to give the synthetic texts a size above keywords.MIN_CHARACTERS."""


def printed(edition: int) -> list[str]:
    """The edition's printed titles and headings, read from the tables themselves."""
    return cit.events(edition)["title_zh"].tolist() + cit.sections(edition)["heading_zh"].tolist()


def user_words() -> set[str]:
    """The words of the user dictionary, read from its file."""
    text = (ROOT / "src" / "china_internet_trends" / "resources" / "userdict.txt").read_text(encoding="utf-8")
    return {line.split()[0] for line in text.splitlines() if line.strip()}


def size(texts: list[str]) -> int:
    return sum(len("".join(text.split())) for text in texts)


# Synthetic texts: known counts, rates and p-values


def test_counts_rates_and_the_order_of_p_values_in_equal_texts():
    texts_a = ["云计算"] * 30 + ["比特币", "大数据"] + FILLER
    texts_b = ["区块链"] * 30 + ["比特币"] * 2 + FILLER
    characters = size(texts_a)
    assert characters == size(texts_b) == 90 + 6 + 1200

    ranked = keywords._rising(texts_a, texts_b, (2016, 2017))
    by_term = ranked.set_index("term")

    assert by_term.loc["区块链", ["count_2016", "count_2017"]].tolist() == [0, 30]
    assert by_term.loc["比特币", ["count_2016", "count_2017"]].tolist() == [1, 2]
    assert by_term.loc["区块链", ["characters_2016", "characters_2017"]].tolist() == [characters, characters]
    assert by_term.loc["区块链", "rate_per_10k_2017"] == pytest.approx(30 / characters * 10_000)
    assert by_term.loc["比特币", "rate_per_10k_2016"] == pytest.approx(1 / characters * 10_000)
    assert by_term.loc["比特币", "change_per_10k"] == pytest.approx(1 / characters * 10_000)
    # equal texts: under an unchanged rate each occurrence is in either text with probability 1/2
    assert by_term.loc["区块链", "p_value"] == pytest.approx(0.5 ** 30)
    assert by_term.loc["比特币", "p_value"] == pytest.approx(3 / 8 + 1 / 8)  # 2 or 3 of 3 in text b
    assert bool(by_term.loc["区块链", "rise"]) and not bool(by_term.loc["比特币", "rise"])
    assert ranked["term"].tolist().index("区块链") < ranked["term"].tolist().index("比特币")
    assert not ranked["too_small"].any()
    # what fell or stayed is not a rise: 云计算 30 -> 0, 大数据 1 -> 0, the filler unchanged
    assert {"云计算", "大数据", "互联网"}.isdisjoint(ranked["term"])
    assert ranked.attrs["coverage"] == {2016: {"texts": len(texts_a), "characters": characters},
                                        2017: {"texts": len(texts_b), "characters": characters}}


def test_the_p_value_weighs_the_sizes_of_the_texts():
    """The same counts in a smaller text b are a larger rate but a less sure rise than in equal texts."""
    equal = keywords._rising(FILLER, ["区块链"] * 3 + FILLER, (2016, 2017)).set_index("term")
    larger_b = keywords._rising(FILLER, ["区块链"] * 3 + FILLER * 3, (2016, 2017)).set_index("term")
    b_share = 3609 / (1200 + 3609)
    assert larger_b.loc["区块链", "characters_2017"] == 3609
    assert equal.loc["区块链", "p_value"] == pytest.approx((1209 / 2409) ** 3)
    assert larger_b.loc["区块链", "p_value"] == pytest.approx(b_share ** 3)
    assert larger_b.loc["区块链", "p_value"] > equal.loc["区块链", "p_value"]


def test_a_text_too_small_never_shows_a_rise():
    small_a, small_b = ["互联网"] * 20, ["区块链"] * 10 + ["互联网"] * 10  # 60 characters each
    row = keywords._rising(small_a, small_b, (2016, 2017)).set_index("term").loc["区块链"]
    assert row["p_value"] == pytest.approx(0.5 ** 10) and row["p_value"] < keywords.ALPHA
    assert bool(row["too_small"]) and not bool(row["rise"])


def test_a_side_without_printed_text_is_missing_not_zero():
    ranked = keywords._rising(["区块链"] * 3 + FILLER, [], (2017, 2018)).set_index("term")
    row = ranked.loc["区块链"]
    assert row["count_2017"] == 3 and row["count_2018"] is pd.NA
    assert pd.isna(row["rate_per_10k_2018"]) and pd.isna(row["change_per_10k"]) and pd.isna(row["p_value"])
    assert row["characters_2018"] == 0 and bool(row["too_small"]) and not bool(row["rise"])
    assert ranked.attrs["coverage"][2018] == {"texts": 0, "characters": 0}


# The shipped package


def test_2016_against_2017_ranks_domain_terms_and_no_stop_words():
    ranked = cit.keywords.rising(2016, 2017, top=None)
    texts_2016, texts_2017 = printed(2016), printed(2017)
    assert ranked["characters_2016"].unique().tolist() == [size(texts_2016)]
    assert ranked["characters_2017"].unique().tolist() == [size(texts_2017)]
    assert ranked.attrs["coverage"] == {2016: {"texts": len(texts_2016), "characters": size(texts_2016)},
                                        2017: {"texts": len(texts_2017), "characters": size(texts_2017)}}

    top = ranked.head(20)
    glossary = set(cit.glossary()["term_zh"])
    assert {"工业互联网", "网络安全"} <= set(top["term"]) & glossary
    by_term = ranked.set_index("term")
    joined_2017 = "\n".join(texts_2017)
    assert by_term.loc["工业互联网", ["count_2016", "count_2017"]].tolist() == [0, joined_2017.count("工业互联网")]
    assert by_term.loc["网络安全", "count_2017"] == joined_2017.count("网络安全") - joined_2017.count("网络安全法")
    assert bool(by_term.loc["工业互联网", "domain"]) and not bool(by_term.loc["加速", "domain"])

    # only words: no function word (更加 is printed 5 times in 2017 and never in 2016), no single
    # character (将, 新), no punctuation or number; signs and digits only inside a domain term
    assert joined_2017.count("更加") == 5 and "更加" not in by_term.index
    others = ranked.loc[~ranked["term"].isin(glossary | user_words()), "term"]
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,}", term) or re.search("[A-Za-z]", term) for term in others)
    assert {"中国制造2025", "互联网+"} <= set(ranked["term"])  # in the user dictionary

    # ranked by the rise: every rate rose, p-values in order; a term absent from 2016 has p = share ** count
    assert (ranked["change_per_10k"] > 0).all() and ranked["p_value"].is_monotonic_increasing
    share_2017 = size(texts_2017) / (size(texts_2016) + size(texts_2017))
    absent = ranked[ranked["count_2016"] == 0]
    assert absent["p_value"].tolist() == pytest.approx([share_2017 ** int(count) for count in absent["count_2017"]])
    # 2016 holds 13 headings: too small, so nothing reads as a rise
    assert ranked["too_small"].all() and not ranked["rise"].any()
    pd.testing.assert_frame_equal(cit.keywords.rising(2016, 2017), ranked.head(20))


def test_2022_is_too_small_to_show_the_rise_of_cybersecurity():
    """2022 holds 60 characters: 网络安全 printed once there is 166.7 per 10,000, against 31.8 in 2017."""
    ranked = cit.open().keywords.rising(2017, 2022, top=None)
    row = ranked.set_index("term").loc["网络安全"]
    assert row[["count_2017", "count_2022", "characters_2017", "characters_2022"]].tolist() == [4, 1, 1258, 60]
    assert row["rate_per_10k_2017"] == pytest.approx(31.8, abs=0.05) and row["rate_per_10k_2022"] == pytest.approx(166.7, abs=0.05)
    assert bool(row["too_small"]) and not bool(row["rise"])
    assert row["p_value"] == pytest.approx(1 - (1258 / 1318) ** 5) and row["p_value"] > keywords.ALPHA  # 1 or more of 5 in 2022
    # a term printed once in 2022 and never in 2017 passes the test (p < 0.05) and is still no rise
    assert (ranked["p_value"] < keywords.ALPHA).any() and not ranked["rise"].any()


def test_an_edition_without_printed_text_has_missing_rates():
    ranked = cit.keywords.rising(2017, 2018, top=None)
    assert ranked["count_2018"].isna().all() and ranked["rate_per_10k_2018"].isna().all() and ranked["p_value"].isna().all()
    assert ranked["count_2017"].notna().all() and (ranked["characters_2018"] == 0).all()


def test_rising_reads_only_the_printed_chinese_of_the_package_given(package_copy: Path):
    events_csv = package_copy / "datasets" / "2017" / "events.csv"
    rows = read_rows(events_csv)
    rows[0].update(title_zh=rows[0]["title_zh"] + "区块链与区块链", title_en="Blockchain and blockchain", summary_en="Blockchain")
    write_rows(events_csv, rows)
    ranked = cit.keywords.rising(2016, 2017, top=None, path=package_copy).set_index("term")
    assert ranked.loc["区块链", ["count_2016", "count_2017"]].tolist() == [0, 2]
    assert ranked.loc["区块链", "characters_2017"] == size(printed(2017)) + len("区块链与区块链")
    assert not any(term.lower() == "blockchain" for term in ranked.index)
    assert "区块链" not in cit.keywords.rising(2016, 2017, top=None)["term"].tolist()  # the shipped package is untouched


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: cit.keywords.rising(2016, 1999), cit.UnknownEdition, "edition 1999 is not in the package"),
    (lambda: cit.keywords.rising(1999, 2017), cit.NotInPackage, "edition 1999 is not in the package"),
    (lambda: cit.keywords.rising(2017, 2017), cit.QueryError, "two different editions"),
    (lambda: cit.keywords.rising(2016, 2017, top=0), cit.QueryError, "top is at least 1"),
    (lambda: cit.keywords.rising(2016, 2017, top="5"), TypeError, "top is a whole number"),
    (lambda: cit.keywords.rising("2016", 2017), TypeError, "an edition is a year"),
])
def test_what_cannot_be_ranked_raises_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


# The command line


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_prints_the_ranking_and_the_text_held(capsys):
    code, out, _ = run("keywords", "--rising", "2016", "2017", "--top", "3", "--format", "csv", capsys=capsys)
    assert code == 0
    tables = {part.split("\n", 1)[0]: pd.read_csv(io.StringIO(part.split("\n", 1)[1])) for part in out.strip().split("\n\n")}
    expected = cit.keywords.rising(2016, 2017, top=3)
    assert tables["# rising"]["term"].tolist() == expected["term"].tolist()
    assert tables["# held"].to_dict("list") == {"edition": [2016, 2017], "texts": [len(printed(2016)), len(printed(2017))],
                                                "characters": [size(printed(2016)), size(printed(2017))], "too_small": [True, False]}
    code, out, _ = run("keywords", "--rising", "2017", "2022", capsys=capsys)
    assert code == 0 and "Too small" in out


@pytest.mark.parametrize(("args", "message"), [
    (("keywords",), "error: give one or more terms to count"),
    (("keywords", "5G", "--rising", "2016", "2017"), "error: --rising ranks every term"),
    (("keywords", "5G", "--top", "3"), "error: --top goes with --rising"),
    (("keywords", "--rising", "2016", "1999"), "error: edition 1999 is not in the package"),
])
def test_the_command_refuses_what_it_cannot_answer(args, message, capsys):
    code, out, err = run(*args, capsys=capsys)
    assert code == 1 and err.startswith(message) and out == ""
