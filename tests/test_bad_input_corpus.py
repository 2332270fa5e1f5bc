"""A corpus of bad input: each case is one small mutation of a valid copy of the package.

For every case the command line, the library and the loaders must agree:

- ``china-internet-trends validate PATH`` exits 1 and prints the expected problem (file, row,
  column, value and what was expected, in plain words), one line per problem, without a traceback;
- the report it prints is the :class:`cit.Report` that ``validate`` returns, as data;
- a loader of the table raises :class:`cit.DataPackageError` carrying that problem when the file
  cannot be read as its schema types it; when the fault is one only ``validate`` checks (a rule, a
  key, a reference, a range, a hash), the loader still returns the table.

A contributor who edits a file runs ``refresh-hashes`` afterwards, so each case refreshes the
recorded hashes after its mutation (and so isolates its own problem), except the cases about hashes
and about a descriptor that cannot be read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import cli, integrity, validation
from conftest import ROOT, edit_cell, read_rows, write_rows

EVENTS = "datasets/2017/events.csv"
EVENTS_2016 = "datasets/2016/events.csv"
INDICATORS = "datasets/2017/indicators.csv"
MILESTONES = "datasets/2017/milestones.csv"
OUTCOMES = "datasets/2017/outcomes.csv"
APPENDED_UNIT = len(read_rows(ROOT / "datasets/units.csv")) + 2
"""The row number (the header is row 1) of a row appended to the shipped units table."""


@dataclass(frozen=True)
class Case:
    """A mutation and the problem it must cause (``row`` counts like a spreadsheet: header = row 1)."""

    name: str
    mutate: Callable[[Path], None]
    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    table: str
    loader_raises: bool
    refresh: bool = True


# Mutations, each a small function of the package folder.


def set_cell(file: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    return lambda package: edit_cell(package / file, row, column, value)


def replace_bytes(file: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        data = (package / file).read_bytes()
        assert old in data, f"{old!r} not in {file}"
        (package / file).write_bytes(data.replace(old, new, 1))

    return mutate


def cut_after(file: str, marker: bytes, keep: int) -> Callable[[Path], None]:
    """Keep the file up to ``keep`` bytes after the first ``marker``, as an interrupted copy would."""

    def mutate(package: Path) -> None:
        data = (package / file).read_bytes()
        (package / file).write_bytes(data[: data.index(marker) + len(marker) + keep])

    return mutate


def cut_inside_quotes(file: str, row_start: bytes) -> Callable[[Path], None]:
    """Cut the file a few characters into the first quoted value of the row that starts with ``row_start``."""

    def mutate(package: Path) -> None:
        data = (package / file).read_bytes()
        quote = data.index(b',"', data.index(row_start))
        (package / file).write_bytes(data[: quote + 5])

    return mutate


def cut_inside_character(file: str, row_start: bytes) -> Callable[[Path], None]:
    """Cut the file after the first byte of the first Chinese character of the row that starts with ``row_start``."""

    def mutate(package: Path) -> None:
        data = (package / file).read_bytes()
        start = data.index(row_start)
        lead = next(i for i in range(start, len(data)) if data[i] >= 0xE0)
        (package / file).write_bytes(data[: lead + 1])

    return mutate


def strip_final_line_break(file: str) -> Callable[[Path], None]:
    return lambda package: (package / file).write_bytes((package / file).read_bytes().rstrip(b"\r\n"))


def crlf(file: str) -> Callable[[Path], None]:
    return lambda package: (package / file).write_bytes((package / file).read_bytes().replace(b"\n", b"\r\n"))


def bom(file: str) -> Callable[[Path], None]:
    return lambda package: (package / file).write_bytes(b"\xef\xbb\xbf" + (package / file).read_bytes())


def excel_csv_utf8(file: str) -> Callable[[Path], None]:
    """Re-save the file as Excel's "CSV UTF-8" does: a byte-order mark and CRLF line endings."""

    def mutate(package: Path) -> None:
        crlf(file)(package)
        bom(file)(package)

    return mutate


def drop_row(file: str, row: int) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        write_rows(package / file, rows[: row - 2] + rows[row - 1 :])

    return mutate


def duplicate_row(file: str, row: int) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        write_rows(package / file, rows + [rows[row - 2]])

    return mutate


def rename_column(file: str, old: str, new: str) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        write_rows(package / file, [{(new if k == old else k): v for k, v in row.items()} for row in rows])

    return mutate


def drop_column(file: str, name: str) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        write_rows(package / file, [{k: v for k, v in row.items() if k != name} for row in rows])

    return mutate


def add_column(file: str, name: str) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        rows = read_rows(package / file)
        write_rows(package / file, [row | {name: "x"} for row in rows], list(rows[0]) + [name])

    return mutate


def recode(file: str, encoding: str) -> Callable[[Path], None]:
    return lambda package: (package / file).write_bytes((package / file).read_text(encoding="utf-8").encode(encoding))


def edit_descriptor(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def mutate(package: Path) -> None:
        descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
        change(descriptor)
        (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")

    return mutate


def set_path(name: str, path: str) -> Callable[[dict], None]:
    def change(descriptor: dict) -> None:
        next(res for res in descriptor["resources"] if res["name"] == name)["path"] = path

    return change


def forget_hash(name: str) -> Callable[[dict], None]:
    def change(descriptor: dict) -> None:
        res = next(res for res in descriptor["resources"] if res["name"] == name)
        del res["bytes"], res["hash"]

    return change


def remove(file: str) -> Callable[[Path], None]:
    return lambda package: (package / file).unlink()


def empty(file: str) -> Callable[[Path], None]:
    return lambda package: (package / file).write_bytes(b"")


CASES = [
    # Values of the wrong type: the loaders cannot type them either.
    Case("text in an integer column", set_cell(EVENTS, 3, "rank", "two"), EVENTS, 3, "rank", "two", "expected a whole number", "events", True),
    Case("impossible date", set_cell(MILESTONES, 5, "date", "2017-02-30"), MILESTONES, 5, "date", "2017-02-30", "expected a date written YYYY-MM-DD", "milestones", True),
    Case("decimal comma from a European Excel", set_cell(INDICATORS, 4, "value", "3,5"), INDICATORS, 4, "value", "3,5", "expected a number", "indicators", True),
    Case("'nan' as a number", set_cell(INDICATORS, 3, "value", "nan"), INDICATORS, 3, "value", "nan", "expected a number", "indicators", True),
    # Values that are typed fine but break a constraint, a key, a reference or a rule.
    Case("missing required value", set_cell(EVENTS, 6, "title_en", ""), EVENTS, 6, "title_en", None, "a value is required here but the cell is empty", "events", False),
    Case("missing required integer", set_cell("datasets/editions.csv", 3, "events_found", ""), "datasets/editions.csv", 3, "events_found", None, "a value is required", "editions", False),
    Case("duplicate key", duplicate_row("datasets/units.csv", 3), "datasets/units.csv", APPENDED_UNIT, "unit", "亿户",
         "duplicate key: row 3 of datasets/units.csv has the same unit", "units", False),
    Case("broken foreign key", set_cell(EVENTS, 4, "source_id", "no-such-source"), EVENTS, 4, "source_id", "no-such-source", "broken reference: no row of sources has source_id = 'no-such-source'", "events", False),
    Case("rank 11", set_cell(EVENTS, 11, "rank", "11"), EVENTS, 11, "rank", "11", "must be at most 10", "events", False),
    Case("value outside the enum", set_cell(MILESTONES, 4, "date_precision", "week"), MILESTONES, 4, "date_precision", "week", "must be one of: day, month, quarter, year", "milestones", False),
    Case("id that breaks the pattern", set_cell(EVENTS_2016, 3, "event_id", "2016-E2"), EVENTS_2016, 3, "event_id", "2016-E2", "must match the pattern", "events", False),
    Case("nine events in a complete edition", drop_row(EVENTS, 11), "datasets/editions.csv", 6, "events_found", "10", "must be ranked 1 to 10 once each", "events", False),
    Case("period_start after period_end", set_cell(INDICATORS, 2, "period_start", "2018-01-01"), INDICATORS, 2, "period_start", "2018-01-01", "period_start is after period_end (2017-12-31)", "indicators", False),
    Case("unknown unit", set_cell(INDICATORS, 5, "unit", "万万"), INDICATORS, 5, "unit", "万万", "no row of units has unit = '万万'", "indicators", False),
    Case("unknown entity", set_cell(INDICATORS, 6, "entity_id", "atlantis"), INDICATORS, 6, "entity_id", "atlantis", "no row of entities has entity_id = 'atlantis'", "indicators", False),
    Case("unknown theme", set_cell(EVENTS_2016, 4, "theme", "no_such_theme"), EVENTS_2016, 4, "theme", "no_such_theme", "no row of themes has theme = 'no_such_theme'", "events", False),
    Case("outcome without a source", set_cell(OUTCOMES, 2, "source_id", ""), OUTCOMES, 2, "source_id", None, "a value is required here but the cell is empty", "outcomes", False),
    Case("figure above the 1e9 cap", set_cell(INDICATORS, 3, "value", "2000000000"), INDICATORS, 3, "value", "2000000000", "must be at most 1000000000", "indicators", False),
    Case("figure of 1e400", set_cell(INDICATORS, 3, "value", "1e400"), INDICATORS, 3, "value", "1e400", "expected a number", "indicators", True),
    Case("figure of inf", set_cell(INDICATORS, 3, "value", "inf"), INDICATORS, 3, "value", "inf", "expected a number", "indicators", True),
    Case("observation above the 1e9 cap", set_cell("datasets/observations.csv", 2, "value", "1e12"), "datasets/observations.csv", 2, "value", "1e12", "must be at most 1000000000", "observations", False),
    # The shape of a file: header, rows, quoting.
    Case("extra column", add_column(EVENTS, "comment"), EVENTS, 1, "comment", "comment", "unexpected column; the schema has no such field", "events", True),
    Case("missing column in a later part", drop_column(EVENTS_2016, "note"), EVENTS_2016, 1, "note", None, "the column is missing from the header", "events", True),
    Case("renamed column", rename_column(EVENTS, "title_en", "title_english"), EVENTS, 1, "title_en", None, "the column is missing from the header", "events", True),
    Case("column twice in the header", replace_bytes(EVENTS, b"edition,rank", b"edition,edition"), EVENTS, 1, "edition", "edition", "the column appears more than once in the header", "events", True),
    Case("blank row", replace_bytes(EVENTS, b"\n2017-E03,", b"\n,,,,,,,,\n2017-E03,"), EVENTS, 4, None, None, "the row is blank; delete it", "events", False),
    Case("unquoted comma inside a value", replace_bytes(EVENTS, b"2017-E03,2017,3,", b"2017-E03,2017,3,a,b"), EVENTS, 4, None, None, "the row has 10 values but the header has 9 columns", "events", True),
    Case("text after a closing quote", replace_bytes(EVENTS, b"2017-E03,", b'"2017-E03"x,'), EVENTS, 4, None, None, "a quoted value does not end properly", "events", True),
    Case("GB18030 file from Excel", recode("datasets/themes.csv", "gb18030"), "datasets/themes.csv", 2, None, None, 'it looks like GB18030 (GBK, simplified Chinese, as Excel saves it on Chinese Windows) (fairly sure', "themes", True),
    Case("file cut mid-row", cut_after(EVENTS, b"\n2017-E10,", 8), EVENTS, 11, None, None, "the row has 4 values but the header has 9 columns: the file ends in the middle of this row", "events", True),
    Case("file cut mid-quoted-field", cut_inside_quotes(EVENTS, b"\n2017-E05,"), EVENTS, 6, None, None, "the file ends inside a quoted value that starts in this row", "events", True),
    Case("file cut mid-character", cut_inside_character(EVENTS, b"\n2017-E04,"), EVENTS, 5, None, None, "the file ends in the middle of a character: it looks cut off", "events", True),
    Case("part without a final line break", strip_final_line_break(EVENTS_2016), EVENTS_2016, 11, None, None, "the file does not end with a line break", "events", True),
    Case("empty file", empty(EVENTS), EVENTS, 1, None, None, "the file is empty; it needs at least the header row", "events", True),
    # The descriptor and the files it lists.
    Case("malformed JSON in datapackage.json", replace_bytes("datapackage.json", b'"china-internet-trends",', b'"china-internet-trends"'), "datapackage.json", 4, None, None,
         "datapackage.json is not valid JSON: Expecting ',' delimiter at line 4", "events", True, refresh=False),
    Case("path that climbs out with ..", edit_descriptor(set_path("themes", "../themes.csv")), "datapackage.json", None, "path", "../themes.csv", "refused: it climbs out of the package with '..'", "themes", True, refresh=False),
    Case("absolute path", edit_descriptor(set_path("themes", "/etc/passwd")), "datapackage.json", None, "path", "/etc/passwd", "refused: it is an absolute path", "themes", True, refresh=False),
    Case("URL as a path", edit_descriptor(set_path("themes", "https://example.org/themes.csv")), "datapackage.json", None, "path", "https://example.org/themes.csv", "refused: it is a URL", "themes", True, refresh=False),
    Case("listed file that does not exist", remove(EVENTS_2016), EVENTS_2016, None, None, None, "the file listed in datapackage.json does not exist", "events", True, refresh=False),
    Case("size and hash differ from the record", set_cell("datasets/themes.csv", 3, "name_en", "Networks"), "datasets/themes.csv", None, None, None,
          "the file changed since its hash was recorded (recorded", "themes", False, refresh=False),
    Case("same size, different hash in a part", replace_bytes(EVENTS_2016, b"2016-E04,2016,4,", b"2016-E04,2016,5,"), EVENTS_2016, None, None, None,
         "the file changed since its hash was recorded (same size, different content)", "events", False, refresh=False),
    Case("no size and hash recorded", edit_descriptor(forget_hash("units")), "datasets/units.csv", None, None, None, "datapackage.json records no size and hash for this file", "units", False, refresh=False),
]


NUMBERS_BEYOND_RANGE = [
    Case("forecast value of inf", set_cell("datasets/2017/forecasts.csv", 2, "value", "inf"), "datasets/2017/forecasts.csv", 2, "value", "inf",
         "expected a number", "forecasts", True),
    Case("integer too large for int64", set_cell(EVENTS, 3, "rank", "99999999999999999999"), EVENTS, 3, "rank", "99999999999999999999",
         "expected a whole number", "events", True),
]


@pytest.mark.parametrize("case", CASES + NUMBERS_BEYOND_RANGE, ids=lambda case: case.name)
def test_bad_input_is_reported_the_same_way_by_the_cli_the_library_and_the_loaders(case: Case, package_copy: Path, capsys):
    case.mutate(package_copy)
    if case.refresh:
        integrity.refresh(package_copy)

    report = _validate_with_the_cli(package_copy, capsys)
    place = (case.file, case.row, case.column, case.value)
    expected = [p for p in report.problems if (p.file, p.row, p.column, p.value) == place and case.message in p.message]
    assert expected, f"no problem at {place} saying {case.message!r}:\n{report}"

    if case.loader_raises:
        with pytest.raises(cit.DataPackageError) as caught:
            cit.load(case.table, path=package_copy)
        assert expected[0] in caught.value.report.problems
    else:
        assert isinstance(cit.load(case.table, path=package_copy), pd.DataFrame)


ACCEPTED = {
    "CRLF line endings": (crlf(EVENTS), "events"),
    "CRLF line endings in a later part": (crlf(EVENTS_2016), "events"),
    "UTF-8 byte-order mark": (bom(EVENTS), "events"),
    "UTF-8 byte-order mark in a later part": (bom(EVENTS_2016), "events"),
    "CSV UTF-8 as Excel saves it (BOM and CRLF)": (excel_csv_utf8("datasets/themes.csv"), "themes"),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_line_endings_and_byte_order_marks_are_accepted_without_changing_the_data(name: str, package_copy: Path, capsys):
    mutate, table = ACCEPTED[name]
    mutate(package_copy)
    integrity.refresh(package_copy)

    assert cli.main(["validate", str(package_copy)]) == 0, capsys.readouterr().out
    assert capsys.readouterr().out.startswith("valid")
    pd.testing.assert_frame_equal(cit.load(table, path=package_copy), cit.load(table))


def _validate_with_the_cli(package: Path, capsys) -> cit.Report:
    """Run ``validate PATH`` as the console script does; returns the report, checked against what it printed line by line."""
    assert cli.main(["validate", "--max-problems", "0", str(package)]) == 1
    out, err = capsys.readouterr()
    report = validation.validate(package)
    lines = out.splitlines()
    assert lines[0] == "invalid: problems follow, one per line: file, row (the header is row 1), column: value: what was expected"
    assert lines[1:-1] == [f"  {problem}" for problem in report.problems]
    assert lines[-1] == f"invalid: {len(report.problems)} problem(s) shown"
    assert "Traceback" not in out + err
    assert [problem for problem in report.problems if problem.code not in cit.errors.CODES] == [], "every problem carries a documented code"
    return report
