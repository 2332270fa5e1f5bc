"""The ``china-internet-trends`` command line.

    china-internet-trends validate [PATH]      check a package; exit 0 valid, 1 invalid
    china-internet-trends editions             the editions and how much of each the package holds
    china-internet-trends events 2017 [2016]   an edition's ten events
    china-internet-trends compare 2016 2017    two editions' events side by side, theme shifts, matched figures
    china-internet-trends scorecard 2017       an edition's forecasts and their verdicts
    china-internet-trends series ipv6_active_users   a series across editions and official statistics
    china-internet-trends keywords 5G 区块链    term counts per edition
    china-internet-trends export --format xlsx DIR   every table as xlsx, sqlite or parquet
    china-internet-trends report               the main job: editions, latest events, scorecard, key series
    china-internet-trends new-edition 2018     scaffold an edition's empty tables (refuses an existing one)
    china-internet-trends refresh-hashes       record every data file's size and hash after an intended edit

Bad data never shows a traceback: the problems are printed, one per line, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from .errors import DataPackageError


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code. ``main(["editions"])``"""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataPackageError as exc:
        print(f"The data package cannot be read:\n{exc.report}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as the Python docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="china-internet-trends",
        description="The Internet Society of China's annual reports as validated data.",
    )
    parser.add_argument("--package", metavar="PATH", help="datapackage.json (or its folder) to read instead of the shipped one")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="validate a data package (default: the shipped one)")
    validate.add_argument("path", nargs="?", help="datapackage.json or the folder holding it")
    validate.set_defaults(run=_validate)

    commands.add_parser("editions", help="list editions and their coverage").set_defaults(run=_editions)

    events = commands.add_parser("events", help="show the ten events of one or more editions")
    events.add_argument("editions", nargs="+", type=int, metavar="EDITION")
    events.set_defaults(run=_events)

    compare = commands.add_parser("compare", help="compare two editions: events, themes, matched figures")
    compare.add_argument("a", type=int, metavar="A")
    compare.add_argument("b", type=int, metavar="B")
    compare.set_defaults(run=_compare)

    scorecard = commands.add_parser("scorecard", help="an edition's forecasts with their latest verdicts")
    scorecard.add_argument("edition", type=int, metavar="EDITION")
    scorecard.set_defaults(run=_scorecard)

    series = commands.add_parser("series", help="a series across editions and official statistics, in base units")
    series.add_argument("series_id", metavar="ID")
    series.set_defaults(run=_series)

    keywords = commands.add_parser("keywords", help="term counts per edition over headlines, headings and summaries")
    keywords.add_argument("terms", nargs="+", metavar="TERM")
    keywords.set_defaults(run=_keywords)

    export = commands.add_parser("export", help="write every table as xlsx, sqlite or parquet")
    export.add_argument("--format", required=True, choices=["xlsx", "sqlite", "parquet"], dest="fmt")
    export.add_argument("--force", action="store_true", help="replace files in a non-empty folder")
    export.add_argument("directory", metavar="DIR")
    export.set_defaults(run=_export)

    commands.add_parser("report", help="the main job: editions, latest events, scorecard, key series").set_defaults(run=_report)

    new = commands.add_parser("new-edition", help="scaffold datasets/YEAR/ with empty tables and register them")
    new.add_argument("year", type=int, metavar="YEAR")
    new.set_defaults(run=_new_edition)

    refresh = commands.add_parser("refresh-hashes", help="record the size and sha256 hash of every data file in datapackage.json")
    refresh.add_argument("path", nargs="?", help="datapackage.json or the folder holding it")
    refresh.set_defaults(run=_refresh_hashes)
    return parser


def _validate(args: argparse.Namespace) -> int:
    from .validation import validate

    report = validate(args.path or args.package)
    if report.valid:
        print("valid: the data package passed every check (files, frictionless, pandera, cross-table rules, hashes)")
        return 0
    print(f"invalid: {len(report.problems)} problem(s). Each line: file, row (the header is row 1), column: value: what was expected")
    for problem in report.problems:
        print(f"  {problem}")
    return 1


def _editions(args: argparse.Namespace) -> int:
    from .display import table
    from .tables import editions

    columns = ["edition", "forecast_year", "published", "events_found", "review_coverage", "trends_coverage"]
    frame = editions(args.package)[columns].copy()
    frame["published"] = frame["published"].dt.strftime("%Y-%m-%d")
    print(table(frame))
    return 0


def _events(args: argparse.Namespace) -> int:
    from .display import table
    from .tables import events

    for edition in args.editions:
        frame = events(edition, path=args.package)
        if frame.empty:
            print(f"No events of edition {edition} in the package.", file=sys.stderr)
            return 1
        print(f"\nThe ten events of {edition}")
        print(table(frame[["rank", "title_zh", "title_en", "theme"]], max_width=48))
    return 0


KEY_SERIES = ("fixed_broadband_households", "users_4g", "ipv6_active_users", "top100_internet_revenue")


def _report(args: argparse.Namespace) -> int:
    from . import compare
    from .display import table
    from .scoring import scorecard
    from .tables import editions
    from .tracking import series

    eds = editions(args.package)
    print("1. Editions and what the package holds of them")
    print(table(eds[["edition", "forecast_year", "events_found", "review_coverage", "trends_coverage", "note"]], max_width=70))

    a, b = eds.loc[eds["events_found"] == 10, "edition"].nlargest(2).sort_values().tolist()
    print(f"\n2. The ten events of {a} and {b} side by side")
    side = compare.events(a, b, args.package)
    print(table(side[["rank", f"title_zh_{a}", f"theme_{a}", f"title_zh_{b}", f"theme_{b}"]], max_width=36))
    print(f"\nTheme shifts from {a} to {b}")
    print(table(compare.theme_shifts(a, b, args.package)))

    forecast_edition = int(eds.loc[eds["trends_coverage"] == "full", "edition"].max())
    card = scorecard(forecast_edition, args.package)
    print(f"\n3. Scorecard of the {forecast_edition} edition's forecasts")
    print(table(card.by_verdict))
    judged = card.forecasts[~card.forecasts["verdict"].isin(["cannot_be_judged", "not_judged"])]
    print(table(judged[["forecast_id", "target_year", "verdict", "claim_en"]], max_width=70))

    print(f"\n4. Key series from {forecast_edition} onward (base units)")
    for series_id in KEY_SERIES:
        points = series(series_id, args.package)
        points = points[points["period_end"].dt.year >= forecast_edition]
        points = points.assign(period_end=points["period_end"].dt.strftime("%Y-%m-%d"), base_value=points["base_value"].map("{:,.0f}".format))
        print(f"\n{series_id}")
        print(table(points[["period_end", "origin", "value", "unit", "comparator", "base_value", "base_unit", "reliability"]]))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from . import compare
    from .display import table

    a, b = args.a, args.b
    print(f"Events of {a} and {b} side by side")
    print(table(compare.events(a, b, args.package)[["rank", f"title_zh_{a}", f"theme_{a}", f"title_zh_{b}", f"theme_{b}"]], max_width=36))
    print(f"\nTheme shifts from {a} to {b}")
    print(table(compare.theme_shifts(a, b, args.package)))
    print(f"\nFigures of {a} and {b} matched by series (growth left empty where the figures are not like for like)")
    matched = compare.indicators(a, b, args.package)
    print(table(matched[["series_id", "value_a", "unit_a", "value_b", "unit_b", "growth", "caveat"]]) if len(matched) else "(no series reported by both)")
    return 0


def _scorecard(args: argparse.Namespace) -> int:
    from .display import table
    from .scoring import scorecard

    card = scorecard(args.edition, args.package)
    if card.forecasts.empty:
        print(f"No forecasts of edition {args.edition} in the package.", file=sys.stderr)
        return 1
    print(table(card.forecasts[["forecast_id", "target_year", "theme", "verdict", "claim_en"]], max_width=70))
    print("\nBy verdict")
    print(table(card.by_verdict))
    return 0


def _series(args: argparse.Namespace) -> int:
    from .display import table
    from .tracking import series

    try:
        points = series(args.series_id, args.package)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    points = points.assign(period_end=points["period_end"].dt.strftime("%Y-%m-%d"), base_value=points["base_value"].map("{:,.0f}".format))
    print(table(points[["period_end", "origin", "edition", "entity_id", "value", "unit", "comparator", "base_value", "base_unit", "source_id"]]))
    return 0


def _keywords(args: argparse.Namespace) -> int:
    from .display import table
    from .keywords import trend

    print(table(trend(args.terms, path=args.package).reset_index()))
    return 0


def _export(args: argparse.Namespace) -> int:
    from .export import ExportRefused, export

    try:
        written = export(args.directory, args.fmt, force=args.force, path=args.package)
    except ExportRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"{args.fmt} export needs an optional library ({exc.name}): pip install 'china-internet-trends[export]'", file=sys.stderr)
        return 1
    print(f"Wrote {len(written)} file(s) to {args.directory}")
    return 0


def _new_edition(args: argparse.Namespace) -> int:
    from .edition import EditionExists, scaffold

    try:
        created = scaffold(args.year, args.package)
    except EditionExists as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"Created {len(created)} empty tables for edition {args.year} and registered them, with their size and hash, in datapackage.json:")
    for path in created:
        print(f"  {path}")
    print("Next: add the edition's row to datasets/editions.csv and its sources, fill the tables, then run "
          "`china-internet-trends refresh-hashes` and `china-internet-trends validate`. CONTRIBUTING.md walks through it.")
    return 0


def _refresh_hashes(args: argparse.Namespace) -> int:
    from .integrity import refresh

    changed = refresh(args.path or args.package)
    if not changed:
        print("Every data file matches its recorded size and hash; datapackage.json was not changed.")
        return 0
    print(f"Recorded the new size and hash of {len(changed)} file(s) in datapackage.json:")
    for rel in changed:
        print(f"  {rel}")
    return 0
