"""The shipped package is valid for frictionless alone, for our merged validation and for the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import frictionless

import china_internet_trends as cit
from conftest import ROOT


def test_frictionless_alone_reports_valid():
    report = frictionless.validate(str(ROOT / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_command_reports_valid():
    frictionless_cli = ROOT / ".venv" / "bin" / "frictionless"
    command = [str(frictionless_cli)] if frictionless_cli.exists() else [sys.executable, "-m", "frictionless"]
    result = subprocess.run([*command, "validate", "datapackage.json"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-2000:]


def test_merged_validation_reports_valid():
    report = cit.validate()
    assert report.valid, str(report)


def test_cli_validate_exits_zero():
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "validate"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("valid")


def test_descriptor_declares_data_package_v2_and_metadata():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    for key in ("name", "title", "description", "version", "licenses", "sources", "contributors", "keywords", "created"):
        assert descriptor.get(key), key
    assert all(res["encoding"] == "utf-8" for res in descriptor["resources"])


def test_every_schema_is_a_resource_and_every_field_is_documented():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    schema_files = {p.stem for p in (ROOT / "schemas").glob("*.json")}
    assert {res["name"] for res in descriptor["resources"]} == schema_files
    for name in schema_files:
        schema = json.loads((ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
        assert schema.get("primaryKey"), name
        for field in schema["fields"]:
            assert field.get("title") and field.get("description"), f"{name}.{field['name']}"


def test_edition_tables_are_multipart_over_edition_folders():
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        if res["name"] in cit.open().edition_tables:
            assert isinstance(res["path"], list)
            assert all(p.startswith("datasets/") and p.endswith(f"/{res['name']}.csv") for p in res["path"])


def test_the_package_the_library_and_the_citation_share_one_version():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["version"]
    citation = next(line.split(":", 1)[1].strip() for line in (ROOT / "CITATION.cff").read_text(encoding="utf-8").splitlines()
                    if line.startswith("version:"))
    assert project == descriptor == cit.__version__ == citation
    assert f"## {project} (" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_the_pre_commit_hook_runs_the_validate_command_on_data_edits():
    import re
    import tomllib

    import yaml

    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    script = hook["entry"].split()[0]
    assert script in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert hook["entry"].split()[1:] == ["validate"] and hook["pass_filenames"] is False
    data = ["datapackage.json", "schemas/events.json", "datasets/2017/events.csv", "datasets/editions.csv"]
    assert all(re.search(hook["files"], path) for path in data)
    assert not re.search(hook["files"], "src/china_internet_trends/cli.py")
