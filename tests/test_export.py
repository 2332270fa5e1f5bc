"""Export to xlsx, sqlite and parquet: every table, readable back, never overwriting without --force."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import tables
from china_internet_trends.export import ExportRefused, export

ALL = tables.REFERENCE_TABLES + tables.EDITION_TABLES


def test_sqlite_holds_every_table_with_all_rows(tmp_path: Path):
    [database] = export(tmp_path / "out", "sqlite")
    with sqlite3.connect(database) as connection:
        for name in ALL:
            assert pd.read_sql(f"select count(*) n from {name}", connection)["n"][0] == len(cit.load(name))
        published = pd.read_sql("select published from editions where edition = 2017", connection)["published"][0]
    assert published == "2018-01-09"


def test_xlsx_has_one_sheet_per_table(tmp_path: Path):
    [workbook] = export(tmp_path / "out", "xlsx")
    sheets = pd.read_excel(workbook, sheet_name=None)
    assert set(sheets) == set(ALL)
    assert sheets["events"]["title_zh"].tolist() == cit.load("events")["title_zh"].tolist()


def test_parquet_keeps_dtypes(tmp_path: Path):
    files = export(tmp_path / "out", "parquet")
    assert sorted(p.stem for p in files) == sorted(ALL)
    back = pd.read_parquet(tmp_path / "out" / "indicators.parquet")
    pd.testing.assert_frame_equal(back, cit.indicators(), check_dtype=False)
    assert str(back["period_end"].dtype).startswith("datetime64")


def test_non_empty_target_is_refused_and_left_alone(tmp_path: Path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(ExportRefused):
        export(target, "sqlite")
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "export", "--format", "sqlite", str(target)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "refused" in result.stderr
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_force_replaces_and_leaves_no_partial_files(tmp_path: Path):
    target = tmp_path / "out"
    export(target, "sqlite")
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "export", "--format", "sqlite", "--force", str(target)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in target.iterdir()) == ["china-internet-trends.sqlite"]
