"""The fast path finds what frictionless finds: a differential test.

By default ``validate`` checks types, constraints and keys on the typed frames (our conversion,
pandera, :mod:`china_internet_trends.keys`) and leaves frictionless the descriptor only.
frictionless stays the reference: here both run on every case of the bad-input corpus and on 300
packages damaged by hypothesis, and

- every row problem frictionless finds, the fast path finds at the same file, row and column;
- the fast path finds no type, constraint or key problem that frictionless does not,

except where the two disagree by design. Each such case is named in :data:`BY_DESIGN` and
:data:`BY_DESIGN_CHECKS` (and in the README, "Validation"): the fast path is stricter about numbers
frictionless reads as valid, about control characters in text, and about keys that look alike.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from china_internet_trends import csvfile, descriptor, validation
from conftest import examples
from test_bad_input_corpus import CASES, NUMBERS_BEYOND_RANGE
from test_fuzz import ODD_VALUES, fuzz_package  # noqa: F401  (a fixture)

FAST_LAYERS = {"schema", "pandera", "keys"}
Place = tuple[str, int, str | None]

BY_DESIGN = {
    "a number written with spaces around it, _ between digits or digits of another script (１０)":
        re.compile(r"^(\s.*|.*\s|.*_.*|.*[^\x00-\x7f].*)$", re.DOTALL),
    "a whole number of more than 18 digits": re.compile(r"^[+-]?[0-9]{19,}$"),
    "a number that is not finite (nan, inf, 1e400)": re.compile(r"^[+-]?(s?nan|inf|infinity|[0-9.]+e[+-]?[0-9]{3,})$", re.IGNORECASE),
    "a date outside the years 1678 to 2261": re.compile(r"^(0[0-9]{3}|1[0-5][0-9]{2}|16[0-6][0-9]|167[0-7]|22[7-9][0-9]|226[2-9]|2[3-9][0-9]{2}|[3-9][0-9]{3})-"),
}
"""Values the fast path refuses and frictionless accepts, each named by the README ("Validation"):
a figure is written in plain ASCII digits, pandas cannot hold an integer beyond int64 or a
date outside those years, and a figure of nan or inf is no figure."""

BY_DESIGN_CHECKS = {
    "a control character (but tab and line feed) or a bidirectional control (U+202E…) in any text": ("control-character", r""),
    "a key with whitespace at either end (U+00A0, U+3000…) or a zero-width or direction mark in it": ("key-text", r""),
    "a key the same as another once both are in NFC (é as one character, and as e and a combining accent)": ("duplicate-key", r".*[^\x00-\x7f]"),
}
"""Checks frictionless does not have, each by the code of its problems and a pattern of the values
concerned (empty: every value; text can differ in NFC only if it is not ASCII)."""


def row_problems(root: Path) -> tuple[dict[Place, str], dict[Place, str]]:
    """The row problems of the fast path and of frictionless, each as place → message."""
    descriptor_path = descriptor.find_descriptor(root)
    described = descriptor.read_descriptor(descriptor_path)
    fast = validation.validate(root)
    unreadable, unreadable_files, part_sizes = set(), set(), {}
    for res in described["resources"]:
        reader = csvfile.Reader(descriptor_path, res, descriptor.table_schema(descriptor_path, res))
        for _ in reader.chunks():
            pass
        part_sizes[res["name"]] = reader.part_sizes
        if reader.problems:  # a table that cannot be read is reported as such by both, not row by row
            unreadable.add(res["name"])
            unreadable_files.update(descriptor.resource_paths(res))
    report = validation._run_frictionless(descriptor_path, rows=True)
    slow = validation._frictionless_problems(report, descriptor_path, described, part_sizes, unreadable)
    fast_rows = {(p.file, p.row, p.column): f"{p.value}: {p.message}" + (f" [{p.code}]" if p.code else "") for p in fast.problems
                 if p.row is not None and p.file not in unreadable_files
                 and (p.layer in FAST_LAYERS or p.message.startswith("the row is blank"))}
    slow_rows = {(p.file, p.row, p.column): f"{p.value}: {p.message}" for p in slow if p.row is not None}
    return fast_rows, slow_rows


def by_design(message: str) -> str | None:
    """Which disagreement by design a fast-path message (``value: message [code]``) is, if any."""
    value = message.split(": ", 1)[0]
    coded = re.search(r" \[([a-z-]+)\]\Z", message)
    checks = (name for name, (code, pattern) in BY_DESIGN_CHECKS.items()
              if coded and coded.group(1) == code and re.match(pattern, value, re.DOTALL))
    return next(checks, None) or next((name for name, pattern in BY_DESIGN.items() if pattern.match(value)), None)


def assert_same_row_problems(root: Path) -> None:
    fast, slow = row_problems(root)
    missed = {place: message for place, message in slow.items() if place not in fast}
    extra = {place: message for place, message in fast.items() if place not in slow and not by_design(message)}
    assert missed == {}, f"frictionless finds, the fast path does not: {missed}"
    assert extra == {}, f"the fast path finds, frictionless does not: {extra}"


ROW_CASES = [case for case in CASES + NUMBERS_BEYOND_RANGE if case.refresh and case.row is not None]


@pytest.mark.parametrize("case", ROW_CASES, ids=lambda case: case.name)
def test_the_corpus_gets_the_same_row_problems_from_both(case, package_copy: Path):
    case.mutate(package_copy)
    assert_same_row_problems(package_copy)


@pytest.mark.parametrize(("rel", "row", "column", "value", "design"), [
    ("datasets/2017/forecasts.csv", 27, "value", "inf", "a number that is not finite (nan, inf, 1e400)"),
    ("datasets/2017/sections.csv", 2, "chapter", "99999999999999999999", "a whole number of more than 18 digits"),
    ("datasets/2017/sections.csv", 3, "chapter", "１０", "a number written with spaces around it, _ between digits or digits of another script (１０)"),
    ("datasets/2017/indicators.csv", 4, "value", " 1.5", "a number written with spaces around it, _ between digits or digits of another script (１０)"),
    ("datasets/2017/milestones.csv", 5, "date", "9999-12-31", "a date outside the years 1678 to 2261"),
    ("datasets/2017/milestones.csv", 6, "date", "0001-01-01", "a date outside the years 1678 to 2261"),
    ("datasets/units.csv", 2, "unit", "万户\u00a0", "a key with whitespace at either end (U+00A0, U+3000…) or a zero-width or direction mark in it"),
    ("datasets/hedges.csv", 3, "hedge", "将\u200b", "a key with whitespace at either end (U+00A0, U+3000…) or a zero-width or direction mark in it"),
    ("datasets/2017/events.csv", 2, "title_en", "a\x1b]0;title\x07b\x1b[2J", "a control character (but tab and line feed) or a bidirectional control (U+202E…) in any text"),
    ("datasets/2017/events.csv", 3, "title_zh", "标题\u202e", "a control character (but tab and line feed) or a bidirectional control (U+202E…) in any text"),
])
def test_frictionless_accepts_what_the_fast_path_refuses_by_design(package_copy: Path, rel, row, column, value, design):
    fast, slow = _with_cell(package_copy, rel, row, column, value)
    place = (rel, row, column)
    assert place in fast and place not in slow
    assert by_design(fast[place]) == design


def _with_cell(root: Path, rel: str, row: int, column: str, value: str) -> tuple[dict, dict]:
    rows = list(csv.DictReader(open(root / rel, encoding="utf-8", newline="")))
    rows[row - 2][column] = value
    with open(root / rel, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row_problems(root)


@st.composite
def cell_damage(draw, data: bytes) -> bytes:
    """One to three changes a contributor might make by mistake: a cell set to an odd value, a row
    duplicated, blanked or deleted; the file stays a readable CSV."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    for _ in range(draw(st.integers(1, 3))):
        if not body:
            break
        at = draw(st.integers(0, len(body) - 1))
        kind = draw(st.sampled_from(["cell", "cell", "cell", "duplicate", "blank", "delete"]))
        if kind == "cell":
            column = draw(st.integers(0, len(header) - 1))
            body[at][column] = draw(st.one_of(st.sampled_from(ODD_VALUES), st.sampled_from([c for r in body for c in r]),
                                              st.text(max_size=12)))
        elif kind == "duplicate":
            body.append(list(body[at]))
        elif kind == "blank":
            body[at] = [""] * len(header)
        else:
            del body[at]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header] + body)
    return out.getvalue().encode("utf-8")


def _files(root: Path) -> list[str]:
    described = descriptor.read_descriptor(root / "datapackage.json")
    return sorted(rel for res in described["resources"] for rel in descriptor.resource_paths(res))


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_packages_get_the_same_row_problems_from_both(fuzz_package: Path, data):  # noqa: F811
    rel = data.draw(st.sampled_from(_files(fuzz_package)), label="file")
    original = (fuzz_package / rel).read_bytes()
    try:
        (fuzz_package / rel).write_bytes(data.draw(cell_damage(original), label="damaged file"))
        assert_same_row_problems(fuzz_package)
    finally:
        (fuzz_package / rel).write_bytes(original)
