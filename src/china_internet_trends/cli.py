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

from .errors import DataPackageError, QueryError


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code. ``main(["editions"])``"""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataPackageError as exc:
        print(f"The data package cannot be read:\n{exc.report}", file=sys.stderr)
        return 1
    except QueryError as exc:
        print(f"error: {exc}", file=sys.stderr)
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
    compare.add_argument("a", type=_side, metavar="A", help="an edition, or 'observations' (then only figures are compared)")
    compare.add_argument("b", type=_side, metavar="B", help="an edition, or 'observations'")
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

    report = commands.add_parser("report", help="the main job: editions, latest events, scorecard, key series")
    report.add_argument("--html", metavar="PATH", help="write the report as one self-contained HTML page instead of printing it")
    report.add_argument("--force", action="store_true", help="with --html: replace an existing file")
    report.set_defaults(run=_report)

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
    from .holdings import coverage
    from .tables import events

    for held in coverage(args.editions, args.package).itertuples():
        print(f"\n{held.events_text[0].upper()}{held.events_text[1:]}")
        if held.events_held:
            print(table(events(held.edition, path=args.package)[["rank", "title_zh", "title_en", "theme"]], max_width=48))
    return 0


KEY_SERIES = ("fixed_broadband_households", "users_4g", "ipv6_active_users", "top100_internet_revenue")


def _report(args: argparse.Namespace) -> int:
    if args.html:
        return _html_report(args)
    from . import holdings
    from .display import table
    from .scoring import scorecard
    from .tables import editions, series_table
    from .tracking import series

    eds = editions(args.package)
    print("1. Editions and what the package holds of them")
    print(table(eds[["edition", "forecast_year", "events_found", "review_coverage", "trends_coverage", "note"]], max_width=70))

    complete = holdings.coverage(path=args.package).query("events_complete")["edition"].tolist()
    if len(complete) >= 2:
        a, b = complete[-2:]
        print(f"\n2. The ten events of {a} and {b} side by side")
        _print_compared_events(a, b, args.package)
    else:
        print("\n2. Events side by side: the package holds the ten events of fewer than two editions")

    full_outlooks = eds.loc[eds["trends_coverage"] == "full", "edition"]
    if full_outlooks.empty:
        print("\n3. Scorecard: the package holds no edition's full outlook")
        return 0
    forecast_edition = int(full_outlooks.max())
    card = scorecard(forecast_edition, args.package)
    print(f"\n3. Scorecard of the {forecast_edition} edition's forecasts")
    print(table(card.by_verdict))
    judged = card.forecasts[~card.forecasts["verdict"].isin(["cannot_be_judged", "not_judged"])]
    print(table(judged[["forecast_id", "target_year", "certainty", "verdict", "evidence_source_id", "claim_en"]], max_width=60))
    _print_calibration(card)

    print(f"\n4. Key series from {forecast_edition} onward (base units)")
    known = set(series_table(args.package)["series_id"])
    for series_id in (s for s in KEY_SERIES if s in known):
        points = series(series_id, args.package)
        points = points[points["period_end"].dt.year >= forecast_edition]
        points = points.assign(period_end=points["period_end"].dt.strftime("%Y-%m-%d"), base_value=points["base_value"].map("{:,.0f}".format))
        print(f"\n{series_id}")
        print(table(points[["period_end", "origin", "value", "unit", "comparator", "base_value", "base_unit", "reliability"]]))
    return 0


def _html_report(args: argparse.Namespace) -> int:
    from .html_report import ReportRefused, write

    try:
        written = write(args.html, args.package, force=args.force)
    except ReportRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"the HTML report needs an optional library ({exc.name}): pip install 'china-internet-trends[html]'", file=sys.stderr)
        return 1
    print(f"Wrote {written}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from . import compare
    from .display import percent, table
    from .holdings import coverage

    a, b = args.a, args.b
    matched = compare.indicators(a, b, args.package).assign(growth=lambda m: m["growth"].map(percent))
    editions = [side for side in (a, b) if side != compare.OBSERVATIONS]
    held = coverage(editions, args.package).set_index("edition")
    if len(editions) == 2:
        print(f"Events of {a} and {b} side by side")
        _print_compared_events(a, b, args.package)
        print()
    print(f"Figures of {a} and {b} matched by series (growth left empty where the figures are not like for like)")
    for side in (a, b):
        print(f"  {side}: " + (f"the package holds {held.loc[side, 'review_text']}" if side in editions
                               else "later official statistics (CNNIC, MIIT…), the latest of each series"))
    print(table(matched[["series_id", "value_a", "unit_a", "value_b", "unit_b", "growth", "caveat"]]) if len(matched) else "(no series reported by both)")
    return 0


def _side(text: str) -> int | str:
    """A side of a comparison as typed: an edition (a year) or 'observations'."""
    if text == "observations":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an edition (a year such as 2017) or 'observations', not {text!r}") from None


def _print_compared_events(a: int, b: int, path: str | None) -> None:
    """The two editions' events side by side and their theme shifts, each side headed by what the package holds."""
    from . import compare
    from .display import table
    from .holdings import coverage

    side, shifts = compare.events(a, b, path), compare.theme_shifts(a, b, path)
    held = coverage([a, b], path).set_index("edition")
    for edition in (a, b):
        print(f"  {edition}: the package holds {held.loc[edition, 'events_text']}")
    if side.empty:
        return
    print(table(side[["rank", f"title_zh_{a}", f"theme_{a}", f"title_zh_{b}", f"theme_{b}"]], max_width=36))
    print(f"\nTheme shifts from {a} to {b} (status empty where a side does not hold all ten events: see caveat)")
    print(table(shifts[["theme", f"events_{a}", f"events_{b}", "status", "caveat"]], max_width=70))


def _scorecard(args: argparse.Namespace) -> int:
    from .display import table
    from .scoring import scorecard

    card = scorecard(args.edition, args.package)
    print(card.heading)
    if card.forecasts.empty:
        return 0
    print(table(card.forecasts[["forecast_id", "target_year", "certainty", "verdict", "evidence_source_id", "claim_en"]], max_width=60))
    print("\nBy verdict")
    print(table(card.by_verdict))
    _print_calibration(card)
    return 0


def _print_calibration(card) -> None:
    """The calibration table: verdicts by how sure the edition was (its hedge), with shares as percentages."""
    from .display import percent, table

    shares = ["fulfilled_share", "fulfilled_or_partly_share"]
    calibration = card.by_certainty.assign(**{c: card.by_certainty[c].map(lambda v: percent(v).lstrip("+")) for c in shares})
    print("\nCalibration: verdicts by certainty (high: 将 or a plain statement; medium: 预计, 有望; low: 或将, 可能);"
          " shares of the decided forecasts (fulfilled, partly or not fulfilled)")
    print(table(calibration[["certainty", "forecasts", *card.by_verdict["verdict"], "decided", *shares]]))


def _series(args: argparse.Namespace) -> int:
    from .display import table
    from .tracking import series

    try:
        points = series(args.series_id, args.package)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return 1
    points = points.assign(period_end=points["period_end"].dt.strftime("%Y-%m-%d"), base_value=points["base_value"].map("{:,.0f}".format))
    print(f"{args.series_id}, counted by {points['counted_by'].iloc[0]}" if len(points) else args.series_id)
    print(table(points[["period_end", "origin", "edition", "entity_id", "value", "unit", "comparator", "base_value", "base_unit",
                        "segment", "source_id"]]))
    for note in points.loc[points["break_note"].notna(), ["period_end", "break_note"]].itertuples():
        print(f"  segment break at {note.period_end}: {note.break_note}")
    return 0


def _keywords(args: argparse.Namespace) -> int:
    from .display import table
    from .keywords import trend

    counts = trend(args.terms, path=args.package)
    print("Occurrences in ISC's printed titles and headings (empty: the package holds no printed text of that edition)")
    print(table(counts.pivot(index="term", columns="edition", values="count").reindex(list(dict.fromkeys(args.terms))).reset_index()))
    print("\nPer 10,000 printed characters (compare these across editions: the package holds very different amounts of text)")
    rates = counts.pivot(index="term", columns="edition", values="rate_per_10k").round(1)
    print(table(rates.reindex(list(dict.fromkeys(args.terms))).reset_index()))
    print("\nPrinted text held")
    held = counts.drop_duplicates("edition").set_index("edition")[["texts", "characters"]].T
    print(table(held.rename_axis(index="held").reset_index()))
    return 0


def _export(args: argparse.Namespace) -> int:
    import warnings

    from .export import ExportNote, ExportRefused, export

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExportNote)
            written = export(args.directory, args.fmt, force=args.force, path=args.package)
    except ExportRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"{args.fmt} export needs an optional library ({exc.name}): pip install 'china-internet-trends[export]'", file=sys.stderr)
        return 1
    print(f"Wrote {len(written)} file(s) to {args.directory}:")
    for file in written:
        print(f"  {file.name}")
    for note in caught:
        if issubclass(note.category, ExportNote):
            print(f"note: {note.message}")
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
