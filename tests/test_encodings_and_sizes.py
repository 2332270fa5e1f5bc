"""Hostile input: files not in UTF-8 get advice naming their real encoding (or saying it is unclear),
xlsx cells longer than Excel holds continue in an overflow sheet instead of being cut, and the
glossary rule finds terms with one automaton, exactly as the plain search it replaces."""

from __future__ import annotations

import re
from pathlib import Path

import opencc
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import china_internet_trends
from china_internet_trends import integrity, rules
from china_internet_trends.encoding import advice
from china_internet_trends.export import export
from conftest import edit_cell, examples

# Encoding advice

SIMPLIFIED = ("theme,name_zh,name_en\nsecurity,网络安全,Cybersecurity\nai_data,人工智能,Artificial intelligence\n"
              "economy,数字经济,Digital economy\nplus,互联网+,Internet Plus\ngovernance,电子政务与网络治理,E-government\n"
              "industry,工业互联网平台,Industrial internet platform\n")
TRADITIONAL = ("theme,name_zh,name_en\nsecurity,網絡安全,Cybersecurity\nai_data,人工智慧,Artificial intelligence\n"
               "economy,數位經濟,Digital economy\nplus,互聯網+,Internet Plus\ngovernance,電子政務與網絡治理,E-government\n"
               "industry,工業互聯網平台,Industrial internet platform\n")
WESTERN = ("name,city,note\nJosé Müller,Zürich,café au lait über alles\nRenée Dubois,Genève,crème brûlée à la carte\n"
           "Jürgen Groß,München,Straße und Brücke\nFrançois Lefèvre,Besançon,élève très doué\n")
JAPANESE = ("theme,name_ja,name_en\nsecurity,ネットワークセキュリティ,Cybersecurity\nai,人工知能,Artificial intelligence\n"
            "economy,デジタル経済,Digital economy\nmobile,モバイルインターネット,Mobile internet\n")
RESAVE = 'Re-save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8)'
COMMAND = re.compile(r"iconv -f (<that encoding>|\S+) -t UTF-8")


def assert_names(message: str, iconv: str) -> None:
    """``message`` is advice for a file in ``iconv`` (iconv's name): sure of it, with the command, or
    unsure and listing it among the candidates, with no command for any one encoding.

    >>> assert_names("the file is not UTF-8; it looks like CP950 (Big5). Re-save it as ... iconv -f CP950 -t UTF-8", "CP950")
    """
    assert message.startswith("the file is not UTF-8; ")
    commands = COMMAND.findall(message)
    if "its encoding is unclear" in message:
        assert re.search(rf"\b{iconv} \(", message) and commands == ["<that encoding>"], message
    else:
        assert commands == [iconv], message


@pytest.mark.parametrize(("text", "encoding", "iconv"), [
    (SIMPLIFIED, "gb18030", "GB18030"),
    (SIMPLIFIED, "gbk", "GB18030"),
    (TRADITIONAL, "big5", "CP950"),
    (TRADITIONAL, "cp950", "CP950"),
    (WESTERN, "latin-1", "CP1252"),
    (WESTERN + "price,5 € – “quoted”\n", "cp1252", "CP1252"),
    (JAPANESE, "shift_jis", "CP932"),
])
def test_advice_names_the_encoding_a_detector_reads_best(text: str, encoding: str, iconv: str):
    message = advice(text.encode(encoding))
    assert_names(message, iconv)
    assert RESAVE in message
    if encoding not in ("gb18030", "gbk"):
        assert "iconv -f GB18030" not in message


def test_big5_is_not_taken_for_gb18030():
    """The old advice sent a Big5 file through GB18030, which gives mojibake that validates."""
    message = advice(TRADITIONAL.encode("big5"))
    assert message.endswith("iconv -f CP950 -t UTF-8") and "traditional Chinese" in message


@pytest.mark.parametrize(("encoding", "iconv"), [
    ("utf-16", "UTF-16"), ("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE"), ("utf-32", "UTF-32"), ("utf-32-le", "UTF-32LE"),
])
def test_utf16_and_utf32_are_told_by_mark_or_by_nul_bytes(encoding: str, iconv: str):
    message = advice(SIMPLIFIED.encode(encoding))
    assert message.startswith(f"the file is not UTF-8; it is {iconv}") and "(sure: " in message
    assert message.endswith(f"{RESAVE} or convert it with: iconv -f {iconv} -t UTF-8")
    assert "unknown" not in message


def test_excel_unicode_text_is_resaved_not_converted():
    """Excel's "Unicode Text" is UTF-16 with tabs between columns: converting it would still not be CSV."""
    message = advice("theme\tname_zh\nsecurity\t网络安全\n".encode("utf-16"))
    assert '"Unicode Text"' in message and "separated by tabs" in message and "iconv" not in message
    assert message.endswith(RESAVE)


def test_a_few_characters_are_not_enough_to_be_sure():
    """Each candidate is shown with how it reads the file, so that one can see which is right."""
    message = advice("security,网络安全\n".encode("gb18030"))
    assert "its encoding is unclear (too little text that is not ASCII to tell)" in message
    assert 'GB18030 (GBK, simplified Chinese, as Excel saves it on Chinese Windows), which reads "security,网络安全"' in message
    assert COMMAND.findall(message) == ["<that encoding>"]


def test_a_file_cut_in_the_middle_of_a_character_says_so():
    assert advice("网络安全".encode("utf-8")[:-1]) == "the file ends in the middle of a character: it looks cut off; restore the whole file"


def test_bytes_no_encoding_reads_get_no_command():
    message = advice(bytes(range(256)) * 4)
    assert message.startswith("the file is not UTF-8; ") and "iconv" not in message and RESAVE in message


def test_a_big5_data_file_of_the_package(package_copy: Path):
    themes = package_copy / "datasets" / "themes.csv"
    traditional = opencc.OpenCC("s2t").convert(themes.read_text(encoding="utf-8"))
    themes.write_bytes(traditional.encode("big5"))
    message = china_internet_trends.encoding.advice(themes.read_bytes())
    assert_names(message, "CP950")
    assert "iconv -f GB18030" not in message


# xlsx cells longer than Excel holds

MARKER = re.compile(r"(.*)… \[continued in sheet overflow, rows (\d+)–(\d+)\]", re.DOTALL)


def whole_value(book: openpyxl.Workbook, sheet: str, coordinate: str) -> str:
    """The value of a cell put together from the cell and, when it is continued, the overflow sheet."""
    text = book[sheet][coordinate].value
    match = MARKER.fullmatch(text)
    if not match:
        return text
    rows = list(book["overflow"].iter_rows(min_row=int(match[2]), max_row=int(match[3]), values_only=True))
    assert [(s, c, p) for s, c, p, _ in rows] == [(sheet, coordinate, part) for part in range(2, len(rows) + 2)]
    return match[1] + "".join(text for *_, text in rows)


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def exported_note(package: Path, tmp_path: Path, note: str) -> tuple[openpyxl.Workbook, str]:
    """Export ``package`` with ``note`` as the first event's note; the workbook and that note's cell."""
    edit_cell(package / "datasets" / "2017" / "events.csv", 2, "note", note)
    integrity.refresh(package)
    [file] = export(tmp_path / "out", "xlsx", path=package)
    book = openpyxl.load_workbook(file)
    events = book["events"]
    column = [cell.value for cell in events[1]].index("note") + 1
    row = next(cell.row for cell in events["A"] if cell.value == "2017-E01")
    return book, events.cell(row, column).coordinate


@pytest.mark.parametrize("note", [
    "x" * 100_000,
    "长" * 70_000,
    "a" * 32_768,
    "𠀀" * 20_000,  # 20,000 characters but 40,000 UTF-16 code units, as Excel counts
    "=" + "数字经济 and more " * 5_000,
], ids=["100000-ascii", "70000-chinese", "32768", "astral", "formula-like"])
def test_a_long_value_continues_in_the_overflow_sheet(package_copy: Path, tmp_path: Path, note: str):
    book, cell = exported_note(package_copy, tmp_path, note)
    assert whole_value(book, "events", cell) == note
    kept = book["events"][cell].value
    assert MARKER.fullmatch(kept) and utf16_units(kept) <= 32_767
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert all(utf16_units(value) <= 32_767 for value in row if isinstance(value, str)), sheet.title
    readme = {row[0]: row[1:] for row in book["readme"].iter_rows(values_only=True) if row[0]}
    assert "holds part 1 of its value" in readme["continued"][0]
    listed = [row[1:3] for row in book["readme"].iter_rows(values_only=True)]
    assert any(where == f"events!{cell}" and rows.startswith("overflow rows 2–") for where, rows in listed)
    assert "every cell holds its value exactly" not in str(readme)


def test_a_value_that_fits_exactly_is_kept_whole(package_copy: Path, tmp_path: Path):
    note = "注" * 32_767
    book, cell = exported_note(package_copy, tmp_path, note)
    assert book["events"][cell].value == note
    assert "overflow" not in book.sheetnames
    readme = {row[0]: row[1:] for row in book["readme"].iter_rows(values_only=True) if row[0]}
    assert readme["continued"][0].startswith("nothing: every value fits")


# The glossary rule


def plain_glossary_misses(chinese: list[object], english: list[object], glossary: pd.DataFrame) -> list[list[tuple[str, str]]]:
    """The rule as a plain search: every term, longest first, cut out of the text once found."""
    terms = sorted(zip(glossary["term_zh"], glossary["term_en"]), key=lambda term: -len(term[0]))
    result = []
    for zh, en in zip(chinese, english):
        misses, rest = [], zh if isinstance(zh, str) else ""
        for term_zh, term_en in terms:
            if term_zh in rest:
                rest = rest.replace(term_zh, "\0")
                if not (isinstance(en, str) and rules._english_forms(term_en).search(en)):
                    misses.append((term_zh, term_en))
        result.append(misses)
    return result


CHINESE = st.text(alphabet="网络安全法工业互𠀀", min_size=1, max_size=4)
ENGLISH = st.lists(st.sampled_from(["network", "security", "law", "industrial internet"]), min_size=1, max_size=2).map("|".join)


@settings(max_examples=examples(50))
@given(terms=st.lists(st.tuples(CHINESE, ENGLISH), max_size=8),
       pairs=st.lists(st.tuples(st.none() | st.text(alphabet="网络安全法工业互𠀀, ", max_size=16),
                                st.none() | st.lists(st.sampled_from(["network ", "security ", "Law ", "industrial internet ", "x"]), max_size=4).map("".join)),
                      max_size=6))
def test_the_automaton_finds_what_the_plain_search_finds(terms: list[tuple[str, str]], pairs: list[tuple[object, object]]):
    glossary = pd.DataFrame(terms, columns=["term_zh", "term_en"], dtype=object)
    chinese, english = [zh for zh, _ in pairs], [en for _, en in pairs]
    assert rules.glossary_misses(chinese, english, glossary) == plain_glossary_misses(chinese, english, glossary)


def test_overlapping_occurrences_count_as_cutting_them_out_would():
    """网网网 holds 网网 once when cut out left to right, which leaves a 网 for the shorter term."""
    glossary = pd.DataFrame({"term_zh": ["网", "网网", "网网网网"], "term_en": ["net", "web", "mesh"]})
    assert rules.glossary_misses(["网网网", "网网"], ["", "net"], glossary) == [[("网网", "web"), ("网", "net")], [("网网", "web")]]
