"""Random damage to a valid CSV never crashes validation or the loaders, and validation never writes.

hypothesis damages one CSV of a small valid package per example: flipped bytes, deleted or
duplicated lines, inserted quotes, commas, line breaks and NUL bytes, a cell replaced by arbitrary
text, the file re-encoded or cut short. Then:

- ``cit.validate`` returns a :class:`cit.Report` (it never raises), which is invalid whenever the
  file changed (at least its recorded hash no longer matches);
- validation leaves every file of the package as it was;
- the table's loader returns a frame or raises :class:`cit.DataPackageError`, nothing else.

The package is built once per module from the shipped one: the editions, publications, sources,
themes and events tables (references across them, a multipart resource, the rules about complete editions), with
coverage set to ``none`` because the sections are left out. The whole package would take four times
longer to validate. Each example writes its damaged file and restores the original afterwards.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import china_internet_trends as cit
from china_internet_trends import descriptor, integrity, rules
from conftest import ROOT, examples, read_rows, write_rows

RESOURCES = ("editions", "publications", "sources", "themes", "events")
ODD_VALUES = ["", " ", "nan", "inf", "-inf", "1e400", "-1", "0", "99999999999999999999", "2017-02-30", "NULL", "１０", '"', ",", "\n", "\r\n"]


def few_tables(root: Path, inline_schemas: bool = False) -> Path:
    """A copy at ``root`` of the shipped package with only the tables in :data:`RESOURCES`; with
    ``inline_schemas``, their Table Schemas are in the descriptor instead of in files."""
    shutil.copytree(ROOT / "schemas", root / "schemas")
    shutil.copytree(ROOT / "datasets", root / "datasets")
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [res for res in descriptor["resources"] if res["name"] in RESOURCES]
    if inline_schemas:
        for res in descriptor["resources"]:
            res["schema"] = json.loads((ROOT / res["schema"]).read_text(encoding="utf-8"))
    (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def fuzz_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid package with five of the shipped tables (see the module docstring)."""
    root = few_tables(tmp_path_factory.mktemp("fuzz") / "package")
    editions = root / "datasets" / "editions.csv"
    write_rows(editions, [row | {"review_coverage": "none", "trends_coverage": "none"} for row in read_rows(editions)])
    integrity.refresh(root)
    return root


@pytest.fixture(scope="module")
def originals(fuzz_package: Path) -> dict[str, tuple[str, bytes]]:
    """Each CSV of the fuzz package: its resource and its bytes, by path."""
    described = descriptor.read_descriptor(fuzz_package / "datapackage.json")
    return {rel: (res["name"], (fuzz_package / rel).read_bytes()) for res in described["resources"] for rel in descriptor.resource_paths(res)}


def found(report: cit.Report) -> list[cit.Problem]:
    """The problems of a report on the fuzz package besides the tables it leaves out on purpose (code ``missing-table``)."""
    return [problem for problem in report.problems if problem.code != "missing-table"]


def test_the_fuzz_package_starts_valid_but_for_the_tables_it_leaves_out(fuzz_package: Path):
    report = cit.validate(path=fuzz_package)
    assert found(report) == [], str(report)
    assert {problem.value for problem in report.problems} == set(rules.NEEDED) - set(RESOURCES)  # the tables the library reads by name


# Each kind of damage takes hypothesis's draw function and the file's bytes, and returns new bytes.
Damage = Callable[[Callable, bytes], bytes]


def flip_byte(draw, data: bytes) -> bytes:
    if not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]


def delete_line(draw, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if lines:
        del lines[draw(st.integers(0, len(lines) - 1))]
    return b"".join(lines)


def duplicate_line(draw, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if lines:
        at = draw(st.integers(0, len(lines) - 1))
        lines.insert(at, lines[at])
    return b"".join(lines)


def insert_punctuation(draw, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    inserted = draw(st.sampled_from([b'"', b'""', b",", b"\n", b"\r", b"\r\n", b"\x00", b"\xef\xbb\xbf"]))
    return data[:at] + inserted + data[at:]


def replace_cell(draw, data: bytes) -> bytes:
    """Put arbitrary text in one cell and write the file back as a spreadsheet would (quoting as needed)."""
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return data
    cells = [(r, c) for r, row in enumerate(rows) for c in range(len(row))]
    if not cells:
        return data
    r, c = draw(st.sampled_from(cells))
    rows[r][c] = draw(st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=20)))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def reencode(draw, data: bytes) -> bytes:
    encoding = draw(st.sampled_from(["gb18030", "big5", "utf-16", "latin-1", "cp1252"]))
    return data.decode("utf-8", errors="replace").encode(encoding, errors="replace")


def cut_short(draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


DAMAGE: list[Damage] = [flip_byte, delete_line, duplicate_line, insert_punctuation, replace_cell, reencode, cut_short]


@st.composite
def damaged(draw, data: bytes) -> bytes:
    """``data`` after one to three kinds of damage, in a random order."""
    for damage in draw(st.lists(st.sampled_from(DAMAGE), min_size=1, max_size=3)):
        data = damage(draw, data)
    return data


def fingerprint(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@settings(max_examples=examples(300))
@given(data=st.data())
def test_damaged_csv_never_crashes_validation_or_loaders_and_is_never_written(fuzz_package: Path, originals, data):
    rel = data.draw(st.sampled_from(sorted(originals)), label="file")
    table, original = originals[rel]
    broken = data.draw(damaged(original), label="damaged bytes")
    try:
        (fuzz_package / rel).write_bytes(broken)
        before = fingerprint(fuzz_package)

        report = cit.validate(path=fuzz_package)

        assert isinstance(report, cit.Report)
        assert (found(report) == []) == (broken == original), str(report)
        assert fingerprint(fuzz_package) == before
        try:
            assert isinstance(cit.load(table, path=fuzz_package), pd.DataFrame)
        except cit.DataPackageError as exc:
            assert exc.report.problems
    finally:
        (fuzz_package / rel).write_bytes(original)
