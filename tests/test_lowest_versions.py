"""The pins the suite's second run uses are exactly the floors pyproject.toml declares.

The README's test command runs the suite twice: with the newest versions pyproject.toml allows, and
with ``.ci/lowest-versions.txt``, which pins every direct dependency (runtime and the ``test`` extra)
at its floor. These tests keep the two files in step, so a floor is always a version the suite ran on.
"""

from __future__ import annotations

import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import ROOT


def floors() -> dict[str, Version]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    result = {}
    for requirement in requirements:
        [floor] = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
        result[canonicalize_name(requirement.name)] = floor
    return result


def pins() -> dict[str, Version]:
    lines = (ROOT / ".ci" / "lowest-versions.txt").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("==") for line in lines if line.strip() and not line.startswith("#")]
    return {canonicalize_name(name): Version(version) for name, version in pairs}


def test_every_floor_is_pinned_and_every_pin_is_a_floor():
    assert pins() == floors()


def test_the_build_backend_floor_is_the_tested_one():
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    assert [Requirement(r) for r in build][0].specifier.contains(str(pins()["hatchling"]))


def test_installed_versions_are_within_the_floors():
    for name, floor in floors().items():
        assert Version(metadata.version(name)) >= floor, name
