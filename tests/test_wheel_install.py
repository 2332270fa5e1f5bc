"""The built wheel carries the data and works from another directory, in a fresh virtual environment."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import ROOT

CHECK = """
import china_internet_trends as cit, pathlib
assert "site-packages" in cit.__file__, cit.__file__
p = cit.open()
assert p.path.parent.name == "_data" and p.read_only, p.path
for name in p.tables:
    print(name, len(p.load(name)))
assert len(cit.events(2017)) == 10
assert cit.validate().valid
"""


@pytest.mark.heavy
def test_wheel_installs_into_a_fresh_venv_and_loads_every_table(tmp_path: Path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = wheels.glob("china_internet_trends-*.whl")

    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The fresh venv gets the project's dependencies from this environment's site-packages
    # (a plain path, so the editable install's .pth hook is not processed), and the project from the wheel.
    fresh_site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                     check=True, capture_output=True, text=True).stdout.strip())
    (fresh_site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(python), "-c", CHECK], cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "indicators" in result.stdout

    cli = subprocess.run([str(env_dir / "bin" / "china-internet-trends"), "validate"], cwd=elsewhere, capture_output=True, text=True)
    assert cli.returncode == 0, cli.stdout + cli.stderr
