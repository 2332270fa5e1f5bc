"""Wall time of the CLI's commands against the same machine's bare ``import pandas``, and of
``validate`` against ``frictionless validate``, measured in one session, runs interleaved.

Run it with the Python of a runtime install (``pip install .`` in a fresh venv: no editable install,
no test extras, so neither pyarrow nor hypothesis is loaded):

    python3 -m venv /tmp/rt && /tmp/rt/bin/pip install . && /tmp/rt/bin/python benchmarks/commands.py

``--src DIR`` runs checkout DIR's library and package in that venv instead of the installed ones,
without reinstalling: DIR's ``src/china_internet_trends`` is copied into a temporary folder with
DIR's ``datapackage.json``, ``schemas`` and ``datasets`` under ``_data`` (as the wheel lays them
out), compiled to bytecode (as pip does), and put first on ``PYTHONPATH``. ``--before DIR`` does the
same for another checkout (an export of an earlier commit) and times its commands in the same
rounds, so that a change is measured against its baseline on one machine state.

Each measurement is the median of ``--repeats`` runs; the runs of all commands are interleaved
round by round, in a new order each round, so a slow moment of the machine falls on every command alike. Targets (issue
"One opened package"): read-only commands at most 1.2x bare ``import pandas``, ``report`` at most
1.4x, ``validate`` of the shipped package at most 0.6x of ``frictionless validate``. The floor of
``validate``, ``python -c "import pandas, pandera.pandas"`` (the imports it cannot do without), is
given against ``frictionless validate`` too, so each run shows how much of the 0.6x is left for checking.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "bare: python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
    "events 2017": [str(BIN / "china-internet-trends"), "events", "2017"],
    "compare 2016 2017": [str(BIN / "china-internet-trends"), "compare", "2016", "2017"],
    "scorecard 2017": [str(BIN / "china-internet-trends"), "scorecard", "2017"],
    "series users_4g": [str(BIN / "china-internet-trends"), "series", "users_4g"],
    "report": [str(BIN / "china-internet-trends"), "report"],
    "validate": [str(BIN / "china-internet-trends"), "validate"],
    "floor of validate: python -c 'import pandas, pandera.pandas'": [sys.executable, "-c", "import pandas, pandera.pandas"],
}
BASELINES = ("bare", "floor")
"""Runs of bare imports, the same for every tree: timed once, not once per tree."""
TARGETS = {"events 2017": 1.2, "compare 2016 2017": 1.2, "scorecard 2017": 1.2, "series users_4g": 1.2, "report": 1.4}


Env = dict[str, str] | None
"""The environment of a command's process; None: this process's own."""


def frictionless_command(env: Env = None) -> list[str] | None:
    """``frictionless validate`` of the package's datapackage.json (the one ``env`` gives), if frictionless's CLI is there."""
    found = shutil.which("frictionless", path=str(BIN))
    if not found:
        return None
    descriptor = subprocess.run([sys.executable, "-c", "import china_internet_trends as cit; print(cit.open().path)"],
                                capture_output=True, text=True, check=True, env=env).stdout.strip()
    return [found, "validate", descriptor]


def library_copy(checkout: Path, into: Path) -> Env:
    """Lay out ``checkout``'s library and package in ``into`` as the wheel installs them, compiled, and
    return the environment that imports it first (``PYTHONPATH``)."""
    library = into / "china_internet_trends"
    shutil.copytree(checkout / "src" / "china_internet_trends", library, ignore=shutil.ignore_patterns("__pycache__"))
    data = library / "_data"
    data.mkdir()
    shutil.copy2(checkout / "datapackage.json", data / "datapackage.json")
    for folder in ("schemas", "datasets"):
        shutil.copytree(checkout / folder, data / folder)
    compileall.compile_dir(str(library), quiet=1)
    return {**os.environ, "PYTHONPATH": str(into)}


def once(command: list[str], env: Env = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - started


def measure(runs: dict[str, tuple[list[str], Env]], repeats: int) -> dict[str, float]:
    """The median wall time of each run, interleaved with the others' (one warm-up round first), in a
    new order each round. In a fixed order each run always follows the same one, and that biased the
    comparison: in two sessions of fixed order ``report`` of one tree was 0.04 s slower than its
    baseline, while alternating the two trees' order made it 0.06 s faster."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    order = random.Random(0)
    for round_number in range(repeats + 1):
        for name in order.sample(list(runs), len(runs)):
            seconds = once(*runs[name])
            if round_number:
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--src", type=Path, metavar="DIR", help="time checkout DIR's library and package instead of the installed ones")
    parser.add_argument("--before", type=Path, metavar="DIR", help="also time checkout DIR's (an earlier commit's) in the same rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cit-commands-") as scratch:
        envs: dict[str, Env] = {"": library_copy(args.src.resolve(), Path(scratch, "src")) if args.src else None}
        if args.before:
            envs[" (before)"] = library_copy(args.before.resolve(), Path(scratch, "before"))
        runs: dict[str, tuple[list[str], Env]] = {}
        for name, command in COMMANDS.items():
            for suffix, env in envs.items():
                if not (suffix and name.startswith(BASELINES)):
                    runs[name + suffix] = (command, env)
        reference = frictionless_command(envs[""])
        if reference:
            runs["frictionless validate"] = (reference, envs[""])
        medians = measure(runs, args.repeats)
    bare = medians["bare: python -c 'import pandas'"]
    before = " (before)" in envs
    print("| command | median wall | ratio | target |" + (" before | ratio before |" if before else "")
          + "\n|---|---|---|---|" + ("---|---|" if before else ""))
    for name in COMMANDS:
        seconds, earlier = medians[name], medians.get(name + " (before)")
        if name == "validate" and reference:
            against, unit, target = medians["frictionless validate"], "frictionless", "≤ 0.6× frictionless validate"
        elif name.startswith("floor") and reference:
            against, unit, target = medians["frictionless validate"], "frictionless", "(none: the imports validate cannot do without)"
        elif name in TARGETS:
            against, unit, target = bare, "bare import", f"≤ {TARGETS[name]}×"
        else:
            print(f"| {name} | {seconds:.2f} s | | |" + (" | |" if before else ""))
            continue
        line = f"| {name} | {seconds:.2f} s | {seconds / against:.2f}× {unit} | {target} |"
        if earlier is not None:
            line += f" {earlier:.2f} s | {earlier / against:.2f}× |"
        elif before:
            line += " | |"
        print(line)
    if reference:
        print(f"| frictionless validate | {medians['frictionless validate']:.2f} s | | |" + (" | |" if before else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
