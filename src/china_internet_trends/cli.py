"""The ``china-internet-trends`` command line.

    china-internet-trends validate [PATH]      check a package; exit 0 valid, 1 invalid
    china-internet-trends editions             the editions and how much of each the package holds
    china-internet-trends events 2017 [2016]   an edition's ten events
    china-internet-trends report               the main job: editions, coverage and latest events
    china-internet-trends new-edition 2018     scaffold an edition's empty tables (refuses an existing one)

Bad data never shows a traceback: the problems are printed, one per line, and the exit code is 1.
"""

from __future__ import annotations

import argparse
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

    commands.add_parser("report", help="editions, coverage and the latest events").set_defaults(run=_report)

    new = commands.add_parser("new-edition", help="scaffold datasets/YEAR/ with empty tables and register them")
    new.add_argument("year", type=int, metavar="YEAR")
    new.set_defaults(run=_new_edition)
    return parser


def _validate(args: argparse.Namespace) -> int:
    from .validation import validate

    report = validate(args.path or args.package)
    if report.valid:
        print("valid: the data package passed every check (frictionless, pandera, cross-table rules)")
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


def _report(args: argparse.Namespace) -> int:
    from .display import table
    from .tables import editions, events, forecasts, indicators

    eds = editions(args.package)
    print("Editions and coverage")
    print(table(eds[["edition", "forecast_year", "events_found", "review_coverage", "trends_coverage", "note"]]))
    latest = int(eds.loc[eds["events_found"] == 10, "edition"].max())
    print(f"\nThe ten events of {latest}")
    print(table(events(latest, path=args.package)[["rank", "title_zh", "title_en", "theme"]], max_width=48))
    print(f"\nEdition {latest} holds {len(indicators(latest, path=args.package))} figures and "
          f"{len(forecasts(latest, path=args.package))} forecasts.")
    return 0


def _new_edition(args: argparse.Namespace) -> int:
    from .edition import EditionExists, scaffold

    try:
        created = scaffold(args.year, args.package)
    except EditionExists as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    print(f"Created {len(created)} empty tables for edition {args.year} and registered them in datapackage.json:")
    for path in created:
        print(f"  {path}")
    print("Next: add the edition's row to datasets/editions.csv and its sources, fill the tables, then run "
          "`china-internet-trends validate`. CONTRIBUTING.md walks through it.")
    return 0
