"""Export to xlsx, sqlite and parquet: every table, with what its Table Schema says, never overwriting
without --force. Each test opens the files written and checks their content."""

from __future__ import annotations

import asyncio
import datetime
import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import china_internet_trends as cit
from china_internet_trends import dtypes
from china_internet_trends.export import ExportNote, ExportRefused, export
from conftest import ROOT, edit_cell

ALL = tuple(cit.open().tables)
SCHEMAS = {name: json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8")) for name in ALL}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "china_internet_trends", *args], capture_output=True, text=True)


# SQLite


@pytest.fixture(scope="module")
def sqlite_export(tmp_path_factory) -> tuple[Path, Path]:
    database, metadata = export(tmp_path_factory.mktemp("sqlite") / "out", "sqlite")
    return database, metadata


def test_sqlite_holds_every_table_with_all_rows(sqlite_export):
    database, _ = sqlite_export
    with sqlite3.connect(database) as connection:
        for name in ALL:
            assert pd.read_sql(f"select count(*) n from {name}", connection)["n"][0] == len(cit.load(name))
        published = pd.read_sql("select published from editions where edition = 2017", connection)["published"][0]
        editions_2017 = connection.execute("select count(*) from events where edition = 2017").fetchone()[0]
    assert published == "2018-01-09"
    assert editions_2017 == 10


def test_sqlite_columns_have_the_schema_types(sqlite_export):
    database, _ = sqlite_export
    with sqlite3.connect(database) as connection:
        declared = {(table, row[1]): (row[2], row[3]) for table in ALL
                    for row in connection.execute(f"PRAGMA table_info({table})")}
        stored = connection.execute("select typeof(edition), typeof(published) from editions limit 1").fetchone()
        scale = connection.execute("select typeof(scale) from units limit 1").fetchone()[0]
    assert declared[("editions", "edition")] == ("INTEGER", 1)          # type, NOT NULL
    assert declared[("editions", "published")] == ("TEXT", 0)
    assert declared[("units", "scale")][0] == "REAL"
    assert declared[("sections", "parent_id")] == ("TEXT", 0)
    assert stored == ("integer", "text") and scale == "real"
    assert len(declared) == sum(len(schema["fields"]) for schema in SCHEMAS.values())


def test_sqlite_has_every_primary_and_foreign_key_of_the_schemas(sqlite_export):
    database, _ = sqlite_export
    declared = {}
    with sqlite3.connect(database) as connection:
        for name, schema in SCHEMAS.items():
            key = [row[1] for row in sorted(connection.execute(f"PRAGMA table_info({name})"), key=lambda r: r[5]) if row[5]]
            assert key == schema["primaryKey"], name
            declared[name] = {(row[2], row[3], row[4]) for row in connection.execute(f"PRAGMA foreign_key_list({name})")}
            expected = {(fk["reference"]["resource"] or name, fk["fields"][0], fk["reference"]["fields"][0])
                        for fk in schema.get("foreignKeys", [])}
            assert declared[name] == expected, name
    assert ("sections", "parent_id", "section_id") in declared["sections"]
    assert ("forecasts", "forecast_id", "forecast_id") in declared["outcomes"]


def test_sqlite_keys_hold_and_are_enforced(sqlite_export):
    database, _ = sqlite_export
    connection = sqlite3.connect(database, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        event = "insert into events (event_id, edition, rank, title_zh, title_en, summary_en, theme, source_id) values (?, 2017, 1, 't', 't', 's', ?, 'isc-2017-report')"
        connection.execute("BEGIN")
        connection.execute(event, ("2017-E99", "no_such_theme"))
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            connection.execute("COMMIT")
        connection.execute("ROLLBACK")
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute(event, ("2017-E01", "strategy"))
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute("update sections set part = 'neither' where section_id = '2017-R1'")
        child = "insert into sections (section_id, edition, part, chapter, number, parent_id, heading_zh, heading_en, theme, source_id) values ('2017-R9.1', 2017, 'review', 9, 1, '2017-R9', 'h', 'h', 'industry', 'isc-2017-report')"
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            connection.execute(child)  # outside a transaction: its parent 2017-R9 does not exist
    finally:
        connection.close()


def test_datasette_serves_the_documented_database(sqlite_export):
    from datasette.app import Datasette
    from markupsafe import escape

    database, metadata_file = sqlite_export
    metadata = json.loads(metadata_file.read_text(encoding="utf-8"))
    parent = next(f for f in SCHEMAS["sections"]["fields"] if f["name"] == "parent_id")

    async def visit():
        datasette = Datasette([str(database)], metadata=metadata)
        index = await datasette.client.get("/")
        page = await datasette.client.get("/china-internet-trends/sections")
        rows = await datasette.client.get("/china-internet-trends/sections.json?_shape=objects&section_id=2017-R1.1")
        violations = await datasette.get_database("china-internet-trends").execute("PRAGMA foreign_key_check")
        return index, page, rows, violations.rows

    index, page, rows, violations = asyncio.run(visit())
    assert index.status_code == 200 and str(escape(SCHEMAS["sections"]["title"])) in page.text
    assert "CC-BY-4.0" in index.text
    assert page.status_code == 200
    assert str(escape(SCHEMAS["sections"]["description"])) in page.text
    assert str(escape(parent["description"])) in page.text
    assert 'href="/china-internet-trends/sections/2017-R1"' in page.text      # parent_id is a link: datasette sees the self-reference
    assert rows.json()["rows"][0]["parent_id"] == "2017-R1"
    assert violations == []


def test_sqlite_export_of_a_broken_reference_fails_and_writes_nothing(package_copy: Path, tmp_path: Path):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 3, "theme", "no_such_theme")
    target = tmp_path / "out"
    with pytest.raises(cit.DataPackageError) as caught:
        export(target, "sqlite", path=package_copy)
    [problem] = caught.value.report.problems
    assert (problem.file, problem.column, problem.value) == ("events", "theme", "no_such_theme")
    assert "no row of themes" in problem.message
    assert list(target.iterdir()) == []
    result = run_cli("--package", str(package_copy), "export", "--format", "sqlite", str(target))
    assert result.returncode == 1 and "no_such_theme" in result.stderr and "Traceback" not in result.stderr
    assert list(target.iterdir()) == []


# xlsx


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> openpyxl.Workbook:
    [file] = export(tmp_path_factory.mktemp("xlsx") / "out", "xlsx")
    return openpyxl.load_workbook(file)


def header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1]]


def test_xlsx_has_a_readme_the_fields_one_sheet_per_table_and_the_derived_sheets(workbook):
    assert workbook.sheetnames == ["readme", "fields", *ALL, "figures_base", "scorecard_latest", "series_points"]
    events = workbook["events"]
    titles = [row[header(events).index("title_zh")] for row in events.iter_rows(min_row=2, values_only=True)]
    assert titles == cit.load("events")["title_zh"].tolist()
    assert len(list(workbook["sources"].iter_rows(min_row=2))) == len(cit.sources())


def test_xlsx_dates_are_date_cells(workbook):
    sheet = workbook["editions"]
    column = header(sheet).index("published")
    published = {row[0].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert isinstance(published[2017].value, datetime.datetime)
    assert published[2017].value == datetime.datetime(2018, 1, 9)
    assert published[2017].number_format == "yyyy-mm-dd"
    assert published[2014].value is None            # published month only: no date
    milestones = workbook["milestones"]
    dates = [row[header(milestones).index("date")] for row in milestones.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(value, datetime.datetime) for value in dates)


def test_xlsx_header_is_frozen_and_columns_have_widths(workbook):
    for name in ALL + ("fields",):
        sheet = workbook[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref, name
        for letter in (openpyxl.utils.get_column_letter(i) for i in range(1, sheet.max_column + 1)):
            assert 6 <= sheet.column_dimensions[letter].width <= 60, (name, letter)
    events = workbook["events"]
    widths = {name: events.column_dimensions[openpyxl.utils.get_column_letter(i)].width for i, name in enumerate(header(events), start=1)}
    assert widths["title_zh"] > widths["rank"] and widths["title_zh"] >= 40
    assert events["A1"].font.bold


def test_xlsx_fields_sheet_lists_every_column_of_every_table(workbook):
    sheet = workbook["fields"]
    assert header(sheet)[:6] == ["table", "column", "type", "title", "description", "required"]
    rows = pd.DataFrame(list(sheet.iter_rows(min_row=2, values_only=True)), columns=header(sheet))
    expected = [(name, field["name"]) for name, schema in SCHEMAS.items() for field in schema["fields"]]
    assert list(zip(rows["table"], rows["column"])) == expected
    parent = rows.set_index(["table", "column"]).loc[("sections", "parent_id")]
    assert (parent["title"], parent["foreign_key"]) == ("Parent", "sections.section_id")
    assert rows.set_index(["table", "column"]).loc[("sections", "part"), "constraints"] == "enum: review, trends"


def test_xlsx_readme_describes_the_package_and_each_sheet(workbook):
    cells = {row[0]: row[1:] for row in workbook["readme"].iter_rows(values_only=True) if row[0]}
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert cells["title"][0] == descriptor["title"]
    assert cells["licence"][0].startswith("CC-BY-4.0")
    assert cells["events"][:2] == ("Events", len(cit.load("events")))
    assert cells["dropped"][0].startswith("nothing")


def test_xlsx_text_that_looks_like_a_formula_stays_text(package_copy: Path, tmp_path: Path):
    events_csv = package_copy / "datasets" / "2017" / "events.csv"
    formulas = {"title_en": '=HYPERLINK("http://example.com","click")', "summary_en": "+1+1", "note": "@SUM(A1)", "title_zh": "-2+3"}
    for column, text in formulas.items():
        edit_cell(events_csv, 2, column, text)
    [file] = export(tmp_path / "out", "xlsx", path=package_copy)
    sheet = openpyxl.load_workbook(file)["events"]
    row = {name: sheet.cell(2, i) for i, name in enumerate(header(sheet), start=1)}
    for column, text in formulas.items():
        assert row[column].value == text and row[column].data_type == "s", column
        assert row[column].quotePrefix, column
    index = openpyxl.load_workbook(file).sheetnames.index("events") + 1
    xml = zipfile.ZipFile(file).read(f"xl/worksheets/sheet{index}.xml").decode("utf-8")
    assert "<f>" not in xml and "<f " not in xml


def test_xlsx_drops_control_characters_and_says_so(package_copy: Path, tmp_path: Path):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 2, "title_en", "bell\x07 and escape\x1b here")
    with pytest.warns(ExportNote, match="1 cell"):
        [file] = export(tmp_path / "out", "xlsx", path=package_copy)
    book = openpyxl.load_workbook(file)
    sheet = book["events"]
    column = header(sheet).index("title_en") + 1
    assert sheet.cell(2, column).value == "bell and escape here"
    readme = [row for row in book["readme"].iter_rows(values_only=True)]
    letter = openpyxl.utils.get_column_letter(column)
    assert ("", f"events!{letter}2", "title_en", "2 character(s)") in [tuple("" if v is None else v for v in row) for row in readme]
    result = run_cli("--package", str(package_copy), "export", "--format", "xlsx", "--force", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "note: xlsx: control characters" in result.stdout and "1 cell(s)" in result.stdout


# Parquet


def test_parquet_keeps_the_loaders_dtypes(tmp_path: Path):
    files = export(tmp_path / "out", "parquet")
    assert sorted(p.stem for p in files) == sorted(ALL)
    arrow_types = {"string": (pa.types.is_string, pa.types.is_large_string), "integer": (pa.types.is_int64,),
                   "number": (pa.types.is_float64,), "date": (pa.types.is_timestamp,)}
    for name, schema in SCHEMAS.items():
        back = pd.read_parquet(tmp_path / "out" / f"{name}.parquet")
        loaded = cit.load(name)
        assert back.dtypes.astype(str).tolist() == loaded.dtypes.astype(str).tolist(), name   # text's storage is pandas' choice
        pd.testing.assert_frame_equal(dtypes.stable(back), loaded)
        arrow = pq.read_schema(tmp_path / "out" / f"{name}.parquet")
        for field in schema["fields"]:
            assert any(check(arrow.field(field["name"]).type) for check in arrow_types[field["type"]]), (name, field["name"])


def test_parquet_describes_each_field_and_table(tmp_path: Path):
    export(tmp_path / "out", "parquet")
    for name, schema in SCHEMAS.items():
        arrow = pq.read_schema(tmp_path / "out" / f"{name}.parquet")
        assert arrow.metadata[b"title"].decode() == schema["title"]
        assert arrow.metadata[b"description"].decode() == schema["description"]
        assert b"pandas" in arrow.metadata
        for field in schema["fields"]:
            described = arrow.field(field["name"]).metadata
            assert described[b"title"].decode() == field["title"], (name, field["name"])
            assert described[b"description"].decode() == field["description"], (name, field["name"])


# The target folder


def test_non_empty_target_is_refused_and_left_alone(tmp_path: Path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(ExportRefused):
        export(target, "sqlite")
    assert [p.name for p in target.iterdir()] == ["keep.txt"]
    result = run_cli("export", "--format", "sqlite", str(target))
    assert result.returncode == 1 and "refused" in result.stderr
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_force_replaces_and_leaves_no_partial_files(tmp_path: Path):
    target = tmp_path / "out"
    export(target, "sqlite")
    (target / "china-internet-trends.sqlite").write_bytes(b"old")
    result = run_cli("export", "--format", "sqlite", "--force", str(target))
    assert result.returncode == 0, result.stderr
    assert "china-internet-trends.sqlite" in result.stdout and "metadata.json" in result.stdout
    assert sorted(p.name for p in target.iterdir()) == ["china-internet-trends.sqlite", "metadata.json"]
    with sqlite3.connect(target / "china-internet-trends.sqlite") as connection:
        assert connection.execute("select count(*) from editions").fetchone()[0] == len(cit.editions())
