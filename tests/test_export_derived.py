"""The derived sheets (xlsx) and views (SQLite): figures_base, scorecard_latest and series_points, a
spreadsheet or SQL user's tables without joins. Each must equal what the library computes, and its
base values, verdicts and series must agree with the CSV files read here directly."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends.export import ExportRefused, export
from conftest import ROOT, read_rows, write_rows

DERIVED = ("figures_base", "scorecard_latest", "series_points")
MARKER = "… [continued in sheet overflow, rows "


def csv_rows(table: str) -> list[dict[str, str]]:
    """Every row of ``table`` read straight from its CSV file(s), not through the library."""
    files = sorted((ROOT / "datasets").glob(f"*/{table}.csv")) or [ROOT / "datasets" / f"{table}.csv"]
    return [row for file in files for row in read_rows(file)]


@pytest.fixture(scope="module")
def expected() -> dict[str, pd.DataFrame]:
    """Each derived table as the library's public readers give it."""
    p = cit.open()
    cards = pd.concat([p.scorecard(edition).forecasts.assign(edition=edition) for edition in p.editions_held()], ignore_index=True)
    points = pd.concat([p.series(row.series_id).assign(name_zh=row.name_zh, name_en=row.name_en)
                        for row in p.series_table().itertuples()], ignore_index=True)
    named = ["series_id", "name_zh", "name_en"]
    return {"figures_base": p.figures(),
            "scorecard_latest": cards[["edition", *cards.columns.drop("edition")]],
            "series_points": points[[*named, *points.columns.drop(named)]]}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> openpyxl.Workbook:
    [file] = export(tmp_path_factory.mktemp("xlsx") / "out", "xlsx")
    return openpyxl.load_workbook(file)


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> tuple[Path, dict]:
    database, metadata = export(tmp_path_factory.mktemp("sqlite") / "out", "sqlite")
    return database, json.loads(metadata.read_text(encoding="utf-8"))


def sheet_frame(book: openpyxl.Workbook, name: str) -> pd.DataFrame:
    rows = list(book[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def view_frame(database: Path, name: str) -> pd.DataFrame:
    with sqlite3.connect(database) as connection:
        return pd.read_sql(f"select * from {name}", connection)


def as_library(frame: pd.DataFrame, like: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (read back from a file) with the dtypes of the library's frame ``like``."""
    assert list(frame.columns) == list(like.columns)
    return frame.astype(like.dtypes.to_dict())


# Equal to the library


@pytest.mark.parametrize("name", DERIVED)
def test_each_derived_sheet_equals_the_librarys_frame(workbook, expected, name):
    pd.testing.assert_frame_equal(as_library(sheet_frame(workbook, name), expected[name]), expected[name], check_exact=True)


@pytest.mark.parametrize("name", DERIVED)
def test_each_derived_view_equals_the_librarys_frame(database, expected, name):
    pd.testing.assert_frame_equal(as_library(view_frame(database[0], name), expected[name]), expected[name], check_exact=True)


def test_the_views_are_views_over_the_exported_tables(database):
    with sqlite3.connect(database[0]) as connection:
        kinds = dict(connection.execute("select name, type from sqlite_master where name in (?, ?, ?)", DERIVED).fetchall())
        connection.execute("update units set scale = scale * 2 where unit = '万户'")
        doubled = connection.execute("select base_value / value from figures_base where row_id = '2017-I008'").fetchone()[0]
        connection.rollback()
    assert kinds == dict.fromkeys(DERIVED, "view")
    assert doubled == 20_000          # the view reads the units table as it is now


# Against the CSV files


def test_base_values_are_value_times_the_units_scale(workbook, database):
    units = {row["unit"]: row for row in csv_rows("units")}
    assert (units["万户"]["scale"], units["亿人"]["scale"]) == ("10000", "100000000")
    printed = {row["indicator_id"]: row for row in csv_rows("indicators")} | {row["observation_id"]: row for row in csv_rows("observations")}
    for frame in (sheet_frame(workbook, "figures_base"), view_frame(database[0], "figures_base")):
        assert sorted(frame["row_id"]) == sorted(printed)
        rows = frame.set_index("row_id")
        assert rows.loc["2017-I008", ["value", "unit", "base_value", "base_unit"]].tolist() == [32115.7, "万户", 321_157_000, "accounts"]
        assert rows.loc["2017-I028", ["base_value", "base_unit"]].tolist() == [620_000_000, "persons"]
        for row_id, row in printed.items():
            unit = units[row["unit"]]
            assert rows.loc[row_id, "base_value"] == float(Decimal(row["value"]) * Decimal(unit["scale"])), row_id
            assert rows.loc[row_id, "base_unit"] == unit["base_unit"], row_id
            assert (rows.loc[row_id, "unit"], rows.loc[row_id, "comparator"]) == (row["unit"], row["comparator"]), row_id


def test_scorecard_has_one_row_per_forecast_with_its_latest_verdict(workbook, database):
    latest = {}
    for outcome in sorted(csv_rows("outcomes"), key=lambda row: (row["as_of"], row["outcome_id"])):
        latest[outcome["forecast_id"]] = outcome
    forecasts = csv_rows("forecasts")
    card_2017 = cit.open().scorecard(2017).forecasts.set_index("forecast_id")
    for frame in (sheet_frame(workbook, "scorecard_latest"), view_frame(database[0], "scorecard_latest")):
        assert sorted(frame["forecast_id"]) == sorted(row["forecast_id"] for row in forecasts)      # one row each
        rows = frame.set_index("forecast_id")
        for forecast in forecasts:
            outcome = latest.get(forecast["forecast_id"], {"verdict": "not_judged", "source_id": None})
            assert rows.loc[forecast["forecast_id"], "verdict"] == outcome["verdict"], forecast["forecast_id"]
            assert rows.loc[forecast["forecast_id"], "evidence_source_id"] == outcome["source_id"], forecast["forecast_id"]
            assert rows.loc[forecast["forecast_id"], "edition"] == int(forecast["edition"])
        in_2017 = rows[rows["edition"] == 2017]
        assert in_2017["verdict"].to_dict() == card_2017["verdict"].to_dict()
        assert len(in_2017) == 32


def test_series_points_cover_every_series_and_every_point(workbook, database, expected):
    listed = cit.open().series_table()["series_id"].tolist()
    counts = Counter(row["series_id"] for row in csv_rows("indicators") + csv_rows("observations") if row["series_id"])
    assert Counter(expected["series_points"]["series_id"]) == counts             # p.series(id) for each id
    for frame in (sheet_frame(workbook, "series_points"), view_frame(database[0], "series_points")):
        assert list(dict.fromkeys(frame["series_id"])) == listed                    # every series, in the table's order
        assert Counter(frame["series_id"]) == counts
        named = frame.drop_duplicates("series_id").set_index("series_id")
        assert named.loc["fixed_broadband_households", "name_zh"] == "固定宽带家庭用户数"


# Described


def test_the_readme_marks_each_derived_sheet(workbook, expected):
    cells = {row[0]: row[1:] for row in workbook["readme"].iter_rows(values_only=True) if row[0]}
    for name in DERIVED:
        title, rows, note = cells[name][:3]
        assert rows == len(expected[name]) and title
        assert note.startswith("Derived, not a table of the package") and "Regenerated from the tables on every export" in note
    assert "p.figures()" in cells["figures_base"][2]


def test_datasette_metadata_describes_the_views(database):
    file, metadata = database
    tables = metadata["databases"]["china-internet-trends"]["tables"]
    with sqlite3.connect(file) as connection:
        for name in DERIVED:
            columns = [row[1] for row in connection.execute(f"PRAGMA table_info({name})")]
            assert tables[name]["title"] and tables[name]["description"].startswith("Derived, not a table of the package"), name
            assert list(tables[name]["columns"]) == columns, name
            assert all(tables[name]["columns"].values()), name
    assert tables["figures_base"]["columns"]["value"] == "Value: The number exactly as printed, in the printed unit."
    assert tables["scorecard_latest"]["columns"]["verdict"].endswith("not_judged when none.")


def test_datasette_serves_a_view_with_its_description(database):
    from datasette.app import Datasette
    from markupsafe import escape

    file, metadata = database
    view = metadata["databases"]["china-internet-trends"]["tables"]["figures_base"]

    async def visit():
        datasette = Datasette([str(file)], metadata=metadata)
        page = await datasette.client.get("/china-internet-trends/figures_base")
        rows = await datasette.client.get("/china-internet-trends/scorecard_latest.json?_shape=objects&forecast_id=2017-F01")
        return page, rows

    page, rows = asyncio.run(visit())
    assert page.status_code == 200 and str(escape(view["description"])) in page.text
    assert rows.json()["rows"][0]["verdict"] == cit.open().scorecard(2017).forecasts.set_index("forecast_id").loc["2017-F01", "verdict"]


# Cells kept whole and never formulas; names kept apart


def test_derived_cells_stay_text_and_keep_long_values(package_copy: Path, tmp_path: Path):
    file = package_copy / "datasets" / "2017" / "indicators.csv"
    rows = read_rows(file)
    figure = next(row for row in rows if row["indicator_id"] == "2017-I008")
    long_note = "长" * 40_000
    figure.update(label_en="=1+1", note=long_note)
    write_rows(file, rows)
    [out] = export(tmp_path / "out", "xlsx", path=package_copy)
    book = openpyxl.load_workbook(out)
    for name, column in (("figures_base", "label_en"), ("figures_base", "note"), ("series_points", "note")):
        sheet = book[name]
        header = [cell.value for cell in sheet[1]]
        row = next(cells for cells in sheet.iter_rows(min_row=2) if cells[header.index("row_id")].value == "2017-I008")
        cell = row[header.index(column)]
        if column == "label_en":
            assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
            continue
        head, rest = cell.value.split(MARKER)
        first, last = map(int, rest.rstrip("]").split("–"))
        parts = list(book["overflow"].iter_rows(min_row=first, max_row=last, values_only=True))
        assert all(part[:2] == (name, cell.coordinate) for part in parts)
        assert head + "".join(part[3] for part in parts) == long_note


def add_table(root: Path, name: str) -> None:
    """A one-column table ``name`` added to the descriptor."""
    (root / "schemas" / f"{name}.json").write_text(json.dumps({"fields": [{"name": "id", "type": "string"}]}), encoding="utf-8")
    (root / "datasets" / f"{name}.csv").write_text("id\na\n", encoding="utf-8")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": name, "path": f"datasets/{name}.csv", "schema": f"schemas/{name}.json",
                                    "format": "csv", "mediatype": "text/csv", "encoding": "utf-8"})
    (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(("table", "fmt"), [("series_points", "sqlite"), ("figures_base", "xlsx"), ("readme", "xlsx")])
def test_a_table_with_a_name_the_export_uses_is_refused(package_copy: Path, tmp_path: Path, table: str, fmt: str):
    add_table(package_copy, table)
    with pytest.raises(ExportRefused, match=f"table named '{table}'"):
        export(tmp_path / "out", fmt, path=package_copy)
    assert not (tmp_path / "out").exists()
    assert export(tmp_path / "parquet", "parquet", path=package_copy)[-1].name == f"{table}.parquet"   # parquet adds no name


@pytest.mark.parametrize("fmt", ["xlsx", "sqlite"])
def test_a_package_without_a_table_the_derived_read_is_refused(package_copy: Path, tmp_path: Path, fmt: str):
    descriptor = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [res for res in descriptor["resources"] if res["name"] != "observations"]
    (package_copy / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(cit.NotInPackage, match="no table 'observations', which the derived figures_base reads"):
        export(tmp_path / "out", fmt, path=package_copy)
    assert not (tmp_path / "out").exists()


def test_the_cli_says_why_it_refuses(package_copy: Path, tmp_path: Path):
    add_table(package_copy, "scorecard_latest")
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "--package", str(package_copy), "export", "--format",
                             "sqlite", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1 and "refused" in result.stderr and "scorecard_latest" in result.stderr
    assert "Traceback" not in result.stderr
