"""Broken copies of the package give clear errors: file, row, column, value, expectation; exit 1; no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import china_internet_trends as cit
from conftest import edit_cell, read_rows, write_rows


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "china_internet_trends", *args], capture_output=True, text=True)


def problems_at(report, file: str, row: int | None = None, column: str | None = None):
    return [p for p in report.problems if p.file == file and (row is None or p.row == row) and (column is None or p.column == column)]


def test_broken_foreign_key_names_file_row_and_column(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 4, "theme", "no_such_theme")
    result = run_cli("validate", str(package_copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "datasets/2017/events.csv, row 4, column theme: value 'no_such_theme'" in result.stdout
    assert "broken reference: no row of themes has theme" in result.stdout


def test_library_returns_the_same_errors_as_data(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 4, "theme", "no_such_theme")
    report = cit.validate(package_copy)
    assert not report.valid
    frame = report.to_frame()
    assert list(frame.columns) == ["file", "row", "column", "value", "message", "layer"]
    assert problems_at(report, "datasets/2017/events.csv", 4, "theme")


def _add_edition_part(package: Path, table: str, rows: list[dict[str, str]]) -> Path:
    """Register datasets/2018/<table>.csv as a second part of the multipart resource."""
    header = list(read_rows(package / "datasets" / "2017" / f"{table}.csv")[0])
    part = package / "datasets" / "2018" / f"{table}.csv"
    part.parent.mkdir(exist_ok=True)
    write_rows(part, rows, header)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        if res["name"] == table:
            res["path"].append(f"datasets/2018/{table}.csv")
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return part


def test_error_in_a_second_part_is_reported_in_that_file(package_copy: Path):
    template = read_rows(package_copy / "datasets" / "2017" / "milestones.csv")[0]
    good = dict(template, milestone_id="2017-M900")
    bad = dict(template, milestone_id="2017-M901", date="2017-13-45")
    _add_edition_part(package_copy, "milestones", [good, good | {"milestone_id": "2017-M902"}, bad])
    report = cit.validate(package_copy)
    located = problems_at(report, "datasets/2018/milestones.csv", 4, "date")
    assert located, str(report)
    assert not problems_at(report, "datasets/2017/milestones.csv")


def test_rank_out_of_range(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 11, "rank", "11")
    report = cit.validate(package_copy)
    assert problems_at(report, "datasets/2017/events.csv", 11, "rank")


def test_period_start_after_end(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "indicators.csv", 2, "period_start", "2018-01-01")
    report = cit.validate(package_copy)
    [problem] = problems_at(report, "datasets/2017/indicators.csv", 2, "period_start")
    assert "after period_end" in problem.message


def test_nine_events_in_a_complete_edition(package_copy: Path):
    path = package_copy / "datasets" / "2017" / "events.csv"
    write_rows(path, read_rows(path)[:9])
    report = cit.validate(package_copy)
    messages = [p.message for p in problems_at(report, "datasets/editions.csv", column="events_found")]
    assert any("ranked 1 to 10" in m for m in messages)
    assert any("holds 9 events" in m for m in messages)


def test_gbk_file_is_rejected_with_advice(package_copy: Path):
    path = package_copy / "datasets" / "themes.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    result = run_cli("validate", str(package_copy))
    assert result.returncode == 1
    assert "datasets/themes.csv" in result.stdout and "GB18030" in result.stdout and "UTF-8" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_malformed_descriptor(package_copy: Path):
    (package_copy / "datapackage.json").write_text('{"name": "x", "resources": [', encoding="utf-8")
    result = run_cli("validate", str(package_copy))
    assert result.returncode == 1
    assert "datapackage.json" in result.stdout and "not valid JSON" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_unsafe_paths_are_refused(package_copy: Path):
    descriptor = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../../etc/passwd"
    descriptor["resources"][1]["path"] = "/etc/passwd"
    descriptor["resources"][2]["path"] = "https://example.org/themes.csv"
    (package_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = cit.validate(package_copy)
    reasons = " ".join(p.message for p in report.problems)
    assert "'..'" in reasons and "absolute path" in reasons and "URL" in reasons


def test_loader_commands_fail_cleanly_on_bad_data(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 2, "edition", "twenty")
    result = run_cli("--package", str(package_copy), "events", "2017")
    assert result.returncode == 1
    assert "datasets/2017/events.csv, row 2, column edition" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
