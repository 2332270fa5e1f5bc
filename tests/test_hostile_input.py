"""Hostile and unlucky input: no traceback, no leak, no network, no lost write.

Each case of :data:`CORPUS` breaks a copy of the package as an attacker or an unlucky contributor
would, runs one command in a fresh process, and asserts what a maintainer of a validator run on
untrusted pull requests needs: exit code 1, the problem line that names the file, no traceback,
every file of the package as it was, and bounds on time and peak memory (the child's own
high-water mark, ``VmHWM``). Writers racing and writers killed are tests that repeat 20 times; a
hypothesis test damages the descriptor and schemas 300 times.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import china_internet_trends as cit
from china_internet_trends import csvfile, descriptor, integrity, keywords, scratch, writing
from conftest import edit_cell, examples, read_rows
from test_fuzz import RESOURCES, few_tables

EVENTS = "datasets/2017/events.csv"
MILESTONES = "datasets/2017/milestones.csv"
INDICATORS = "datasets/2017/indicators.csv"
RUNNER = (
    "import sys\n"
    "from china_internet_trends.cli import main\n"
    "code = main(sys.argv[2:])\n"
    "hwm = [line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:')]\n"
    "open(sys.argv[1], 'w').write(hwm[0] if hwm else '0')\n"
    "sys.exit(code)\n"
)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    megabytes: float


HANG = 900
"""Seconds after which a run counts as hung: a guard against a test that never ends, not a speed
check (speed lives in benchmarks/)."""


def run_cli(*args: str, cwd: Path | None = None) -> Run:
    """The CLI in a fresh process: exit code, output and peak memory (VmHWM, in MB)."""
    hwm = Path(os.environ.get("TMPDIR", "/tmp")) / f"hwm-{os.getpid()}-{threading.get_ident()}-{time.monotonic_ns()}"
    process = subprocess.run([sys.executable, "-c", RUNNER, str(hwm), *args], capture_output=True, text=True, timeout=HANG,
                             cwd=cwd, env={**os.environ, "COLUMNS": "100"})
    megabytes = int(hwm.read_text() or 0) / 1024 if hwm.exists() else float("nan")
    hwm.unlink(missing_ok=True)
    return Run(process.returncode, process.stdout, process.stderr, megabytes)


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` (links not followed) and a hash of what it holds, by relative path."""
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            files[rel] = "link to " + os.readlink(path)
        elif path.is_file():
            files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def unchanged(before: dict[str, str], root: Path) -> dict[str, str]:
    """What differs from ``before``, leaving out the scratch folder's lock file."""
    after = {rel: digest for rel, digest in snapshot(root).items() if scratch.SCRATCH not in rel.split("/")}
    before = {rel: digest for rel, digest in before.items() if scratch.SCRATCH not in rel.split("/")}
    return {rel: f"{before.get(rel)} -> {after.get(rel)}" for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}


# ----------------------------------------------------------------------------------------------
# Ways to break a package


def set_cell(file: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        edit_cell(root / file, row, column, value)
        integrity.refresh(root)

    return mutate


def edit_descriptor(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        change(descriptor)
        (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")

    return mutate


def resource(name: str, key: str, value: object) -> Callable[[dict], None]:
    def change(descriptor: dict) -> None:
        next(res for res in descriptor["resources"] if res["name"] == name)[key] = value

    return change


def replace_file(file: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    """Replace ``file`` with what ``make(path)`` puts at its path (a link, a FIFO…)."""

    def mutate(root: Path) -> None:
        (root / file).unlink()
        make(root / file)

    return mutate


def secret_outside(path: Path) -> None:
    secret = path.parents[3] / "secret.txt"
    secret.write_text("theme,name_zh\nTOP-SECRET-LINE,x\n", encoding="utf-8")
    path.symlink_to(secret)


def write_schema(name: str, change: Callable[[dict], None]) -> Callable[[Path], None]:
    def mutate(root: Path) -> None:
        path = root / "schemas" / f"{name}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        change(schema)
        path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")

    return mutate


def field_constraint(name: str, value: object, field: str = "theme", key: str = "constraints") -> Callable[[dict], None]:
    def change(schema: dict) -> None:
        target = next(f for f in schema["fields"] if f["name"] == field)
        if key == "constraints":
            target["constraints"] = value
        else:
            target.setdefault("constraints", {})[key] = value

    return change


def deep_json(file: str, depth: int = 100_000) -> Callable[[Path], None]:
    return lambda root: (root / file).write_text("[" * depth + "]" * depth, encoding="utf-8")


def long_cell(root: Path) -> None:
    edit_cell(root / EVENTS, 3, "note", "x" * 200_000)
    integrity.refresh(root)


def commas_row(root: Path) -> None:
    with open(root / EVENTS, "a", encoding="utf-8", newline="") as handle:
        handle.write("," * 10_000 + "\n")
    integrity.refresh(root)


def bad_rows(count: int) -> Callable[[Path], None]:
    """Append ``count`` short rows whose order is not a number to the themes table."""
    return lambda root: _bad_rows(root, count)


def _bad_rows(root: Path, count: int) -> None:
    rows = read_rows(root / "datasets/themes.csv")
    with open(root / "datasets/themes.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        bad = {column: "x" for column in rows[0]} | {"order": "not a number"}  # short rows: 1,000,000 make some 30 MB
        for n in range(count):
            writer.writerow(bad | {"theme": f"t{n}"})
    integrity.refresh(root)


def wide_header(root: Path) -> None:
    path = root / "datasets/themes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    extra = ",".join(f"c{n}" for n in range(40_000))
    path.write_text("\n".join([lines[0] + "," + extra] + lines[1:]) + "\n", encoding="utf-8")
    integrity.refresh(root)


def newline_in_a_path(root: Path) -> None:
    """The descriptor names a file (that does not exist) whose name would print as a second problem line."""
    edit_descriptor(resource("themes", "path", "datasets/themes\n  datasets/fake.csv, row 2: all good.csv"))(root)


def newline_in_a_header(root: Path) -> None:
    path = root / "datasets/themes.csv"
    data = path.read_text(encoding="utf-8")
    path.write_text(data.replace("theme,", '"theme\n  forged line\x1b[31m",', 1), encoding="utf-8")
    integrity.refresh(root)


@dataclass(frozen=True)
class Hostile:
    """One way to break the package, the command run on it, the problem line it must print and the
    peak memory it must stay under."""

    name: str
    mutate: Callable[[Path], None]
    line: str
    command: tuple[str, ...] = ("validate", "{pkg}")
    megabytes: float = 600


CORPUS = [
    # 1. dates outside pandas' range
    Hostile("date 9999-12-31", set_cell(MILESTONES, 5, "date", "9999-12-31"),
            f"{MILESTONES}, row 5, column date: value '9999-12-31': expected a date written YYYY-MM-DD, in the years 1678 to 2261"),
    Hostile("date 0001-01-01", set_cell(MILESTONES, 5, "date", "0001-01-01"),
            f"{MILESTONES}, row 5, column date: value '0001-01-01': expected a date written YYYY-MM-DD"),
    Hostile("date 9999-12-31, loaded", set_cell(INDICATORS, 2, "period_end", "9999-12-31"),
            f"{INDICATORS}, row 2, column period_end: value '9999-12-31': expected a date",
            command=("--package", "{pkg}", "compare", "2016", "2017")),
    # 2. links and special files
    Hostile("link to a file outside the package", replace_file("datasets/themes.csv", secret_outside),
            "datasets/themes.csv: refused: it is a link to a file outside the package"),
    Hostile("link to a file outside, refresh-hashes", replace_file("datasets/themes.csv", secret_outside),
            "datasets/themes.csv: refused: it is a link to a file outside the package", command=("refresh-hashes", "{pkg}")),
    Hostile("FIFO", replace_file("datasets/themes.csv", os.mkfifo), "datasets/themes.csv: refused: it is a FIFO (named pipe), not a file"),
    Hostile("link to /dev/zero", replace_file("datasets/themes.csv", lambda p: p.symlink_to("/dev/zero")),
            "datasets/themes.csv: refused: it is a link to a file outside the package"),
    Hostile("link to a device inside the package", replace_file("datasets/themes.csv", lambda p: os.mknod(p, 0o600 | 0o020000, os.makedev(1, 5))),
            "datasets/themes.csv: refused: it is a device, not a file"),
    Hostile("folder where a file should be", replace_file("datasets/themes.csv", lambda p: p.mkdir()),
            "datasets/themes.csv: refused: it is a folder, not a file"),
    # 3. nothing is fetched
    Hostile("package profile given as a URL", edit_descriptor(lambda d: d.update({"$schema": "http://127.0.0.1:9/profile.json"})),
            "datapackage.json, column $schema: value 'http://127.0.0.1:9/profile.json': refused: a profile other than the Data Package standard"),
    Hostile("dialect given as a URL", edit_descriptor(resource("themes", "dialect", "http://127.0.0.1:9/dialect.json")),
            "datapackage.json, column dialect: value 'http://127.0.0.1:9/dialect.json': resource 'themes': refused: a dialect"),
    Hostile("resource profile given as a URL", edit_descriptor(resource("themes", "profile", "http://127.0.0.1:9/r.json")),
            "datapackage.json, column profile: value 'http://127.0.0.1:9/r.json': refused: a profile other than"),
    # 4. a cell over 131,072 characters, whatever ran before
    Hostile("cell of 200,000 characters", long_cell, f"{EVENTS}, row 3: a value is longer than 131,072 characters"),
    Hostile("cell of 200,000 characters, loaded", long_cell, f"{EVENTS}, row 3: a value is longer than 131,072 characters",
            command=("--package", "{pkg}", "events", "2017")),
    # 5. schemas and descriptors as data
    Hostile("deeply nested datapackage.json", deep_json("datapackage.json"), "datapackage.json: datapackage.json nests lists or objects too deeply"),
    Hostile("deeply nested schema", deep_json("schemas/themes.json"), "schemas/themes.json: the Table Schema nests lists or objects too deeply"),
    Hostile("pattern that does not compile", write_schema("themes", field_constraint("themes", "([", key="pattern")),
            "schemas/themes.json: the Table Schema uses what this library cannot check: field 'theme': pattern '([' is not a regular expression"),
    Hostile("constraints given as a list", write_schema("themes", field_constraint("themes", ["required"])),
            "schemas/themes.json: the Table Schema uses what this library cannot check: field 'theme': constraints must be an object, not list"),
    Hostile("catastrophic pattern", write_schema("themes", field_constraint("themes", "(a+)+$", key="pattern")),
            "field 'theme': pattern '(a+)+$' repeats a part that itself repeats or has alternatives"),
    # 10. a folder that cannot be written to
    Hostile("export to a path that is a file", lambda root: (root / "out").write_text("x"), "refused: ", command=("--package", "{pkg}", "export", "--format", "sqlite", "{pkg}/out")),
    # 12. sizes that used to take minutes
    Hostile("one row of 10,000 commas", commas_row, f"{EVENTS}, row 12: the row has 10001 values but the header has 9 columns"),
    Hostile("20,000 bad rows", bad_rows(20_000), "datasets/themes.csv, column order: and 19,980 more problems here, not shown"),
    pytest.param(Hostile("a million bad rows", bad_rows(1_000_000), "datasets/themes.csv, column order: and 999,980 more problems here, not shown",
                         megabytes=1200), marks=pytest.mark.heavy),
    Hostile("a header of 40,000 columns", wide_header, "datasets/themes.csv, row 1: and 39,980 more unexpected columns"),
    # 13. forged lines and terminal escapes
    Hostile("newline in a path", newline_in_a_path, "datasets/themes\\n  datasets/fake.csv, row 2: all good.csv"),
    Hostile("newline and escape in a header", newline_in_a_header, "column theme\\n  forged line\\x1b[31m"),
]


@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.name)
def test_hostile_input_gets_one_clear_line_in_bounded_memory_and_changes_nothing(case: Hostile, package_copy: Path):
    case.mutate(package_copy)
    before = snapshot(package_copy.parent)
    args = [arg.replace("{pkg}", str(package_copy)) for arg in case.command]
    result = run_cli(*args)
    printed = result.out + result.err
    assert result.code == 1, printed[-3000:]
    assert case.line in printed, printed[-3000:]
    assert "Traceback" not in printed
    assert all(line.isprintable() for line in printed.splitlines()), "a raw control character was printed"
    assert "TOP-SECRET" not in printed
    assert unchanged(before, package_copy.parent) == {}
    assert result.megabytes < case.megabytes, f"peaked at {result.megabytes:.0f} MB"


@pytest.mark.heavy
def test_problems_are_printed_as_they_are_found(package_copy: Path):
    """With a million bad rows, the first problem lines arrive while validation still runs."""
    bad_rows(1_000_000)(package_copy)
    process = subprocess.Popen([sys.executable, "-m", "china_internet_trends", "validate", str(package_copy)],
                               stdout=subprocess.PIPE, text=True)
    first = process.stdout.readline() + process.stdout.readline()
    still_running = process.poll() is None
    rest = process.stdout.read()
    process.wait(timeout=HANG)
    assert first.startswith("invalid: problems follow") and "datasets/themes.csv" in first
    assert still_running, "the first problem was printed only when validation had ended"
    assert len(rest.splitlines()) < 100


@pytest.mark.parametrize("tail", [
    "x,1\n\ny,2\n,\n\nz,3\nw,4\n",  # blank rows between good ones
    "x,1\n,\ny,2,extra\n\nz\nw,3\n",  # rows too long and too short, blank rows, in several batches
    "x,1\ny,2\n\"z\"q,3\nw,4\n",  # a quote that does not end properly in a later batch
    "x,1\ny,2\nz",  # cut off in its last row
])
def test_the_reader_gives_the_same_answer_whatever_its_batch_size(tmp_path: Path, tail: str):
    """Rows, row numbers, blank rows and problems do not depend on how many rows are read at a time.
    (Rows handed out before a problem is found are dropped by the caller, so rows are compared
    where the file has no problem.)"""
    (tmp_path / "t.csv").write_text("name,count\n" + tail, encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [{"name": "t", "path": "t.csv", "schema": {
        "fields": [{"name": "name"}, {"name": "count", "type": "integer"}]}}]}), encoding="utf-8")
    descriptor_path = tmp_path / "datapackage.json"
    res = descriptor.read_descriptor(descriptor_path)["resources"][0]

    def read(batch: int) -> tuple:
        reader = csvfile.Reader(descriptor_path, res, res["schema"], chunk_rows=batch)
        chunks = list(reader.chunks())
        rows = [(origin, row) for chunk in chunks for origin, row in zip(chunk.origins, chunk.text.astype(object).values.tolist())]
        return (rows if not reader.problems else None), reader.blank_rows, [str(p) for p in reader.problems], reader.part_sizes

    whole = read(10_000)
    assert whole[0] or whole[2], "a tail either reads or has a problem"
    for batch in (1, 2, 3):
        assert read(batch) == whole


def test_cell_limit_does_not_depend_on_what_ran_before(package_copy: Path):
    """frictionless raises the csv module's process-wide limit when it is imported; the answer stays the same."""
    import csv as csv_module

    long_cell(package_copy)
    previous = csv_module.field_size_limit()
    try:
        for limit in (131_072, 2**31 - 2):
            csv_module.field_size_limit(limit)
            with pytest.raises(cit.DataPackageError, match="longer than 131,072 characters"):
                cit.events(2017, path=package_copy)
            assert any("longer than 131,072 characters" in p.message for p in cit.validate(path=package_copy).problems)
    finally:
        csv_module.field_size_limit(previous)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Every attempt to open a connection, recorded and refused."""
    attempts: list[tuple] = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("the tests allow no network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts


@pytest.mark.parametrize("frictionless", [False, True])
@pytest.mark.parametrize("change", [
    lambda d: d.update({"$schema": "https://example.org/profile.json"}),
    lambda d: d.update({"profile": "https://example.org/profile.json"}),
    resource("themes", "dialect", "https://example.org/dialect.json"),
    resource("themes", "profile", "https://example.org/resource.json"),
    resource("themes", "$schema", "https://example.org/resource.json"),
], ids=["$schema", "profile", "dialect", "resource profile", "resource $schema"])
def test_nothing_in_a_descriptor_is_fetched(package_copy: Path, no_network: list, change, frictionless: bool):
    edit_descriptor(change)(package_copy)
    report = cit.validate(path=package_copy, frictionless=frictionless)
    assert not report.valid and all(p.file == "datapackage.json" for p in report.problems)
    assert no_network == []


# ----------------------------------------------------------------------------------------------
# Commands that write


def test_new_edition_refuses_a_year_outside_the_schema(package_copy: Path):
    before = snapshot(package_copy)
    for year in ("0", "-1", "20170", "1999"):
        result = run_cli("--package", str(package_copy), "new-edition", "--", year)
        assert result.code == 1 and "an edition is a year from 2012 to 2100 (the editions schema)" in result.err, result.err
    assert unchanged(before, package_copy) == {}


def test_writing_commands_refuse_the_installed_package(monkeypatch: pytest.MonkeyPatch, package_copy: Path, capsys):
    """The installed copy is read-only: the test points the library's own folder at a copy and tries to write to it."""
    monkeypatch.setattr(writing, "LIBRARY_FOLDER", package_copy.parent)
    before = snapshot(package_copy)
    from china_internet_trends import cli

    for args in (["new-edition", "2031"], ["refresh-hashes"]):
        assert cli.main(["--package", str(package_copy), *args]) == 1
        err = capsys.readouterr().err
        assert "is the data package installed with the library, which is read-only" in err and "checkout" in err
    assert unchanged(before, package_copy) == {}


def test_a_failed_write_is_one_line_and_leaves_the_file_as_it_was(monkeypatch: pytest.MonkeyPatch, package_copy: Path, capsys):
    """A full disk: the rename that would put datapackage.json in place fails."""
    from china_internet_trends import cli

    edit_cell(package_copy / "datasets/themes.csv", 2, "name_en", "Strategy and policy!")
    before = snapshot(package_copy)

    def full(source, target):
        raise OSError(28, "No space left on device", str(target))

    monkeypatch.setattr(os, "replace", full)
    assert cli.main(["refresh-hashes", str(package_copy)]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert unchanged(before, package_copy) == {}


def _registered(root: Path) -> set[str]:
    described = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return {rel for res in described["resources"] for rel in descriptor.resource_paths(res)}


ROUNDS = [pytest.param(3, id="3 rounds"), pytest.param(20, id="20 rounds", marks=pytest.mark.heavy)]
"""How often a race or a kill is tried: a few times every day, twenty times in the heavy run."""


@pytest.mark.parametrize("rounds", ROUNDS)
@pytest.mark.parametrize("second", ["new-edition", "refresh-hashes"], ids=["new-edition twice", "with refresh-hashes"])
def test_two_writers_at_once_both_land(package_copy: Path, second: str, rounds: int):
    """Two commands that change datapackage.json start together; both changes are there."""
    for attempt in range(rounds):
        if second == "refresh-hashes":
            edit_cell(package_copy / "datasets/themes.csv", 2, "name_en", f"Strategy {attempt}")  # for it to record
        other = ["new-edition", str(2032 + 2 * attempt)] if second == "new-edition" else ["refresh-hashes"]
        commands = [["new-edition", str(2031 + 2 * attempt)], other]
        processes = [subprocess.Popen([sys.executable, "-m", "china_internet_trends", "--package", str(package_copy), *command],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE) for command in commands]
        for process in processes:
            assert process.wait(timeout=HANG) == 0, process.stderr.read()
        registered = _registered(package_copy)
        assert f"datasets/{2031 + 2 * attempt}/events.csv" in registered
        if second == "new-edition":
            assert f"datasets/{2032 + 2 * attempt}/events.csv" in registered
    assert integrity.drift_problems(package_copy / "datapackage.json", descriptor.read_descriptor(package_copy / "datapackage.json")) == []


@pytest.mark.parametrize("rounds", ROUNDS)
def test_a_killed_new_edition_leaves_nothing_a_rerun_trips_on(package_copy: Path, rounds: int):
    """new-edition killed at a random moment; a re-run succeeds and the package validates."""
    rng = random.Random(16)
    for attempt in range(rounds):
        year = str(2031 + attempt)
        process = subprocess.Popen([sys.executable, "-m", "china_internet_trends", "--package", str(package_copy), "new-edition", year],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.2))
        process.send_signal(signal.SIGKILL)
        process.wait()
        rerun = run_cli("--package", str(package_copy), "new-edition", year)
        assert rerun.code == 0 or "already exists" in rerun.err, rerun.err
        assert f"datasets/{year}/events.csv" in _registered(package_copy)
    leftovers = [p.name for p in (package_copy / scratch.SCRATCH).iterdir() if p.name != scratch.LOCK]
    assert leftovers == []
    assert not [p for p in package_copy.rglob(".partial-*")]
    assert integrity.drift_problems(package_copy / "datapackage.json", descriptor.read_descriptor(package_copy / "datapackage.json")) == []


@pytest.mark.parametrize("rounds", ROUNDS)
def test_a_killed_export_leaves_nothing_behind(package_copy: Path, tmp_path: Path, rounds: int):
    """An export killed at a random moment; the next export cleans up and succeeds."""
    rng = random.Random(7)
    target = tmp_path / "out"
    for attempt in range(rounds):
        process = subprocess.Popen([sys.executable, "-m", "china_internet_trends", "--package", str(package_copy), "export", "--force",
                                    "--format", "sqlite", str(target)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
    done = run_cli("--package", str(package_copy), "export", "--force", "--format", "sqlite", str(target))
    assert done.code == 0, done.err
    assert sorted(p.name for p in target.iterdir()) == ["china-internet-trends.sqlite", "metadata.json"]


# ----------------------------------------------------------------------------------------------
# The library


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: cit.events("2017"), TypeError, "editions are a year or a list of years"),
    (lambda: cit.events(2017.0), TypeError, "editions are a year or a list of years"),
    (lambda: cit.events(True), TypeError, "editions are a year or a list of years"),
    (lambda: cit.events(2019), cit.UnknownEdition, "edition 2019 is not in the package; it has 2013"),
    (lambda: cit.indicators([2017, 1999]), cit.UnknownEdition, "edition 1999 is not in the package"),
    (lambda: cit.load("units", 2017), cit.QueryError, "the units table is not split by edition"),
    (lambda: cit.load(5), TypeError, "a table is named by text"),
    (lambda: cit.series(5), TypeError, "a series is named by its id"),
    (lambda: cit.coverage("2017"), TypeError, "editions are a year or a list of years"),
    (lambda: cit.compare.themes("2017"), TypeError, "editions are a year or a list of years"),
    (lambda: cit.scorecard("2017"), TypeError, "an edition is a year written as a whole number"),
    (lambda: keywords.trend([""]), cit.QueryError, "a term is a non-empty word or phrase"),
    (lambda: keywords.trend(5), cit.QueryError, "terms are a word or phrase, or a list of them"),
])
def test_library_calls_with_wrong_arguments_name_what_is_accepted(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_single_term_is_one_term():
    assert keywords.trend("5G")["term"].unique().tolist() == ["5G"]


def test_an_edition_that_holds_nothing_is_an_empty_frame_not_an_error():
    assert isinstance(cit.events(2018), pd.DataFrame) and cit.events(2018).empty


# ----------------------------------------------------------------------------------------------
# Descriptors damaged at random


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
                           lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
                           max_leaves=12)


def _places(node: object, places: list[tuple[object, object]]) -> list[tuple[object, object]]:
    """Every (container, key) in a JSON document, depth first."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    for key, value in list(items):
        places.append((node, key))
        _places(value, places)
    return places


@st.composite
def damaged_descriptor(draw, descriptor: dict) -> dict:
    """The descriptor (its Table Schemas inline) with one to three values anywhere replaced by arbitrary JSON."""
    damaged = json.loads(json.dumps(descriptor))
    for _ in range(draw(st.integers(1, 3))):
        container, key = draw(st.sampled_from(_places(damaged, [])))
        container[key] = draw(JSON_VALUES)
    return damaged


@pytest.fixture(scope="module")
def small_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four tables of the shipped package (as in test_fuzz.py), their Table Schemas inline in the descriptor."""
    return few_tables(tmp_path_factory.mktemp("descriptors") / "package", inline_schemas=True)  # inline, so damage reaches them


@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_descriptor_never_raises(small_package: Path, data, no_network):
    original = (small_package / "datapackage.json").read_text(encoding="utf-8")
    damaged = data.draw(damaged_descriptor(json.loads(original)), label="descriptor")
    try:
        (small_package / "datapackage.json").write_text(json.dumps(damaged, ensure_ascii=False), encoding="utf-8")
        report = cit.validate(path=small_package)
        assert isinstance(report, cit.Report)
        assert all(isinstance(str(problem), str) for problem in report.problems)
        for name in RESOURCES:  # the loaders either read the table or say why not
            try:
                assert isinstance(cit.load(name, path=small_package), pd.DataFrame)
            except (cit.DataPackageError, cit.QueryError) as refused:
                assert str(refused)
    finally:
        (small_package / "datapackage.json").write_text(original, encoding="utf-8")
    assert no_network == []
