"""Shared fixtures: the repository root and a throw-away copy of the package to break."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]


# Hypothesis: a few examples of each property in the everyday run; each property's full number in
# CI's heavy run, which sets HYPOTHESIS_PROFILE=ci. No deadline: speed lives in benchmarks/.
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "everyday")
settings.register_profile("everyday", max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(PROFILE)


def examples(full: int) -> int:
    """How many examples a property draws: ``full`` in the ci profile, the everyday profile's few otherwise."""
    return full if PROFILE == "ci" else settings.get_profile("everyday").max_examples


def pytest_report_header() -> str:
    """The versions under test, so a CI log shows which of the two runs (newest or lowest) it is."""
    from importlib import metadata

    names = ("pandas", "numpy", "pandera", "frictionless", "pyarrow", "matplotlib")
    return "versions: " + ", ".join(f"{name} {metadata.version(name)}" for name in names)


@pytest.fixture(autouse=True)
def terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI fits its output to COLUMNS: fix it at 80 so every test sees the same layout whatever the
    environment. A test that wants another width sets it again; tests/test_cli.py also runs without it."""
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of datapackage.json, schemas/ and datasets/ in a temporary folder."""
    target = tmp_path / "package"
    target.mkdir()
    shutil.copy(ROOT / "datapackage.json", target)
    shutil.copytree(ROOT / "schemas", target / "schemas")
    shutil.copytree(ROOT / "datasets", target / "datasets")
    return target


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]], fieldnames: list[str] | None = None) -> None:
    fieldnames = fieldnames or list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts like a spreadsheet (the header is row 1)."""
    rows = read_rows(path)
    rows[row - 2][column] = value
    write_rows(path, rows)
