"""Text that looks like something else: look-alike keys, full-width forms, control characters, formulas.

- A key or id (a field of a primary key or a foreign key) may not start or end with whitespace of
  any kind nor hold a zero-width or direction mark (code ``key-text``), and two keys the same in
  NFC are duplicates (``duplicate-key``): ``万户`` + U+00A0 is not a new unit.
- ``keywords.trend`` counts full-width letters, digits and signs as their ASCII forms.
- No text may hold a control character but tab and line feed, nor a bidirectional control
  (``control-character``); and every CLI output format escapes them anyway, csv also quoting text a
  spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import csvfile, integrity, keywords, output, schema, validation
from china_internet_trends.cli import main
from china_internet_trends.dtypes import TEXT
from china_internet_trends.errors import printable
from conftest import edit_cell, read_rows, write_rows

EVENTS = "datasets/2017/events.csv"
UNITS = "datasets/units.csv"
Coded = tuple[str, int | None, str | None, str]
"""A problem as the tests compare it: file, row, column and code."""


def coded(root: Path) -> list[Coded]:
    """The problems of the package at ``root`` (its hashes recorded first), as :data:`Coded`."""
    integrity.refresh(root)
    return [(p.file, p.row, p.column, p.code) for p in cit.validate(path=root).problems]


def add_row(root: Path, rel: str, **cells: str) -> int:
    """Append a copy of the first row of ``rel`` with ``cells`` changed; its row number (header = 1).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "t.csv").write_text("k,v\\na,1\\n")
    >>> add_row(folder, "t.csv", k="b"), (folder / "t.csv").read_text()
    (3, 'k,v\\na,1\\nb,1\\n')
    """
    rows = read_rows(root / rel)
    rows.append({**rows[0], **cells})
    write_rows(root / rel, rows)
    return len(rows) + 1


# ----------------------------------------------------------------------------------------------
# 5. Look-alike keys


WHITESPACE = [chr(code) for code in range(0x110000) if chr(code).isspace()]
"""Every character Python's ``\\s`` matches: Unicode's White_Space and U+001C–U+001F."""
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u061c"]
"""The zero-width characters and the direction marks no key may hold anywhere."""
BIDI_CONTROLS = [chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
"""The bidirectional embeddings, overrides and isolates, refused in every text."""
CONTROLS = [chr(code) for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if chr(code) not in "\t\n"]
"""The control characters refused in every text: C0 but tab and line feed, DEL and C1."""
TOY = {"fields": [{"name": "unit"}, {"name": "name_en"}], "primaryKey": ["unit"]}
"""A table with one key field and one plain text field."""


def toy_codes(value: str) -> dict[str, list[str]]:
    """The codes of the problems ``value`` gets in the key field and in the plain text field of :data:`TOY`.

    >>> toy_codes("万户\\u00a0")
    {'unit': ['key-text'], 'name_en': []}
    """
    text = pd.DataFrame({"unit": [value], "name_en": [value]}, dtype=TEXT)
    frame, _ = schema.coerce(text, TOY, [("toy.csv", 2)])
    chunk = csvfile.RawChunk(text, csvfile.Origins(["toy.csv"], [[2]]))
    problems = validation._pandera_problems(frame, schema.to_pandera(TOY, unique=False), chunk)
    return {column: [p.code for p in problems if p.column == column] for column in ("unit", "name_en")}


@pytest.mark.parametrize("space", WHITESPACE, ids=lambda ch: f"U+{ord(ch):04X}")
def test_a_key_with_whitespace_at_either_end_is_refused_and_other_text_is_not(space: str):
    """Whitespace that is also a control character gets that code (one problem a cell), in every field."""
    control = space in CONTROLS
    expected = {"unit": ["control-character" if control else "key-text"], "name_en": ["control-character"] if control else []}
    assert toy_codes(f"万户{space}") == expected
    assert toy_codes(f"{space}万户") == expected
    assert toy_codes(f"万{space}户") == {"unit": expected["name_en"], "name_en": expected["name_en"]}


@pytest.mark.parametrize("mark", INVISIBLE, ids=lambda ch: f"U+{ord(ch):04X}")
def test_a_key_with_a_zero_width_or_direction_mark_anywhere_is_refused(mark: str):
    for value in (f"{mark}万户", f"万{mark}户", f"万户{mark}"):
        assert toy_codes(value) == {"unit": ["key-text"], "name_en": []}, repr(value)


def test_the_key_fields_of_a_table_schema_are_its_primary_and_foreign_keys():
    forecasts = cit.open().schema("forecasts")
    checked = [name for name, column in schema.to_pandera(forecasts).columns.items()
               if "key-text" in [check.name for check in column.checks]]
    assert checked == ["forecast_id", "section_id", "event_id", "hedge", "series_id", "entity_id", "unit", "theme", "source_id"]


LOOK_ALIKES: dict[str, Callable[[str], str]] = {
    "trailing U+00A0": lambda key: f"{key}\u00a0",
    "trailing space": lambda key: f"{key} ",
    "leading U+3000": lambda key: f"\u3000{key}",
    "zero-width space inside": lambda key: f"{key[0]}\u200b{key[1:]}",
    "trailing U+2028": lambda key: f"{key}\u2028",
    "leading byte order mark": lambda key: f"\ufeff{key}",
    "right-to-left mark inside": lambda key: f"{key[0]}\u200f{key[1:]}",
    "trailing line feed": lambda key: f"{key}\n",
}
"""Ways to make a key that looks like an existing one."""
NEW_KEYS = [(rel, column, name) for (rel, column), name in zip(
    [(UNITS, "unit"), ("datasets/hedges.csv", "hedge"), ("datasets/glossary.csv", "term_zh")] * 3, LOOK_ALIKES)]
"""Each look-alike, as a new row of a table whose primary key is text."""


@pytest.mark.parametrize(("rel", "column", "look_alike"), NEW_KEYS, ids=[f"{rel}-{name}" for rel, _, name in NEW_KEYS])
def test_a_new_row_whose_key_looks_like_an_existing_one_is_refused(package_copy: Path, rel: str, column: str, look_alike: str):
    key = read_rows(package_copy / rel)[0][column]
    row = add_row(package_copy, rel, **{column: LOOK_ALIKES[look_alike](key)})
    assert coded(package_copy) == [(rel, row, column, "key-text")]


def test_a_unit_with_a_no_break_space_cannot_change_a_figure_s_base_unit(package_copy: Path):
    """The case of the issue: a second 万户 with its own base unit, and a figure pointed at it."""
    row = add_row(package_copy, UNITS, unit="万户\u00a0", base_unit="households")
    figure = next(n for n, r in enumerate(read_rows(package_copy / "datasets/2017/indicators.csv"), start=2) if r["unit"] == "万户")
    edit_cell(package_copy / "datasets/2017/indicators.csv", figure, "unit", "万户\u00a0")
    assert coded(package_copy) == [(UNITS, row, "unit", "key-text"), ("datasets/2017/indicators.csv", figure, "unit", "key-text")]


FOREIGN = [
    ("datasets/2017/indicators.csv", "unit", "trailing U+00A0"),
    (EVENTS, "theme", "trailing space"),
    (EVENTS, "source_id", "leading U+3000"),
    ("datasets/observations.csv", "unit", "zero-width space inside"),
    ("datasets/2017/forecasts.csv", "theme", "right-to-left mark inside"),
]
"""Look-alikes in a foreign key's field: reported once, as key text (not also as a broken reference)."""


@pytest.mark.parametrize(("rel", "column", "look_alike"), FOREIGN, ids=[f"{rel}-{column}" for rel, column, _ in FOREIGN])
def test_a_reference_that_looks_like_a_key_is_refused(package_copy: Path, rel: str, column: str, look_alike: str):
    edit_cell(package_copy / rel, 2, column, LOOK_ALIKES[look_alike](read_rows(package_copy / rel)[0][column]))
    assert coded(package_copy) == [(rel, 2, column, "key-text")]


@pytest.mark.parametrize("key", ["万户\u202e", "\u2066万户\u2069", "万户\x1b", "万\x85户"], ids=ascii)
def test_a_key_holding_a_control_character_is_one_control_character_problem(package_copy: Path, key: str):
    row = add_row(package_copy, UNITS, unit=key)
    assert coded(package_copy) == [(UNITS, row, "unit", "control-character")]


SAME_IN_NFC = [("café", "cafe\u0301"), ("cafe\u0301", "café"), ("\u212b", "\u00c5"), ("가", "\u1100\u1161"), ("Å户", "A\u030a户")]
"""Pairs of keys written differently that are one key in NFC (composed and decomposed, a singleton, Hangul)."""


@pytest.mark.parametrize(("first", "second"), SAME_IN_NFC, ids=ascii)
def test_keys_that_are_the_same_in_nfc_are_duplicates(package_copy: Path, first: str, second: str):
    assert first != second and unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", second)
    earlier = add_row(package_copy, UNITS, unit=first)
    row = add_row(package_copy, UNITS, unit=second)
    problems = cit.validate(path=package_copy).problems
    assert coded(package_copy) == [(UNITS, row, "unit", "duplicate-key")]
    assert (problems[0].value, problems[0].message) == (second, f"duplicate key: row {earlier} of {UNITS} has the same unit")


def test_keys_that_differ_in_nfc_are_not_duplicates(package_copy: Path):
    for unit in ("café", "cafe", "cafè", "ｃａｆé"):
        add_row(package_copy, UNITS, unit=unit)
    assert coded(package_copy) == []


# ----------------------------------------------------------------------------------------------
# 6. Full-width forms in keyword counts


FULL_WIDTH_TERMS = [("５Ｇ", "5G"), ("互联网＋", "互联网+"), ("ＩＰｖ６", "IPv6"), ("ａｉ", "AI"), ("５ｇ", "5g"), ("　5G　", "5G")]
"""Terms written with full-width forms (or the ideographic space), and as they are usually written."""


@pytest.mark.parametrize(("full", "ascii_form"), FULL_WIDTH_TERMS)
def test_a_full_width_term_counts_what_its_ascii_form_counts(full: str, ascii_form: str):
    counts = keywords.trend([full, ascii_form])
    by_term = counts.set_index(["term", "edition"])["count"]
    assert by_term[full].tolist() == by_term[ascii_form].tolist()


def test_the_full_width_terms_of_the_issue_are_counted():
    counts = keywords.trend(["５Ｇ", "互联网＋"], editions=[2017]).set_index("term")["count"]
    assert (counts["５Ｇ"], counts["互联网＋"]) == (1, 2)


@pytest.mark.parametrize("title", ["５Ｇ商用提速，互联网＋深入推进", "5G商用提速，互联网+深入推进", "５G商用提速，互联网+深入推进"])
def test_full_width_forms_in_the_printed_text_are_counted(package_copy: Path, title: str):
    before = keywords.trend(["5G", "互联网+"], [2017], path=package_copy)["count"].tolist()
    edit_cell(package_copy / EVENTS, 2, "title_zh", title)
    after = keywords.trend(["5G", "互联网+"], [2017], path=package_copy)["count"].tolist()
    assert [a - b for a, b in zip(after, before)] == [1, 1]


def test_every_full_width_ascii_form_is_read_as_nfkc_would():
    for code in range(0xFF01, 0xFF5F):
        assert keywords._simplified(chr(code)) == unicodedata.normalize("NFKC", chr(code)), f"U+{code:04X}"
    assert keywords._simplified("\u3000") == " "


def test_other_compatibility_forms_are_left_as_printed():
    """Only full-width ASCII is folded: NFKC would also rewrite these (㈠ to (一), ⼈ to 人, ｶ to カ…)."""
    printed = "㈠⼈ｶ①㎡〇"
    assert keywords._simplified(printed) == printed != unicodedata.normalize("NFKC", printed)


# ----------------------------------------------------------------------------------------------
# 8. Terminal escapes and formulas


@pytest.mark.parametrize("character", CONTROLS + BIDI_CONTROLS, ids=lambda ch: f"U+{ord(ch):04X}")
def test_every_text_refuses_control_and_bidirectional_characters(character: str):
    assert toy_codes(f"a{character}b") == {"unit": ["control-character"], "name_en": ["control-character"]}


@pytest.mark.parametrize("character", ["\t", "\n"], ids=ascii)
def test_tab_and_line_feed_are_allowed_inside_text(character: str):
    assert toy_codes(f"a{character}b") == {"unit": [], "name_en": []}


HOSTILE_TEXT = [
    ("title_en", "set the title\x1b]0;owned\x07 then"),
    ("title_en", "clear the screen\x1b[2J"),
    ("title_zh", "终端\x9b2J"),
    ("title_zh", "标题\u202e倒序"),
    ("summary_en", "an \u2066isolate\u2069"),
    ("note", "delete\x7f"),
    ("note", "nul\x00"),
]
"""Text an attacker would put in a pull request to drive a terminal or reorder what a reviewer reads."""


@pytest.mark.parametrize(("column", "text"), HOSTILE_TEXT, ids=ascii)
def test_a_control_character_in_a_text_field_is_refused_where_it_is(package_copy: Path, column: str, text: str):
    edit_cell(package_copy / EVENTS, 3, column, text)
    assert coded(package_copy) == [(EVENTS, 3, column, "control-character")]


def test_the_shipped_package_holds_no_control_character_nor_look_alike_key():
    codes = {"control-character", "key-text", "duplicate-key"}
    assert [p for p in cit.validate().problems if p.code in codes] == []


RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\u061c]")
"""What no CLI output may hold raw: every control, bidirectional and zero-width character but the line feed."""
TITLES = {
    2: ("title_en", "\x1b]0;owned\x07 title \x1b[2J"),
    3: ("title_en", "csi \x9b2J and \u202eright to left\u202c"),
    4: ("title_zh", '=HYPERLINK("http://example.com","点击")'),
    5: ("title_zh", "-2+3+cmd|' /C calc'!A0"),
    6: ("title_en", "@SUM(A1)"),
    7: ("title_en", "\u2066isolate\u2069 and del\x7f and mark\u200f"),
}
"""Titles of the 2017 events (by row) that drive a terminal, reorder text or run as a formula."""


@pytest.fixture
def hostile_titles(package_copy: Path) -> Path:
    """A package copy whose 2017 events have the :data:`TITLES`."""
    for row, (column, text) in TITLES.items():
        edit_cell(package_copy / EVENTS, row, column, text)
    integrity.refresh(package_copy)
    return package_copy


def events_2017(root: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    """What ``events 2017 --format fmt`` prints for the package at ``root``; it must exit 0."""
    assert main(["--package", str(root), "events", "2017", "--format", fmt]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown", "table"])
def test_no_output_format_prints_a_control_character_raw(hostile_titles: Path, fmt: str, capsys: pytest.CaptureFixture[str]):
    printed = events_2017(hostile_titles, fmt, capsys)
    assert RAW_CONTROL.findall(printed) == []
    assert "\\x1b]0;owned\\x07" in printed or "\\u001b]0;owned\\u0007" in printed


def test_json_output_escapes_and_keeps_every_value(hostile_titles: Path, capsys: pytest.CaptureFixture[str]):
    printed = events_2017(hostile_titles, "json", capsys)
    assert "\\u009b2J" in printed and "\\u202eright" in printed
    records = json.loads(printed)["events_2017"]
    assert {row: records[row - 2][column] for row, (column, _) in TITLES.items()} == {row: text for row, (_, text) in TITLES.items()}


def test_csv_output_escapes_control_characters_and_quotes_formulas(hostile_titles: Path, capsys: pytest.CaptureFixture[str]):
    records = list(csv.DictReader(io.StringIO(events_2017(hostile_titles, "csv", capsys))))
    assert [r["rank"] for r in records] == [str(rank) for rank in range(1, 11)]
    shown = {row: records[row - 2][column] for row, (column, _) in TITLES.items()}
    assert shown == {
        2: "\\x1b]0;owned\\x07 title \\x1b[2J",
        3: "csi \\x9b2J and \\u202eright to left\\u202c",
        4: '\'=HYPERLINK("http://example.com","点击")',
        5: "'-2+3+cmd|' /C calc'!A0",
        6: "'@SUM(A1)",
        7: "\\u2066isolate\\u2069 and del\\x7f and mark\\u200f",
    }
    assert shown == {row: printable(("'" if row in (4, 5, 6) else "") + text) for row, (_, text) in TITLES.items()}


FORMULAS = ["=1+1", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "-", "+A1", "-1e3x", "=-3.5"]
"""Text a spreadsheet would run (or read) as a formula: it gets a ``'``."""
PLAIN_NUMBERS = ["-3.5", "+12", "-0", "1e-3", "-.5", "+1E+10", "12"]
"""Text that is a plain number: a spreadsheet reads the number and runs nothing, so it is left as it is."""


@pytest.mark.parametrize("text", FORMULAS, ids=ascii)
def test_csv_text_that_begins_like_a_formula_gets_a_quote(text: str):
    assert output._csv_text(text) == printable(f"'{text}")


@pytest.mark.parametrize("text", PLAIN_NUMBERS + ["5G", "互联网+", "a=b", "x@y", "'quoted"], ids=ascii)
def test_csv_text_that_is_a_plain_number_or_no_formula_is_unchanged(text: str):
    assert output._csv_text(text) == text


def test_csv_numbers_stay_numbers_and_only_text_is_quoted(capsys: pytest.CaptureFixture[str]):
    out = output.Output("csv")
    out.table("changes", pd.DataFrame({"change": [-3.5, 12.0], "count": pd.array([-2, None], dtype="Int64"),
                                       "as_text": pd.array(["-3.5", "=1+1"], dtype=TEXT)}))
    out.close()
    assert capsys.readouterr().out == "change,count,as_text\n-3.5,-2,-3.5\n12.0,,'=1+1\n"
