"""Wall time of the CLI's commands against the same machine's bare ``import pandas``, and of
``validate`` against ``frictionless validate``, measured in one session, runs interleaved.

Run it with the Python of a runtime install (``pip install .`` in a fresh venv: no editable install,
no test extras, so neither pyarrow nor hypothesis is loaded):

    python3 -m venv /tmp/rt && /tmp/rt/bin/pip install . && /tmp/rt/bin/python benchmarks/commands.py

Each measurement is the median of ``--repeats`` runs; the runs of all commands are interleaved
round by round, so a slow moment of the machine falls on every command alike. Targets (issue
"One opened package"): read-only commands at most 1.2x bare ``import pandas``, ``report`` at most
1.4x, ``validate`` of the shipped package at most 0.6x of ``frictionless validate``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
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
}
TARGETS = {"events 2017": 1.2, "compare 2016 2017": 1.2, "scorecard 2017": 1.2, "series users_4g": 1.2, "report": 1.4}


def frictionless_command() -> list[str] | None:
    """``frictionless validate`` of the installed package's datapackage.json, if frictionless's CLI is there."""
    found = shutil.which("frictionless", path=str(BIN))
    if not found:
        return None
    descriptor = subprocess.run([sys.executable, "-c", "import china_internet_trends as cit; print(cit.open().path)"],
                                capture_output=True, text=True, check=True).stdout.strip()
    return [found, "validate", descriptor]


def once(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def measure(commands: dict[str, list[str]], repeats: int) -> dict[str, float]:
    """The median wall time of each command, its runs interleaved with the others' (one warm-up round first)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_number in range(repeats + 1):
        for name, command in commands.items():
            seconds = once(command)
            if round_number:
                times[name].append(seconds)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    commands = dict(COMMANDS)
    reference = frictionless_command()
    if reference:
        commands["frictionless validate"] = reference
    medians = measure(commands, args.repeats)
    bare = medians["bare: python -c 'import pandas'"]
    print(f"| command | median wall | ratio | target |\n|---|---|---|---|")
    for name, seconds in medians.items():
        if name == "validate" and reference:
            ratio, target = seconds / medians["frictionless validate"], "≤ 0.6× frictionless validate"
            print(f"| {name} | {seconds:.2f} s | {ratio:.2f}× frictionless | {target} |")
        elif name in TARGETS:
            print(f"| {name} | {seconds:.2f} s | {seconds / bare:.2f}× bare import | ≤ {TARGETS[name]}× |")
        else:
            print(f"| {name} | {seconds:.2f} s | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
