"""Hostile input, third round (issue 20, items 10-12): what used to end in a traceback or a wrong answer is
one clear line, and nothing around the package changes.

Each case breaks a copy of the package, runs one CLI command in-process, and asserts the exit code,
a line of what it prints, no traceback, and that no file outside the package changed
(:func:`test_writers_stay_inside.state` before and after, over the folder around the package).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

import china_internet_trends as cit
from china_internet_trends import integrity
from china_internet_trends.cli import main
from conftest import edit_cell
from test_writers_stay_inside import outside, state


def header_only(rel: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        integrity.refresh(root)

    return mutate


def cell(rel: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        edit_cell(root / rel, row, column, value)
        integrity.refresh(root)

    return mutate


def descriptor_key(key: str, value: object) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        descriptor[key] = value
        (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")

    return mutate


def without_resource(name: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        descriptor["resources"] = [res for res in descriptor["resources"] if res["name"] != name]
        (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")

    return mutate


def schema_bound(table: str, field: str, text: str) -> Callable[[Path], None]:
    """Write ``"minimum": <text>`` into a field's constraints as raw JSON (NaN, Infinity, 1e400)."""

    def mutate(root: Path) -> None:
        path = root / "schemas" / f"{table}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        next(f for f in schema["fields"] if f["name"] == field).setdefault("constraints", {})["minimum"] = "BOUND"
        path.write_text(json.dumps(schema, ensure_ascii=False).replace('"BOUND"', text), encoding="utf-8")

    return mutate


def field_name(table: str, index: int, name: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / "schemas" / f"{table}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema["fields"][index]["name"] = name
        path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")

    return mutate


def sections(change: Callable[[list[dict[str, str]]], None]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / "datasets/2017/sections.csv"
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        change(rows)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        integrity.refresh(root)

    return mutate


def own_parent(rows: list[dict[str, str]]) -> None:
    rows[0]["parent_id"] = rows[0]["section_id"]


def parent_cycle(rows: list[dict[str, str]]) -> None:
    rows[2]["parent_id"], rows[3]["parent_id"] = rows[3]["section_id"], rows[2]["section_id"]


def parent_elsewhere(rows: list[dict[str, str]]) -> None:
    rows[1]["parent_id"] = "2016-R1"


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[Path], None]
    command: tuple[str, ...]
    line: str
    code: int = 1


def export(fmt: str) -> tuple[str, ...]:
    return ("--package", "{pkg}", "export", "--format", fmt, "{out}/export")


CASES = [
    # 10. tracebacks that are now clear errors
    Case("editions header-only", header_only("datasets/editions.csv"), ("validate", "{pkg}"),
         "datasets/2017/events.csv, row 2, column edition: value '2017': broken reference"),
    Case("observations header-only, html report", header_only("datasets/observations.csv"),
         ("--package", "{pkg}", "report", "--html", "{out}/r.html"), "Wrote", code=0),
    *[Case(f"{key} {value!r}, {fmt} export", descriptor_key(key, value), export(fmt),
           f"datapackage.json, column {key}: value")
      for key, value in [("licenses", "CC-BY-4.0"), ("sources", [None]), ("title", {"en": "x"}), ("version", ["1"])]
      for fmt in ("xlsx", "sqlite")],
    *[Case(f"minimum {text}, sqlite export", schema_bound("units", "scale", text), export("sqlite"),
           "field 'scale': minimum must be a finite number") for text in ("NaN", "Infinity", "-Infinity", "1e400")],
    Case("NUL in a field name", field_name("units", 1, "sc\u0000ale"), export("sqlite"),
         "a field name may not hold a control character"),
    Case("a theme the codebook lacks, html report", cell("datasets/2017/events.csv", 2, "theme", "no_such_theme"),
         ("--package", "{pkg}", "report", "--html", "{out}/r.html"), "Wrote", code=0),
    Case("a unit the units table lacks, html report", cell("datasets/2017/indicators.csv", 2, "unit", "no_such_unit"),
         ("--package", "{pkg}", "report", "--html", "{out}/r.html"), "Wrote", code=0),
    Case("events 2017 2017", lambda root: None, ("--package", "{pkg}", "events", "2017", "2017"), "The ten events of 2017", code=0),
    Case("keywords 5G 5G", lambda root: None, ("--package", "{pkg}", "keywords", "5G", "5G"), "5G", code=0),
    # 11. a package that lacks what the library needs is invalid
    *[Case(f"no {name} resource", without_resource(name), ("validate", "{pkg}"),
           f"datapackage.json, column resources: value '{name}': the package has no table '{name}', which the library reads")
      for name in ("outcomes", "glossary", "themes")],
    Case("minimum NaN, validate", schema_bound("units", "scale", "NaN"), ("validate", "{pkg}"),
         "schemas/units.json: the Table Schema uses what this library cannot check: field 'scale': minimum must be a finite number"),
    Case("a section its own parent", sections(own_parent), ("validate", "{pkg}"),
         "datasets/2017/sections.csv, row 2, column parent_id: value '2017-R1': a section cannot be its own parent"),
    Case("a cycle of parents", sections(parent_cycle), ("validate", "{pkg}"),
         "the parents form a cycle"),
    Case("a parent in another edition", sections(parent_elsewhere), ("validate", "{pkg}"),
         "not of this section's edition 2017"),
    # 12. smaller
    Case("report --html ''", lambda root: None, ("--package", "{pkg}", "report", "--html", ""), "error: --html needs the name of the file"),
    Case("ESC in an export path", lambda root: None, ("--package", "{pkg}", "export", "--format", "sqlite", "{out}/a\x1b[2Jb"),
         "Wrote 2 file(s) to ", code=0),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_third_round_cases_are_one_clear_line_and_change_nothing_outside(case: Case, package_copy: Path, tmp_path: Path, capsys):
    case.mutate(package_copy)
    out = tmp_path / "out"
    out.mkdir()
    before = state(tmp_path)
    args = [a.replace("{pkg}", str(package_copy)).replace("{out}", str(out)) for a in case.command]
    code = main(args)
    printed = "".join(capsys.readouterr())
    assert code == case.code, printed[-2000:]
    assert case.line in printed, printed[-2000:]
    assert "Traceback" not in printed
    assert all(line.isprintable() for line in printed.splitlines()), "a raw control character was printed"
    changed = outside(before, state(tmp_path))
    assert all(key.startswith("out") for key in changed), changed  # only the command's own output folder


@pytest.mark.parametrize(("call", "error"), [
    (lambda: cit.validate(max_problems=-1), cit.QueryError),
    (lambda: cit.validate(max_problems=1.5), cit.QueryError),
    (lambda: cit.compare.themes(10**30), cit.UnknownEdition),
    (lambda: cit.series("x"), cit.NotInPackage),
    (lambda: cit.fields(["events"]), TypeError),
])
def test_library_calls_raise_the_package_errors(call, error):
    with pytest.raises(error):
        call()


def test_max_problems_zero_shows_every_problem_as_the_cli_does(package_copy: Path):
    header_only("datasets/editions.csv")(package_copy)
    every = cit.validate(path=package_copy, max_problems=0).problems
    assert len(every) == len(cit.validate(path=package_copy).problems) > 20
    capped = cit.validate(path=package_copy, max_problems=1).problems
    counted = [p for p in capped if p.code == "left-out"]
    assert counted and len(capped) < len(every)


def test_a_part_named_twice_counts_once():
    assert cit.compare.themes(parts=["events", "events"]).equals(cit.compare.themes(parts=["events"]))


def test_chart_tooltips_show_dates_as_dates():
    """A point's tooltip shows its date as a date (it showed epoch milliseconds, such as 1490918400000)."""
    from china_internet_trends.html_report import _series_chart
    from china_internet_trends.report import build

    series = build(cit.open()).key_series[0]
    spec = json.loads(_series_chart(series)["specs"]["en"])
    tooltips = [t for layer in spec["layer"] for t in layer.get("encoding", {}).get("tooltip", []) if t.get("field") == "date"]
    assert tooltips and all(t["type"] == "temporal" and t["format"] == "%Y-%m-%d" for t in tooltips)


def recoded(codec: str, traditional: bool = False) -> Callable[[Path], None]:
    """themes.csv saved in ``codec`` (as Excel saves it on a Windows of that locale), its Chinese in traditional characters if asked."""

    def mutate(root: Path) -> None:
        path = root / "datasets/themes.csv"
        text = path.read_text(encoding="utf-8")
        if traditional:
            from opencc import OpenCC

            text = OpenCC("s2t").convert(text)
        path.write_bytes(text.encode(codec, errors="replace"))
        integrity.refresh(root)

    return mutate


@pytest.mark.parametrize(("codec", "traditional", "named"), [
    ("gb18030", False, "iconv -f GB18030 -t UTF-8"),
    ("big5", True, "iconv -f CP950 -t UTF-8"),
    ("cp950", True, "iconv -f CP950 -t UTF-8"),
    ("utf-16", False, "iconv -f UTF-16 -t UTF-8"),
    ("utf-16-le", False, "iconv -f UTF-16LE -t UTF-8"),
])
def test_a_file_in_another_encoding_is_told_the_right_conversion(codec: str, traditional: bool, named: str, package_copy: Path, capsys):
    """Item 4: a Big5 file is not told to convert from GB18030 (which gives mojibake that validates), nor UTF-16 called 8-bit."""
    recoded(codec, traditional)(package_copy)
    assert main(["validate", str(package_copy)]) == 1
    printed = capsys.readouterr().out
    [line] = [line for line in printed.splitlines() if "datasets/themes.csv" in line]
    assert "the file is not UTF-8" in line and named in line, line
    assert line.count("iconv -f") == 1


def test_a_parquet_export_that_fails_part_way_leaves_no_file_and_the_rerun_is_not_refused(tmp_path: Path, monkeypatch):
    """Item 12: an export stopped after 3 of its 15 files (here by an error, as a kill would) leaves none
    of them in place, so the rerun finds an empty folder."""
    from china_internet_trends.export import export, parquet

    real, written = parquet.write_parquet, []

    def fails_at_the_fourth(contents, name, file):
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(name)
        real(contents, name, file)

    monkeypatch.setattr(parquet, "write_parquet", fails_at_the_fourth)
    with pytest.raises(OSError):
        export(tmp_path / "out", "parquet")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == []
    monkeypatch.setattr(parquet, "write_parquet", real)
    files = export(tmp_path / "out", "parquet")
    assert len(files) == len(cit.open().tables) and all(file.exists() for file in files)


@pytest.mark.parametrize("columns", ["1", "2", "10", "20"])
def test_a_very_narrow_terminal_keeps_every_value(columns: str, monkeypatch, capsys):
    """Item 12: with COLUMNS=1 the table's contents disappeared; now they fold into records."""
    monkeypatch.setenv("COLUMNS", columns)
    assert main(["events", "2017", "--lang", "both"]) == 0
    printed = "".join(capsys.readouterr().out.split())
    for title in cit.events(2017)["title_zh"].head(3):
        assert "".join(title.split()) in printed
