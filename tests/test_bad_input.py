"""Broken copies of the package give clear errors (file, row, column, value, expectation; exit 1; no traceback),
and the package's recorded sizes and hashes catch files changed behind its back."""

from __future__ import annotations

import hashlib
import json
import stat
import subprocess
import sys
from pathlib import Path

import frictionless
import pytest

import china_internet_trends as cit
from china_internet_trends import cli, integrity
from conftest import ROOT, edit_cell, read_rows, write_rows


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
    report = cit.validate(path=package_copy)
    assert not report.valid
    frame = report.to_frame()
    assert list(frame.columns) == ["file", "row", "column", "value", "message", "layer", "code"]
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
    report = cit.validate(path=package_copy)
    located = problems_at(report, "datasets/2018/milestones.csv", 4, "date")
    assert located, str(report)
    assert not problems_at(report, "datasets/2017/milestones.csv")


def test_rank_out_of_range(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 11, "rank", "11")
    report = cit.validate(path=package_copy)
    assert problems_at(report, "datasets/2017/events.csv", 11, "rank")


def test_period_start_after_end(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "indicators.csv", 2, "period_start", "2018-01-01")
    report = cit.validate(path=package_copy)
    [problem] = problems_at(report, "datasets/2017/indicators.csv", 2, "period_start")
    assert "after period_end" in problem.message


def test_nine_events_in_a_complete_edition(package_copy: Path):
    path = package_copy / "datasets" / "2017" / "events.csv"
    write_rows(path, read_rows(path)[:9])
    report = cit.validate(path=package_copy)
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
    report = cit.validate(path=package_copy)
    reasons = " ".join(p.message for p in report.problems)
    assert "'..'" in reasons and "absolute path" in reasons and "URL" in reasons


def test_loader_commands_fail_cleanly_on_bad_data(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 2, "edition", "twenty")
    result = run_cli("--package", str(package_copy), "events", "2017")
    assert result.returncode == 1
    assert "datasets/2017/events.csv, row 2, column edition" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


# Integrity: recorded sizes and hashes, refresh-hashes, atomic writes.


def _descriptor(package: Path) -> dict:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))


def test_single_files_use_the_standard_hash_and_parts_of_a_table_a_record_each():
    descriptor = _descriptor(ROOT)
    themes = next(res for res in descriptor["resources"] if res["name"] == "themes")
    assert themes["bytes"] == len((ROOT / themes["path"]).read_bytes())
    assert themes["hash"] == "sha256:" + hashlib.sha256((ROOT / themes["path"]).read_bytes()).hexdigest()
    events = next(res for res in descriptor["resources"] if res["name"] == "events")
    assert "bytes" not in events and "hash" not in events
    assert list(events["integrity"]) == events["path"]
    for rel, record in events["integrity"].items():
        assert record == {"bytes": len((ROOT / rel).read_bytes()), "hash": "sha256:" + hashlib.sha256((ROOT / rel).read_bytes()).hexdigest()}


def test_an_edit_is_reported_as_drift_until_refresh_hashes_records_it(package_copy: Path, capsys):
    edit_cell(package_copy / "datasets" / "2016" / "events.csv", 3, "summary_en", "An intended correction.")
    [drift] = cit.validate(path=package_copy).problems
    assert (drift.file, drift.row, drift.column) == ("datasets/2016/events.csv", None, None)
    assert "the file changed since its hash was recorded" in drift.message
    assert "run `china-internet-trends refresh-hashes` after an intended edit" in drift.message

    assert cli.main(["refresh-hashes", str(package_copy)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == ["  datasets/2016/events.csv"]
    assert cit.validate(path=package_copy).valid
    assert frictionless.validate(str(package_copy / "datapackage.json")).valid


def test_refresh_hashes_leaves_an_unchanged_package_alone(package_copy: Path, capsys):
    descriptor = package_copy / "datapackage.json"
    before = (descriptor.read_bytes(), descriptor.stat().st_mtime_ns)
    assert cli.main(["--package", str(package_copy), "refresh-hashes"]) == 0
    assert "was not changed" in capsys.readouterr().out
    assert (descriptor.read_bytes(), descriptor.stat().st_mtime_ns) == before


def test_refresh_hashes_refuses_an_unsafe_path_and_writes_nothing(package_copy: Path, capsys):
    descriptor = _descriptor(package_copy)
    descriptor["resources"][2]["path"] = "../../etc/passwd"
    (package_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    before = (package_copy / "datapackage.json").read_bytes()
    assert cli.main(["refresh-hashes", str(package_copy)]) == 1
    assert "climbs out of the package" in capsys.readouterr().err
    assert (package_copy / "datapackage.json").read_bytes() == before


def test_new_edition_refuses_a_package_with_an_unsafe_path_and_writes_nothing(package_copy: Path, capsys):
    descriptor = _descriptor(package_copy)
    descriptor["resources"][2]["path"] = "/etc/passwd"
    (package_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    before = (package_copy / "datapackage.json").read_bytes()
    assert cli.main(["--package", str(package_copy), "new-edition", "2031"]) == 1
    assert "absolute path" in capsys.readouterr().err
    assert (package_copy / "datapackage.json").read_bytes() == before
    assert not (package_copy / "datasets" / "2031").exists()


def test_new_edition_records_the_size_and_hash_of_each_new_file(package_copy: Path, capsys):
    assert cli.main(["--package", str(package_copy), "new-edition", "2031"]) == 0
    assert stat.S_IMODE((package_copy / "datasets" / "2031").stat().st_mode) == 0o755
    for res in _descriptor(package_copy)["resources"]:
        if isinstance(res["path"], list):
            rel = f"datasets/2031/{res['name']}.csv"
            data = (package_copy / rel).read_bytes()
            assert res["integrity"][rel] == {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}
    assert cit.validate(path=package_copy).valid


def test_atomic_writes_refuse_to_overwrite_without_force_and_never_leave_half_a_file(tmp_path: Path):
    target = tmp_path / "export.csv"
    integrity.write_atomically(target, lambda temporary: temporary.write_bytes(b"first\n"))
    target.chmod(0o640)
    with pytest.raises(FileExistsError, match="use --force"):
        integrity.write_atomically(target, lambda temporary: temporary.write_bytes(b"second\n"))

    def fail_halfway(temporary: Path) -> None:
        temporary.write_bytes(b"hal")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        integrity.write_atomically(target, fail_halfway, overwrite=True)
    assert target.read_bytes() == b"first\n"
    integrity.write_atomically(target, lambda temporary: temporary.write_bytes(b"second\n"), overwrite=True)
    assert target.read_bytes() == b"second\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]
