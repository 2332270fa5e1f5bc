"""Each notebook is a jupytext py:percent file with a paired .ipynb holding the same cells.

The notebooks themselves run under nbmake as part of the suite (pytest collects notebooks/*.ipynb).
"""

from __future__ import annotations

import jupytext
import nbformat
import pytest

from conftest import ROOT

SCRIPTS = sorted((ROOT / "notebooks").glob("*.py"))


def test_there_are_three_notebooks():
    assert [p.stem[:2] for p in SCRIPTS] == ["01", "02", "03"]


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_ipynb_matches_its_py_percent_source(script):
    paired = script.with_suffix(".ipynb")
    assert paired.exists(), f"run: jupytext --to ipynb {script.relative_to(ROOT)}"
    from_script = jupytext.read(script)
    from_notebook = nbformat.read(paired, as_version=4)
    assert [(c.cell_type, c.source) for c in from_script.cells] == [(c.cell_type, c.source) for c in from_notebook.cells]
    assert from_notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"
