"""Does ``validate`` grow linearly with the package? A script, not a test (see benchmarks/README.md).

    python benchmarks/linearity.py                    # glossary and sections enlarged up to 100,000 / 10,000 rows, then tiny resources
    python benchmarks/linearity.py --quick            # up to 20,000 / 2,000 rows and 1,000 tiny resources, one repeat
    python benchmarks/linearity.py --profile 500 1000 # also cProfile one validate with that many tiny resources

Each package is a copy of this checkout's datapackage.json, schemas/ and datasets/ in a temporary
directory, enlarged, with its recorded sizes and hashes refreshed (``integrity.refresh``):

- *rows*: ``datasets/glossary.csv`` gets synthetic terms (of CJK Extension A characters, which no
  text of the package has) up to G rows, and ``datasets/2017/sections.csv`` copies of its own rows
  under new chapter ids (2017-R101, 2017-T102, ...; headings kept, so the glossary rule reads real
  text) up to S rows; G and S grow by the same factors, which made the old glossary rule's
  texts × terms search grow with the square of the factor;
- *tiny resources*: N more resources, each a three-row CSV with its own two-field Table Schema.

Each time is the median of the repeats of ``china_internet_trends.validate(path=PKG)`` in a fresh
process, after one validate of the shipped package there (so imports and first-call costs are
not counted). The fitted exponent is the least-squares slope of log(time) against log(rows) (or
resources): 1 is linear, 2 quadratic; the fixed cost of a validate pulls it below 1 at small sizes,
so the marginal cost between one size and the next (Δµs/Δrow) is printed too, which stays about
constant when the time is linear. The script imports only the standard library and the
package's ``integrity.refresh``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTORS = (1, 2, 5, 10, 20, 50, 100)
BASE_GLOSSARY, BASE_SECTIONS = 1_000, 100
TINY = (250, 500, 1_000, 2_000)
TIMED = """
import json, sys, time
import china_internet_trends as cit
cit.validate()
start = time.perf_counter()
report = cit.validate(path=sys.argv[1])
print(json.dumps([time.perf_counter() - start, len(report.problems)]))
"""
PROFILED = """
import cProfile, sys
import china_internet_trends as cit
cit.validate()
cProfile.run("cit.validate(path=sys.argv[1])", sys.argv[2])
"""


def copy_package(target: Path) -> Path:
    """A copy of this checkout's package in ``target``.

    >>> import tempfile
    >>> sorted(p.name for p in copy_package(Path(tempfile.mkdtemp()) / "pkg").iterdir())
    ['datapackage.json', 'datasets', 'schemas']
    """
    target.mkdir(parents=True)
    shutil.copy(ROOT / "datapackage.json", target)
    shutil.copytree(ROOT / "schemas", target / "schemas")
    shutil.copytree(ROOT / "datasets", target / "datasets")
    return target


def synthetic_term(number: int) -> str:
    """A Chinese term no text of the package has: ``number`` in base 16, one CJK Extension A
    character a digit.

    >>> synthetic_term(0), synthetic_term(17)
    ('㐀㐀㐀㐀㐀', '㐀㐀㐀㐁㐁')
    """
    return "".join(chr(0x3400 + int(digit, 16)) for digit in f"{number:05x}")


def append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """Append ``rows`` (dicts by column) to the CSV file at ``path``."""
    with open(path, encoding="utf-8", newline="") as handle:
        fieldnames = next(csv.reader(handle))
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n").writerows(rows)


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def enlarge(package: Path, glossary_rows: int, sections_rows: int) -> None:
    """Grow the glossary to ``glossary_rows`` terms and the 2017 sections to ``sections_rows`` rows."""
    glossary = package / "datasets" / "glossary.csv"
    missing = glossary_rows - len(read_rows(glossary))
    append_rows(glossary, [{"term_zh": synthetic_term(i), "term_en": f"synthetic term {i}"} for i in range(missing)])
    sections = package / "datasets" / "2017" / "sections.csv"
    shipped = read_rows(sections)
    copies = []
    for i in range(sections_rows - len(shipped)):
        row = dict(shipped[i % len(shipped)], chapter=str(101 + i), number="", parent_id="", note="")
        row["section_id"] = f"2017-{'R' if row['part'] == 'review' else 'T'}{101 + i}"
        copies.append(row)
    append_rows(sections, copies)


def add_tiny_resources(package: Path, count: int) -> None:
    """Register ``count`` more resources, each a three-row CSV with its own Table Schema."""
    (package / "datasets" / "tiny").mkdir()
    (package / "schemas" / "tiny").mkdir()
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    schema = {"fields": [{"name": "key", "type": "string", "constraints": {"required": True}}, {"name": "value", "type": "integer"}],
              "primaryKey": ["key"]}
    for i in range(count):
        name = f"tiny_{i:05d}"
        (package / "datasets" / "tiny" / f"{name}.csv").write_text("key,value\na,1\nb,2\nc,3\n", encoding="utf-8")
        (package / "schemas" / "tiny" / f"{name}.json").write_text(json.dumps(schema), encoding="utf-8")
        descriptor["resources"].append({"name": name, "type": "table", "path": f"datasets/tiny/{name}.csv", "format": "csv",
                                        "mediatype": "text/csv", "encoding": "utf-8", "schema": f"schemas/tiny/{name}.json"})
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def refreshed(package: Path) -> Path:
    """``package`` with its recorded sizes and hashes brought up to date."""
    from china_internet_trends import integrity

    integrity.refresh(package)
    return package


def data_rows(package: Path) -> int:
    """The data rows of every CSV file of the package (headers not counted)."""
    return sum(sum(1 for _ in open(path, encoding="utf-8")) - 1 for path in (package / "datasets").rglob("*.csv"))


def time_validate(package: Path, repeats: int) -> tuple[float, int]:
    """The median seconds of ``validate(path=package)`` over ``repeats`` fresh processes, and its problem count."""
    runs = [json.loads(subprocess.run([sys.executable, "-c", TIMED, str(package)], capture_output=True, text=True, check=True).stdout)
            for _ in range(repeats)]
    return statistics.median(seconds for seconds, _ in runs), runs[0][1]


def exponent(sizes: list[float], seconds: list[float]) -> float:
    """The least-squares slope of log(seconds) against log(sizes).

    >>> round(exponent([1, 10, 100], [2, 20, 200]), 3), round(exponent([1, 10, 100], [1, 100, 10_000]), 3)
    (1.0, 2.0)
    """
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def rows_series(scratch: Path, factors: tuple[int, ...], repeats: int) -> None:
    """Time validate as the glossary and the sections grow together."""
    print(f"{'factor':>6} {'glossary':>9} {'sections':>9} {'all rows':>9} {'seconds':>8} {'µs/row':>7} {'Δµs/Δrow':>8} {'problems':>8}")
    sizes, times = [], []
    for factor in factors:
        package = copy_package(scratch / f"rows-{factor}")
        enlarge(package, BASE_GLOSSARY * factor, BASE_SECTIONS * factor)
        rows = data_rows(refreshed(package))
        seconds, problems = time_validate(package, repeats)
        marginal = f"{(seconds - times[-1]) / (rows - sizes[-1]) * 1e6:>8.1f}" if sizes else f"{'':>8}"
        sizes.append(rows)
        times.append(seconds)
        print(f"{factor:>6} {BASE_GLOSSARY * factor:>9,} {BASE_SECTIONS * factor:>9,} {rows:>9,} {seconds:>8.2f} {seconds / rows * 1e6:>7.1f} {marginal} {problems:>8}")
        shutil.rmtree(package)
    print(f"fitted exponent, time against rows: {exponent(sizes, times):.2f} (all sizes), {exponent(sizes[-3:], times[-3:]):.2f} (the largest three)")


def tiny_series(scratch: Path, counts: tuple[int, ...], repeats: int) -> None:
    """Time validate as tiny resources are added."""
    print(f"{'resources':>9} {'seconds':>8} {'ms/resource':>11} {'problems':>8}")
    times = []
    for count in counts:
        package = copy_package(scratch / f"tiny-{count}")
        add_tiny_resources(package, count)
        seconds, problems = time_validate(refreshed(package), repeats)
        times.append(seconds)
        print(f"{count:>9,} {seconds:>8.2f} {seconds / count * 1e3:>11.2f} {problems:>8}")
        shutil.rmtree(package)
    per = (times[-1] - times[0]) / (counts[-1] - counts[0])
    print(f"fitted exponent, time against resources: {exponent(list(counts), times):.2f}; marginal cost {per * 1e3:.1f} ms per resource")


def profile(scratch: Path, count: int, top: int = 25) -> None:
    """cProfile one validate of a package with ``count`` tiny resources; print the top functions."""
    import pstats

    package = copy_package(scratch / f"profile-{count}")
    add_tiny_resources(package, count)
    stats_file = scratch / f"profile-{count}.pstats"
    subprocess.run([sys.executable, "-c", PROFILED, str(refreshed(package)), str(stats_file)], check=True)
    print(f"\ncProfile, {count:,} tiny resources: this package's functions by cumulative time, then all by own time")
    stats = pstats.Stats(str(stats_file))
    stats.sort_stats("cumulative").print_stats("china_internet_trends", top)
    stats.sort_stats("tottime").print_stats(top)
    shutil.rmtree(package)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, one repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", type=int, nargs="*", default=[], metavar="N", help="cProfile validate with N tiny resources")
    parser.add_argument("--skip-rows", action="store_true")
    parser.add_argument("--skip-tiny", action="store_true")
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    with tempfile.TemporaryDirectory(prefix="linearity-") as scratch:
        if not args.skip_rows:
            rows_series(Path(scratch), FACTORS[:5] if args.quick else FACTORS, repeats)
        if not args.skip_tiny:
            tiny_series(Path(scratch), TINY[:3] if args.quick else TINY, repeats)
        for count in args.profile:
            profile(Path(scratch), count)


if __name__ == "__main__":
    main()
