"""Benchmarks of issues 7 and 15: cold start, validation at scale, comparisons (see benchmarks/README.md).

    /tmp/rtvenv/bin/python benchmarks/run.py --src .              # full run (5 repeats, shipped, 10x, 100x, 1000x)
    /tmp/rtvenv/bin/python benchmarks/run.py --src . --quick      # 3 repeats, skips 1000x
    /tmp/rtvenv/bin/python benchmarks/run.py --src . --before DIR # also an earlier commit's validate
    /tmp/rtvenv/bin/python benchmarks/run.py --src . --profile    # also cProfile our validation at 100x

Every measurement is a fresh process started by this script, timed with a monotonic clock around
the process (wall time) and with its own peak resident memory from GNU time (or os.wait4). Each figure is the median of the repeats; the runs being compared are interleaved in
the same loop, so each ratio is taken within one run of this script on one machine state.

This script imports only the standard library: it never holds the data itself, so its own memory
does not leak into a child's ru_maxrss.

Synthetic packages: the shipped package plus N-1 copies of the 2017 edition (so the package holds
N times the 2017 edition's rows, plus the other shipped editions) under editions 3017, 3018, ...
Each copy gets its own datasets/<edition>/ folder registered as one more part of each multipart
resource, a row in editions.csv and its own report row in sources.csv; every id, section, event,
forecast and source reference is rewritten so that keys and foreign keys stay valid, target years
move with the edition, and every other value (text, figures, dates) is the 2017 edition's own.
The Table Schemas cap edition at 2100 and forecast_year / target_year at 2101 / 2100, so the
synthetic copies raise those three ``maximum`` constraints to 9999 (nothing else in the schemas
changes; the shipped package is measured as shipped). Every generated package is checked valid by
``frictionless validate`` and by ``china-internet-trends validate`` before it is timed.

Everything is written inside one temporary directory, removed at the end (children also get
TMPDIR pointing there and PYTHONDONTWRITEBYTECODE=1).
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata as metadata
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PYTHON = sys.executable
OUR_CLI = str(BIN / "china-internet-trends")
FRICTIONLESS_CLI = str(BIN / "frictionless")
EDITION_TABLES = ("sections", "events", "milestones", "indicators", "forecasts", "outcomes")
ID_COLUMNS = {"section_id", "event_id", "milestone_id", "indicator_id", "forecast_id", "outcome_id", "parent_id"}
FIRST_SYNTHETIC = 3017
MB = 1024 * 1024
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


# ---------------------------------------------------------------------------------------------
# running children


class Child:
    """A finished child process: wall seconds, peak RSS in bytes, exit code and output."""

    def __init__(self, wall: float, maxrss: int, code: int, out: str, err: str):
        self.wall, self.maxrss, self.code, self.out, self.err = wall, maxrss, code, out, err


def run(cmd: list[str], cwd: Path, env: dict[str, str], scratch: Path) -> Child:
    """Run ``cmd`` in a fresh process; its output goes to files in ``scratch`` (no pipe deadlocks).

    Peak memory comes from GNU time (``/usr/bin/time -f %M``) when it exists: a child started
    straight from this process inherits this process's high-water RSS in its own ru_maxrss on Linux
    (it is forked from us before exec), while GNU time is tiny. Without GNU time, os.wait4's
    ru_maxrss is used, which is right as long as this script stays small (it imports no data).
    """
    out_path, err_path, rss_path = scratch / "child.out", scratch / "child.err", scratch / "child.rss"
    rss_path.unlink(missing_ok=True)
    full = [GNU_TIME, "-f", "%M", "-o", str(rss_path), *cmd] if GNU_TIME else cmd
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    maxrss = usage.ru_maxrss * 1024
    if GNU_TIME and rss_path.exists():
        lines = rss_path.read_text().split()
        maxrss = int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else maxrss
    return Child(wall, maxrss, proc.returncode,
                 out_path.read_text(errors="replace"), err_path.read_text(errors="replace"))


def child_env(tmp: Path, src: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(TMPDIR=str(tmp), PYTHONDONTWRITEBYTECODE="1", COLUMNS="120", NO_COLOR="1")
    if src is not None:
        env["PYTHONPATH"] = str(src / "src")  # ahead of the editable install's path
    return env


def medians(samples: dict[str, list[Child]]) -> dict[str, dict[str, float]]:
    return {name: {"wall": statistics.median(c.wall for c in runs), "maxrss": statistics.median(c.maxrss for c in runs),
                   "walls": [round(c.wall, 3) for c in runs]}
            for name, runs in samples.items()}


def interleaved(commands: dict[str, tuple[list[str], Path]], repeats: int, env, scratch, check=True,
                envs: dict[str, dict[str, str]] | None = None) -> dict[str, dict]:
    """Run each command ``repeats`` times, round-robin, and return the medians (``envs`` may give a command its own environment)."""
    samples: dict[str, list[Child]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, (cmd, cwd) in commands.items():
            child = run(cmd, cwd, (envs or {}).get(name, env), scratch)
            if check and child.code != 0:
                raise SystemExit(f"{name} failed (exit {child.code}):\n{child.out[-2000:]}\n{child.err[-2000:]}")
            samples[name].append(child)
    return medians(samples)


# ---------------------------------------------------------------------------------------------
# packages


def snapshot(dst: Path) -> Path:
    """Copy the shipped package (descriptor, schemas, datasets) to ``dst``."""
    dst.mkdir(parents=True)
    shutil.copy2(ROOT / "datapackage.json", dst / "datapackage.json")
    shutil.copytree(ROOT / "schemas", dst / "schemas")
    shutil.copytree(ROOT / "datasets", dst / "datasets")
    return dst


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    return records[0], [r for r in records[1:] if any(r)]


def append_rows(path: Path, rows: list[list[str]]) -> None:
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def relax_year_maxima(schemas: Path) -> None:
    """Raise the year caps (edition <= 2100 and the like) so that editions 3017, 3018, ... fit."""
    for table, fields in {"editions": ("edition", "forecast_year"), "forecasts": ("target_year",)}.items():
        path = schemas / f"{table}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        for field in schema["fields"]:
            if field["name"] in fields:
                field["constraints"]["maximum"] = 9999
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def make_scaled(dst: Path, scale: int) -> Path:
    """The shipped package plus ``scale - 1`` copies of the 2017 edition (editions 3017, ...)."""
    snapshot(dst)
    relax_year_maxima(dst / "schemas")
    datasets = dst / "datasets"
    base = {table: read_rows(datasets / "2017" / f"{table}.csv") for table in EDITION_TABLES}
    ed_header, ed_rows = read_rows(datasets / "editions.csv")
    ed_2017 = next(r for r in ed_rows if r[ed_header.index("edition")] == "2017")
    src_header, src_rows = read_rows(datasets / "sources.csv")
    own_sources = {r[0] for r in src_rows if r[src_header.index("edition")] == "2017"}  # isc-2017-report
    src_2017 = {r[0]: r for r in src_rows if r[0] in own_sources}

    descriptor_path = dst / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    new_editions, new_sources = [], []
    for k in range(scale - 1):
        edition = FIRST_SYNTHETIC + k
        offset = edition - 2017
        prefix = f"{edition}-"
        rename_source = {s: s.replace("2017", str(edition)) for s in own_sources}
        folder = datasets / str(edition)
        folder.mkdir()
        for table, (header, rows) in base.items():
            columns = {name: i for i, name in enumerate(header)}
            out = []
            for row in rows:
                row = list(row)
                for name, i in columns.items():
                    value = row[i]
                    if name in ID_COLUMNS and value.startswith("2017-"):
                        row[i] = prefix + value[5:]
                    elif name == "edition":
                        row[i] = str(edition)
                    elif name == "source_id" and value in rename_source:
                        row[i] = rename_source[value]
                    elif name == "target_year" and value:
                        row[i] = str(int(value) + offset)
                out.append(row)
            write_table(folder / f"{table}.csv", header, out)
            res = resources[table]
            res["path"] = (res["path"] if isinstance(res["path"], list) else [res["path"]]) + [f"datasets/{edition}/{table}.csv"]
        row = list(ed_2017)
        row[ed_header.index("edition")] = str(edition)
        row[ed_header.index("forecast_year")] = str(edition + 1)
        row[ed_header.index("source_id")] = rename_source[row[ed_header.index("source_id")]]
        new_editions.append(row)
        for old, new in rename_source.items():
            source = list(src_2017[old])
            source[0] = new
            source[src_header.index("edition")] = str(edition)
            new_sources.append(source)
    append_rows(datasets / "editions.csv", new_editions)
    append_rows(datasets / "sources.csv", new_sources)
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return dst


def package_size(root: Path) -> tuple[int, int, int]:
    """(CSV bytes, data rows, CSV files) of the package at ``root``."""
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    size = rows = files = 0
    for res in descriptor["resources"]:
        for rel in res["path"] if isinstance(res["path"], list) else [res["path"]]:
            path = root / rel
            size += path.stat().st_size
            rows += len(read_rows(path)[1])
            files += 1
    return size, rows, files


# ---------------------------------------------------------------------------------------------
# sections of the benchmark


def machine() -> dict[str, str]:
    mem = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), platform.machine())
    versions = {}
    for dist in ("pandas", "numpy", "pandera", "frictionless", "china-internet-trends", "pyarrow", "hypothesis"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "memory": f"{int(mem) / MB:.1f} GiB",
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        **versions,
    }


def cold_start(repeats: int, env, scratch) -> dict:
    descriptor = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in descriptor["resources"] if r["name"] == "indicators")
    paths = [str(ROOT / p) for p in (res["path"] if isinstance(res["path"], list) else [res["path"]])]
    ours = "import china_internet_trends as cit; cit.indicators()"
    plain = f"import pandas; pandas.concat([pandas.read_csv(p) for p in {paths!r}])"
    commands = {"cit.indicators()": ([PYTHON, "-c", ours], ROOT), "pandas.read_csv": ([PYTHON, "-c", plain], ROOT)}
    interleaved(commands, 1, env, scratch)  # warm the file cache
    result = interleaved(commands, repeats, env, scratch)
    result["files"] = len(paths)
    return result


def import_cost(repeats: int, env, scratch) -> dict:
    commands = {
        "python -c pass": ([PYTHON, "-c", "pass"], ROOT),
        "import pandas, pandera": ([PYTHON, "-c", "import pandas, pandera.pandas"], ROOT),
    }
    interleaved(commands, 1, env, scratch)
    result = interleaved(commands, repeats, env, scratch)
    result["cost"] = result["import pandas, pandera"]["wall"] - result["python -c pass"]["wall"]
    return result


def validation(pkg: Path, repeats: int, env, scratch, must_be_valid: bool, before: Path | None = None) -> dict:
    """Time, side by side: our default validation, ours with ``--frictionless``, frictionless alone and,
    given ``before`` (a checkout of an earlier commit), that commit's ``validate``."""
    commands = {
        "ours": ([OUR_CLI, "validate", str(pkg)], pkg),
        "ours --frictionless": ([OUR_CLI, "validate", "--frictionless", str(pkg)], pkg),
        "frictionless": ([FRICTIONLESS_CLI, "validate", "datapackage.json"], pkg),
    }
    envs = {name: env for name in commands}
    if before is not None:
        commands["before"] = ([PYTHON, "-m", "china_internet_trends", "validate", str(pkg)], pkg)
        envs["before"] = {**env, "PYTHONPATH": str(before / "src")}
    # Check: each must say valid (exit 0) before timing; these runs also warm the file cache.
    checks = {name: run(cmd, cwd, envs[name], scratch) for name, (cmd, cwd) in commands.items()}
    result: dict = {"check_walls": {name: round(c.wall, 2) for name, c in checks.items()}, "invalid": {}}
    for name, child in checks.items():
        if child.code != 0:
            lines = (child.out + child.err).strip().splitlines()
            result["invalid"][name] = f"exit {child.code}: " + " | ".join(lines[-4:])[:600]
            print(f"  {name} says the package is NOT valid (exit {child.code}):\n    " + "\n    ".join(lines[-8:]), flush=True)
    if any(name != "before" for name in result["invalid"]) and must_be_valid:
        print("  not timed: a generated package must pass both validators first", flush=True)
        return result
    result.update(interleaved(commands, repeats, env, scratch, check=False, envs=envs))
    return result


def record_hashes(pkg: Path, env, scratch) -> str:
    """Record sizes and hashes in the generated package, when this version of the library keeps them."""
    code = ("import sys\ntry:\n    from china_internet_trends import integrity\nexcept ImportError:\n    sys.exit(3)\n"
            "if not hasattr(integrity, 'refresh'):\n    sys.exit(3)\nintegrity.refresh(sys.argv[1])\n")
    child = run([PYTHON, "-c", code, str(pkg)], ROOT, env, scratch)
    if child.code == 3:
        return "no integrity module: no hashes recorded"
    if child.code != 0:
        raise SystemExit(f"recording hashes failed:\n{child.err[-2000:]}")
    return "sizes and hashes recorded with china_internet_trends.integrity.refresh"


COMPARE_HARNESS = textwrap.dedent('''
    import inspect, json, sys, time
    import china_internet_trends as cit
    pkg, out = sys.argv[1], sys.argv[2]
    try:
        from china_internet_trends import compare
    except ImportError as exc:
        compare = None
    ind = cit.indicators(2017, path=pkg)
    series_ids = ind["series_id"].dropna().value_counts()
    series_id = series_ids.index[0] if len(series_ids) else None
    cit.tables.clear_cache()
    calls = [
        ("compare.events(2016, 2017)", compare, "events", (2016, 2017)),
        ("compare.themes()", compare, "themes", ()),
        ("compare.indicators(2016, 2017)", compare, "indicators", (2016, 2017)),
        ("compare.review_vs_trends(2017)", compare, "review_vs_trends", (2017,)),
        (f"cit.series({series_id!r})", cit, "series", (series_id,)),
        ("cit.scorecard(2017)", cit, "scorecard", (2017,)),
    ]
    results = {}
    for label, module, name, args in calls:
        func = getattr(module, name, None) if module is not None else None
        if func is None or not callable(func):
            results[label] = {"skipped": "does not exist yet"}
            continue
        try:
            params = inspect.signature(func).parameters
        except (TypeError, ValueError):
            params = {}
        kwargs = {key: pkg for key in ("path", "package") if key in params}
        if not kwargs:
            results[label] = {"skipped": "takes no path/package argument, so it cannot be pointed at the 100x package"}
            continue
        times = []
        try:
            for _ in range(3):  # first call: tables loaded from disk; then cached
                start = time.perf_counter()
                func(*args, **kwargs)
                times.append(time.perf_counter() - start)
        except Exception as exc:
            results[label] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        results[label] = {"first": times[0], "cached": min(times[1:])}
        cit.tables.clear_cache()
    json.dump(results, open(out, "w"))
''')


def comparisons(pkg: Path, repeats: int, env, scratch) -> dict:
    harness = scratch / "compare_harness.py"
    harness.write_text(COMPARE_HARNESS, encoding="utf-8")
    out = scratch / "compare.json"
    firsts: dict[str, list] = {}
    results: dict[str, dict] = {}
    for _ in range(repeats):
        child = run([PYTHON, str(harness), str(pkg), str(out)], ROOT, env, scratch)
        if child.code != 0:
            results["harness"] = {"error": child.err[-1500:]}
            break
        for label, r in json.loads(out.read_text()).items():
            if "first" in r:
                firsts.setdefault(label, []).append(r)
            else:
                results[label] = r
    for label, runs in firsts.items():
        results[label] = {"first": statistics.median(r["first"] for r in runs),
                          "cached": statistics.median(r["cached"] for r in runs)}
    report = interleaved({"report": ([OUR_CLI, "--package", str(pkg), "report"], pkg)}, repeats, env, scratch, check=False)
    results["china-internet-trends report (process)"] = {"process": report["report"]["wall"]}
    return results


PROFILE_HARNESS = textwrap.dedent('''
    import cProfile, pstats, sys, time
    import china_internet_trends as cit
    from china_internet_trends import validation, tables, rules
    pkg, out = sys.argv[1], sys.argv[2]
    import frictionless, pandera.pandas  # imports are not what we profile
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    report = validation.validate(pkg)
    profiler.disable()
    total = time.perf_counter() - start
    assert report.valid, str(report)[:2000]
    profiler.dump_stats(out)
    print(total)
''')

# (label, callee (file, function), caller (file, function) or None for the callee's whole cumulative time)
PHASES = [
    ("validation.validate, total", ("validation.py", "validate"), None),
    ("frictionless.validate (the frictionless layer itself)", ("validate.py", "validate"), ("validation.py", "_run_frictionless")),
    ("tables.read_typed: read + build frame + coerce", ("tables.py", "read_typed"), None),
    ("  package.read_raw (csv.reader into lists of str)", ("package.py", "read_raw"), None),
    ("  pd.DataFrame(rows, dtype='string')", ("frame.py", "__init__"), ("package.py", "read_raw")),
    ("  schema.coerce", ("schema.py", "coerce"), None),
    ("    schema._convert", ("schema.py", "_convert"), None),
    ("  package.table_schema (per resource)", ("package.py", "table_schema"), ("tables.py", "read_typed")),
    ("_pandera_problems (build schema + validate)", ("validation.py", "_pandera_problems"), None),
    ("  schema.to_pandera", ("schema.py", "to_pandera"), ("validation.py", "_pandera_problems")),
    ("rules.project (keep what the rules read)", ("rules.py", "project"), None),
    ("rules.check (cross-table rules)", ("rules.py", "check"), None),
    ("integrity.drift_problems (sizes and hashes)", ("integrity.py", "drift_problems"), None),
    ("_deduplicate", ("validation.py", "_deduplicate"), None),
]
CALLEES_OF = [("tables.py", "read_typed"), ("schema.py", "coerce"), ("schema.py", "_convert"),
              ("validation.py", "_pandera_problems"), ("rules.py", "check")]


def profile(pkg: Path, env, scratch) -> dict:
    import pstats

    harness = scratch / "profile_harness.py"
    harness.write_text(PROFILE_HARNESS, encoding="utf-8")
    out = scratch / "validate.prof"
    child = run([PYTHON, str(harness), str(pkg), str(out)], ROOT, env, scratch)
    if child.code != 0:
        return {"error": child.err[-2000:]}
    total = float(child.out.strip().splitlines()[-1])
    stats = pstats.Stats(str(out)).stats

    def short(func):
        file, line, name = func
        return name if file == "~" else f"{os.path.basename(file)}:{line}({name})"

    def matches(func, wanted):
        return os.path.basename(func[0]) == wanted[0] and func[2] == wanted[1]

    phases = []
    for label, callee, caller in PHASES:
        seconds = 0.0
        for func, (_, _, _, ct, callers) in stats.items():
            if not matches(func, callee):
                continue
            if caller is None:
                seconds += ct
            else:
                seconds += sum(v[3] for c, v in callers.items() if matches(c, caller))
        phases.append((label, seconds))
    callees = {}
    for parent in CALLEES_OF:
        rows = []
        for func, (_, _, _, _, callers) in stats.items():
            for c, v in callers.items():
                if matches(c, parent):
                    rows.append((v[3], v[1], short(func)))
        callees[f"{parent[0]}:{parent[1]}"] = sorted(rows, reverse=True)[:10]
    top = sorted(((ct, tt, nc, short(f)) for f, (cc, nc, tt, ct, _) in stats.items()), reverse=True)[:40]
    own = sorted(((tt, ct, nc, short(f)) for f, (cc, nc, tt, ct, _) in stats.items()), reverse=True)[:25]
    return {"total": total, "phases": phases, "callees": callees, "top_cumulative": top, "top_own": own}


# ---------------------------------------------------------------------------------------------
# report


def fit_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) against log(rows)."""
    if len(points) < 2:
        return None
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def verdict(ok: bool) -> str:
    return "met" if ok else "**MISSED**"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 repeats and no 1000x package")
    parser.add_argument("--repeats", type=int, help="repeats per measurement (default 5, --quick 3)")
    parser.add_argument("--scales", default=None, help="comma-separated scales (default 10,100,1000; --quick 10,100)")
    parser.add_argument("--profile", action="store_true", help="cProfile our validation of the 100x package")
    parser.add_argument("--json", metavar="FILE", help="also write the raw results as JSON to FILE")
    parser.add_argument("--src", metavar="DIR", help="benchmark the library and shipped package of another checkout "
                        "(e.g. an export made with `git archive HEAD | tar -x -C DIR`) instead of this working tree")
    parser.add_argument("--before", metavar="DIR", help="a checkout of an earlier commit (e.g. `git archive BASE | tar -x -C DIR`) "
                        "whose `validate` is timed beside `validate --frictionless`")
    args = parser.parse_args()
    global ROOT
    if args.src:
        ROOT = Path(args.src).resolve()
    repeats = args.repeats or (3 if args.quick else 5)
    scales = [int(s) for s in (args.scales or ("10,100" if args.quick else "10,100,1000")).split(",")]
    results: dict = {"machine": machine(), "repeats": repeats, "code": str(ROOT), "before": args.before,
                     "command": " ".join([Path(sys.argv[0]).as_posix()] + sys.argv[1:])}

    def say(*parts):
        print(*parts, flush=True)

    say("machine:", json.dumps(results["machine"]))
    say("library and shipped package from:", ROOT)
    with tempfile.TemporaryDirectory(prefix="cit-bench-") as tmp_name:
        tmp = Path(tmp_name)
        scratch = tmp / "scratch"
        scratch.mkdir()
        env = child_env(tmp, ROOT if args.src else None)

        say(f"\n== cold start ({repeats} runs each, interleaved)")
        results["cold_start"] = cold = cold_start(repeats, env, scratch)
        say(json.dumps(cold, indent=1))

        say(f"\n== import cost of pandas + pandera ({repeats} runs each)")
        results["import_cost"] = imp = import_cost(repeats, env, scratch)
        say(json.dumps(imp, indent=1))

        packages = {"shipped": snapshot(tmp / "shipped")}
        results["validation"] = {}
        for name in ["shipped"] + [f"{s}x" for s in scales]:
            if name != "shipped":
                started = time.perf_counter()
                packages[name] = make_scaled(tmp / name, int(name[:-1]))
                say("  " + record_hashes(packages[name], env, scratch))
                say(f"\ngenerated {name} in {time.perf_counter() - started:.1f} s")
            size, rows, files = package_size(packages[name])
            say(f"== validation of {name}: {rows} rows, {files} CSV files, {size / MB:.1f} MB of CSV ({repeats} runs each)")
            started = time.perf_counter()
            v = validation(packages[name], repeats, env, scratch, must_be_valid=name != "shipped",
                           before=Path(args.before).resolve() if args.before else None)
            v.update(csv_bytes=size, rows=rows, files=files, seconds=time.perf_counter() - started)
            results["validation"][name] = v
            say(json.dumps(v, indent=1))
            if name not in ("shipped", "100x"):
                shutil.rmtree(packages.pop(name))  # keep the disk use down; 100x is needed below

        if "100x" in packages:
            say(f"\n== comparisons on the 100x package ({repeats} runs)")
            results["comparisons"] = comparisons(packages["100x"], repeats, env, scratch)
            say(json.dumps(results["comparisons"], indent=1))
            if args.profile:
                say("\n== cProfile of validation.validate on the 100x package (in-process, imports excluded)")
                results["profile"] = prof = profile(packages["100x"], env, scratch)
                if "error" in prof:
                    say(prof["error"])
                else:
                    say(f"total {prof['total']:.2f} s (under cProfile; imports excluded)")
                    for label, seconds in prof["phases"]:
                        say(f"  {seconds:7.2f} s {100 * seconds / prof['total']:5.1f}%  {label}")
                    for parent, rows in prof["callees"].items():
                        say(f"called from {parent}:  cumulative  calls  function")
                        for ct, nc, func in rows:
                            say(f"  {ct:7.2f} {nc:9d}  {func}")
                    say("top by cumulative time:  cumulative  own  calls  function")
                    for ct, tt, nc, func in prof["top_cumulative"]:
                        say(f"  {ct:7.2f} {tt:7.2f} {nc:9d}  {func}")
                    say("top by own time:  own  cumulative  calls  function")
                    for tt, ct, nc, func in prof["top_own"]:
                        say(f"  {tt:7.2f} {ct:7.2f} {nc:9d}  {func}")

    say("\n" + summary(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return 0


EXTRAS_NOTE = ("Note: pyarrow or hypothesis is installed here (the [test] extras). pandas then loads pyarrow on import and "
               "pandera imports hypothesis on its first validation, which costs time and memory that a runtime install "
               "(`pip install china-internet-trends`) does not have; the targets are about a runtime install.")


def summary(results: dict) -> str:
    """The results as the Markdown table of benchmarks/README.md, each against the target of issue 15."""
    lines = ["## Results", "", f"Median of {results['repeats']} fresh processes each; ratios from the same run.", ""]
    if any(results["machine"].get(dist) != "not installed" for dist in ("pyarrow", "hypothesis")):
        lines += [EXTRAS_NOTE, ""]
    cold = results["cold_start"]
    ratio = cold["cit.indicators()"]["wall"] / cold["pandas.read_csv"]["wall"]
    imp = results["import_cost"]["cost"]
    lines += [
        "| measurement | ours | baseline | ratio | target | verdict |",
        "|---|---|---|---|---|---|",
        f"| cold start: `cit.indicators()` vs `pandas.read_csv` of the {cold['files']} indicators CSVs | "
        f"{cold['cit.indicators()']['wall']:.3f} s | {cold['pandas.read_csv']['wall']:.3f} s | {ratio:.2f}× | ≤ 1.2× | {verdict(ratio <= 1.2)} |",
    ]
    points_ours, points_fl = [], []
    for name, v in results["validation"].items():
        if "ours" not in v:
            lines.append(f"| validate {name} | not timed: {'; '.join(f'{k}: {m}' for k, m in v['invalid'].items())} | | | | |")
            continue
        ours, fl, both = v["ours"], v["frictionless"], v["ours --frictionless"]
        size = f"{name} ({v['rows']:,} rows, {v['csv_bytes'] / MB:.1f} MB)"
        r = ours["wall"] / fl["wall"]
        limit = {"shipped": 0.8, "100x": 0.5, "1000x": 0.5}.get(name)
        target, ok = (f"≤ {limit}×", r <= limit) if limit else ("(none)", None)
        lines.append(f"| `validate` {size}: wall | {ours['wall']:.2f} s | {fl['wall']:.2f} s (frictionless) | {r:.2f}× | {target} | "
                     f"{'—' if ok is None else verdict(ok)} |")
        m = ours["maxrss"] / fl["maxrss"]
        target, ok = ("≤ 1.5×", m <= 1.5) if name == "1000x" else ("(none)", None)
        lines.append(f"| `validate` {name}: peak RSS | {ours['maxrss'] / MB:.0f} MB | {fl['maxrss'] / MB:.0f} MB (frictionless) | {m:.2f}× | "
                     f"{target} | {'—' if ok is None else verdict(ok)} |")
        if "before" in v:
            b = both["wall"] / v["before"]["wall"]
            failed = f"; it fails here, {v['invalid']['before'].split(':')[0]}" if "before" in v["invalid"] else ""
            lines.append(f"| `validate --frictionless` {name}: wall | {both['wall']:.2f} s | {v['before']['wall']:.2f} s "
                         f"(`validate` before{failed}) | {b:.2f}× | ≤ 1.0× | {verdict(b <= 1.0)} |")
        else:
            lines.append(f"| `validate --frictionless` {name}: wall | {both['wall']:.2f} s | {fl['wall']:.2f} s (frictionless) | "
                         f"{both['wall'] / fl['wall']:.2f}× | reported (give --before for the target) | |")
        points_ours.append((v["rows"], ours["wall"]))
        points_fl.append((v["rows"], fl["wall"]))
    lines.append(f"| import pandas + pandera.pandas (minus `python -c pass`) | {imp:.2f} s | | | reported | |")
    timed = [n for n, v in results["validation"].items() if "ours" in v]
    scaled_ours = [p for p, n in zip(points_ours, timed) if n != "shipped"]
    scaled_fl = [p for p, n in zip(points_fl, timed) if n != "shipped"]
    e_scaled, e_fl = fit_exponent(scaled_ours), fit_exponent(scaled_fl)
    fmt = lambda e: "n/a" if e is None else f"{e:.2f}"
    lines.append(f"| time vs rows, log-log slope (synthetic scales) | {fmt(e_scaled)} | {fmt(e_fl)} (frictionless) | | ≈ 1 (linear) | "
                 f"{'—' if e_scaled is None else verdict(e_scaled <= 1.1)} |")
    comps = results.get("comparisons")
    if comps:
        lines += ["", "| comparison on the 100× package | first call (cold tables) | cached call | target | verdict |", "|---|---|---|---|---|"]
        for label, r in comps.items():
            if "first" in r:
                lines.append(f"| `{label}` | {r['first']:.3f} s | {r['cached']:.3f} s | < 1 s | {verdict(r['first'] < 1)} |")
            elif "process" in r:
                lines.append(f"| `{label}` (whole process) | {r['process']:.2f} s | | < 1 s | {verdict(r['process'] < 1)} |")
            else:
                lines.append(f"| `{label}` | skipped: {r.get('skipped') or r.get('error')} | | < 1 s | not measured |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
