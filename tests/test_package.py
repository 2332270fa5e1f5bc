"""One opened package (``cit.open()``): answers from the package given, fresh after an edit, tables from the
descriptor, one error class for an unknown name, each file read once, no import cycle."""

from __future__ import annotations

import ast
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

import china_internet_trends as cit
from china_internet_trends import integrity
from conftest import ROOT, edit_cell

SOURCE = ROOT / "src" / "china_internet_trends"


def test_an_opened_copy_answers_from_the_copy_and_the_module_from_the_shipped_package(package_copy: Path):
    edit_cell(package_copy / "datasets/2017/events.csv", 2, "title_en", "Edited in the copy")
    assert cit.open(package_copy).events(2017).loc[0, "title_en"] == "Edited in the copy"
    assert cit.events(2017, path=package_copy).loc[0, "title_en"] == "Edited in the copy"
    assert cit.events(2017).loc[0, "title_en"] != "Edited in the copy"


@pytest.mark.parametrize("call", [
    lambda copy: cit.milestones(2017, copy),
    lambda copy: cit.indicators(2017, copy),
    lambda copy: cit.events(2017, copy),
    lambda copy: cit.load("events", 2017, copy),
    lambda copy: cit.editions(copy),
    lambda copy: cit.series("users_4g", copy),
    lambda copy: cit.scorecard(2017, copy),
    lambda copy: cit.coverage([2017], copy),
    lambda copy: cit.fields("events", copy),
    lambda copy: cit.validate(copy),
    lambda copy: cit.compare.events(2016, 2017, copy),
    lambda copy: cit.compare.indicators(2016, 2017, copy),
    lambda copy: cit.compare.themes([2017], ["events"], copy),
    lambda copy: cit.keywords.trend(["5G"], [2017], copy),
], ids=lambda call: "")
def test_a_path_passed_by_position_is_a_type_error(call, package_copy: Path):
    with pytest.raises(TypeError, match="positional argument"):
        call(package_copy)


def test_an_answer_after_a_change_in_the_same_process_is_fresh(package_copy: Path):
    p = cit.open(package_copy)
    assert len(p.events(2017)) == 10 and 2031 not in p.editions_held()
    edit_cell(package_copy / "datasets/2017/events.csv", 3, "title_en", "Changed")
    assert p.events(2017).loc[1, "title_en"] == "Changed"
    subprocess.run([sys.executable, "-m", "china_internet_trends", "--package", str(package_copy), "new-edition", "2031"],
                   check=True, capture_output=True)
    assert 2031 in p.editions_held()
    assert p.events(2031).empty


def test_a_derived_answer_after_a_change_in_the_same_process_is_fresh(package_copy: Path):
    """``figures`` (and so ``series``) and ``coverage`` are computed once per state of the tables they read."""
    p = cit.open(package_copy)
    first = p.series("internet_users").set_index("row_id").loc["O0001"]
    assert (first["value"], first["base_value"]) == (7.10, 7.10e8)
    assert p.coverage([2017]).loc[0, "events_found"] == 10
    edit_cell(package_copy / "datasets/observations.csv", 2, "value", "7.2")
    assert p.series("internet_users").set_index("row_id").loc["O0001", "base_value"] == 7.2e8
    assert p.figures().set_index("row_id").loc["O0001", "value"] == 7.2
    rows = pd.read_csv(package_copy / "datasets/units.csv", dtype=str)
    edit_cell(package_copy / "datasets/units.csv", int(rows.index[rows["unit"] == "亿人"][0]) + 2, "scale", "1000")
    assert p.series("internet_users").set_index("row_id").loc["O0001", "base_value"] == 7200
    edit_cell(package_copy / "datasets/editions.csv", 2 + int(pd.read_csv(package_copy / "datasets/editions.csv")["edition"].eq(2017).idxmax()),
              "events_found", "9")
    assert p.coverage([2017]).loc[0, "events_found"] == 9


def test_an_unchanged_package_reads_each_file_once(tmp_path: Path):
    """``compare 2016 2017`` in a fresh process, every file open counted by an audit hook."""
    script = tmp_path / "count.py"
    script.write_text(
        "import collections, json, sys\n"
        "opened = collections.Counter()\n"
        "sys.addaudithook(lambda event, args: event == 'open' and isinstance(args[0], str) and opened.update([args[0]]))\n"
        "from china_internet_trends.cli import main\n"
        "main(['compare', '2016', '2017', '--format', 'csv'])\n"
        "print(json.dumps({k: v for k, v in opened.items() if k.endswith(('.json', '.csv'))}), file=sys.stderr)\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    opened = json.loads(result.stderr.strip().splitlines()[-1])
    data = {path: count for path, count in opened.items() if Path(path).is_relative_to(ROOT)}
    assert data[str(ROOT / "datapackage.json")] <= 2
    assert max(data.values()) == 1 or data == {}, {k: v for k, v in data.items() if v > 1}
    assert any(path.endswith("events.csv") for path in data)


def add_resource(root: Path) -> None:
    """A new table, ``regions``, with its schema, its file and its hash: no code knows its name."""
    schema = {"fields": [{"name": "region", "type": "string", "title": "Region", "description": "A region's code.",
                          "constraints": {"required": True}},
                         {"name": "population", "type": "integer", "title": "Population", "description": "Persons."}],
              "primaryKey": ["region"]}
    (root / "schemas/regions.json").write_text(json.dumps(schema), encoding="utf-8")
    (root / "datasets/regions.csv").write_text("region,population\nCN-BJ,21893095\nCN-SH,24870895\n", encoding="utf-8")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "regions", "path": "datasets/regions.csv", "schema": "schemas/regions.json",
                                    "format": "csv", "mediatype": "text/csv", "encoding": "utf-8"})
    (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    integrity.refresh(root)


def test_a_resource_added_to_the_descriptor_reaches_every_reader_and_export(package_copy: Path, tmp_path: Path):
    add_resource(package_copy)
    p = cit.open(package_copy)
    assert p.validate().valid, str(p.validate())
    assert "regions" in p.tables
    assert p.load("regions")["population"].tolist() == [21893095, 24870895]
    assert p.fields("regions")["name"].tolist() == ["region", "population"]
    assert "regions" in set(p.fields()["table"])
    from china_internet_trends.export import export

    export(tmp_path / "xlsx", "xlsx", path=package_copy)
    workbook = openpyxl.load_workbook(tmp_path / "xlsx" / "china-internet-trends.xlsx", read_only=True)
    assert [row for row in workbook["regions"].iter_rows(values_only=True)][1] == ("CN-BJ", 21893095)
    export(tmp_path / "sqlite", "sqlite", path=package_copy)
    with sqlite3.connect(tmp_path / "sqlite" / "china-internet-trends.sqlite") as connection:
        assert connection.execute("select count(*) from regions").fetchone()[0] == 2
    export(tmp_path / "parquet", "parquet", path=package_copy)
    assert pq.read_table(tmp_path / "parquet" / "regions.parquet").num_rows == 2


def test_new_edition_scaffolds_every_table_split_by_edition(package_copy: Path):
    descriptor = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))
    (package_copy / "schemas/notes.json").write_text(json.dumps(
        {"fields": [{"name": "note_id", "type": "string"}, {"name": "edition", "type": "integer"}], "primaryKey": ["note_id"]}),
        encoding="utf-8")
    (package_copy / "datasets/2017/notes.csv").write_text("note_id,edition\n2017-N1,2017\n", encoding="utf-8")
    descriptor["resources"].append({"name": "notes", "path": ["datasets/2017/notes.csv"], "schema": "schemas/notes.json"})
    (package_copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    integrity.refresh(package_copy)
    subprocess.run([sys.executable, "-m", "china_internet_trends", "--package", str(package_copy), "new-edition", "2031"],
                   check=True, capture_output=True)
    assert (package_copy / "datasets/2031/notes.csv").read_text(encoding="utf-8") == "note_id,edition\n"
    assert cit.open(package_copy).load("notes", 2031).empty


@pytest.mark.parametrize("call", [
    lambda: cit.load("nope"), lambda: cit.fields("nope"), lambda: cit.series("nope"), lambda: cit.events(1999),
    lambda: cit.open().resource("nope"), lambda: cit.compare.events(2016, 1999), lambda: cit.scorecard(1999),
], ids=["load", "fields", "series", "edition", "resource", "compare", "scorecard"])
def test_an_unknown_name_raises_one_class_from_every_function(call):
    with pytest.raises(cit.NotInPackage) as caught:
        call()
    assert isinstance(caught.value, LookupError) and isinstance(caught.value, cit.Error)


def test_comparison_columns_are_named_by_their_side():
    p = cit.open()
    assert {"title_zh_2016", "theme_2017", "events_found_2016"} <= set(p.compare.events(2016, 2017).columns)
    matched = p.compare.indicators(2017, "observations")
    assert {"value_2017", "value_observations", "figures_2017", "review_coverage_observations"} <= set(matched.columns)
    assert not [c for c in matched.columns if c.endswith(("_a", "_b"))]


def test_a_part_named_twice_is_counted_once():
    assert cit.compare.themes(parts=["events", "events"]).equals(cit.compare.themes(parts=["events"]))


def test_the_modules_import_no_cycle():
    """The graph of module-level relative imports of the library has no cycle (``tables`` and ``holdings``
    once imported each other, hidden by an import inside a function)."""
    graph = {name: set(_imports(name)) for name in _modules()}
    assert graph["cli"] and "package" in graph["compare"], "the graph was not built"
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        assert node not in path, f"import cycle: {' -> '.join(path[path.index(node):] + [node])}"
        if node not in done:
            for target in graph[node]:
                visit(target, [*path, node])
            done.add(node)

    for node in graph:
        visit(node, [])


def _modules() -> set[str]:
    """The library's modules as dotted names relative to it: ``cli``, ``export.sqlite``, ``export.__init__``."""
    return {".".join(p.relative_to(SOURCE).with_suffix("").parts) for p in SOURCE.rglob("*.py")}


def _imports(name: str) -> list[str]:
    """The library modules ``name`` imports at module level (imports inside functions run lazily)."""
    folder = name.split(".")[:-1]
    found = []
    for node in ast.parse((SOURCE / (name.replace(".", "/") + ".py")).read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = folder[: len(folder) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            for alias in node.names:
                for candidate in (base + [alias.name], base, base + ["__init__"]):
                    if ".".join(candidate) in _modules() and ".".join(candidate) != name:
                        found.append(".".join(candidate))
                        break
    return [module for module in found if module != "__init__"]


def test_repr_says_what_is_open(package_copy: Path):
    assert repr(cit.open(package_copy)) == f"<china_internet_trends.Package {package_copy}: 17 tables>"
    assert isinstance(cit.open().events(2017), pd.DataFrame)
