"""scripts/audit_against_source.py finds exactly what a source text lacks.

The real source text is not in the repository, so these tests give the audit a text built from
the package itself, with white space and full-width forms as a PDF extraction has them, and
then take pieces out of it.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

import china_internet_trends as cit
from conftest import ROOT

spec = importlib.util.spec_from_file_location("audit_against_source", ROOT / "scripts" / "audit_against_source.py")
audit = importlib.util.module_from_spec(spec)
sys.modules["audit_against_source"] = audit
spec.loader.exec_module(audit)


@pytest.fixture(scope="module")
def package() -> cit.Package:
    return cit.open()


@pytest.fixture(scope="module")
def pieces(package: cit.Package) -> list[str]:
    """Every piece of the 2017 edition the audit looks for, each as it would be printed."""
    figures = audit._as_written(package, "indicators")
    printed = [f"{row.value}{row.unit}".replace("%", "％") for row in figures.itertuples() if "printed as" not in row.note.lower()]
    names = [*package.sections(2017)["heading_zh"], *package.events(2017)["title_zh"],
             *package.milestones(2017)["name_zh"], *package.forecasts(2017)["claim_zh"],
             *package.load("forecast_clauses", 2017)["clause_zh"]]
    return printed + names


def text_of(pieces: list[str]) -> str:
    """The pieces as a PDF extraction prints them: separated by prose, broken across lines."""
    return "。正文\n".join(piece[:2] + "\n " + piece[2:] for piece in pieces)


def test_a_text_holding_every_piece_has_no_findings(package: cit.Package, pieces: list[str]):
    assert len(pieces) > 250
    assert audit.audit(package, text_of(pieces)) == []


def test_each_missing_piece_is_one_finding(package: cit.Package, pieces: list[str]):
    heading = package.sections(2017)["heading_zh"].iloc[3]
    figures = audit._as_written(package, "indicators")
    figure = figures[~figures["note"].str.lower().str.contains("printed as")].iloc[0]
    printed_figure = f"{figure.value}{figure.unit}".replace("%", "％")
    kept = [piece for piece in pieces if piece not in (heading, printed_figure)]
    findings = audit.audit(package, text_of(kept))
    assert f"heading not printed in the source: {heading}" in findings
    assert f"figure {figure.indicator_id}: {figure.value}{figure.unit} is not in the source" in findings
    assert all(heading in finding or printed_figure.replace("％", "%") in finding for finding in findings), findings


def test_a_figure_inside_a_longer_number_is_not_found():
    rows = audit.pd.DataFrame({"indicator_id": ["a"], "value": ["7.7"], "unit": ["亿"], "note": [""]})
    assert audit.missing_figures(rows, "达17.7亿") == ["figure a: 7.7亿 is not in the source"]
    assert audit.missing_figures(rows, "达7.7余亿") == []


def test_the_command_exits_1_with_one_line_per_finding(tmp_path, capsys):
    source = tmp_path / "source.txt"
    source.write_text("只有一句话。", encoding="utf-8")
    assert audit.main([str(source)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1].endswith(f"{len(out) - 1} findings") and len(out) > 250
    assert audit.main([str(tmp_path / "absent.txt")]) == 1
    assert "error: the source text is not at" in capsys.readouterr().err
