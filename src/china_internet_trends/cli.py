"""The ``china-internet-trends`` command line.

    china-internet-trends validate [PATH]      check a package; exit 0 valid, 1 invalid
    china-internet-trends editions             the editions and how much of each the package holds
    china-internet-trends events 2017 [2016]   an edition's ten events
    china-internet-trends compare 2016 2017    two editions' events side by side, theme shifts, matched figures
    china-internet-trends scorecard 2017       an edition's forecasts and their verdicts
    china-internet-trends series [ID]          every series, or one across editions and official statistics
    china-internet-trends keywords 5G 区块链    term counts per edition
    china-internet-trends export --format xlsx DIR   every table as xlsx, sqlite or parquet
    china-internet-trends report               the main job: editions, latest events, scorecard, key series
    china-internet-trends new-edition 2018     scaffold an edition's empty tables (refuses an existing one)
    china-internet-trends refresh-hashes       record every data file's size and hash after an intended edit

Listing commands take ``--format table|csv|json|markdown`` (tables fit the terminal; the others
print the same tables as data to pipe into other tools), commands that print titles take
``--lang zh|en|both``, and every command takes ``--package PATH`` before or after its name.
Bad data never shows a traceback: the problems are printed, one per line, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import TYPE_CHECKING, Sequence

from .errors import DataPackageError, QueryError, ReadOnlyPackage, UnsafePath, printable
from .output import FORMATS, Output
from .package import opened
from .scratch import Busy

if TYPE_CHECKING:
    import pandas as pd

    from .report import EventsSideBySide

LANGUAGES = ("zh", "en", "both")
MAX_PROBLEMS = 20
"""How many problems ``validate`` shows per file and column unless told otherwise."""


def run() -> None:
    """The console script and ``python -m china_internet_trends``: :func:`main`, then exit with its code.

    A command imports pandas, pandera and frictionless, several hundred thousand objects that live
    until the process ends. ``gc.freeze()`` moves them out of the collector's sight, before the
    command (so that its collections do not walk them again and again) and before exit (where
    Python would otherwise walk every object once more only to free memory the OS reclaims); see
    benchmarks/README.md for what it saves.
    ``main`` itself leaves the collector alone, as a library call should.
    """
    gc.freeze()
    code = main()
    gc.freeze()
    raise SystemExit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code. ``main(["editions"])``"""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DataPackageError as exc:
        print(f"The data package cannot be read:\n{exc.report}", file=sys.stderr)
        return 1
    except (QueryError, ReadOnlyPackage, Busy, UnsafePath) as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, as the Python docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a read-only or full disk, a file where a folder should be…
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {printable(where + (exc.strerror or str(exc)))}; no file was left half written", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="china-internet-trends",
        description="The Internet Society of China's annual reports as validated data.",
    )
    package_help = "datapackage.json (or its folder) to read instead of the shipped one"
    parser.add_argument("--package", metavar="PATH", help=package_help)
    # The same option after the command; SUPPRESS keeps a value given before the command.
    package = argparse.ArgumentParser(add_help=False)
    package.add_argument("--package", metavar="PATH", default=argparse.SUPPRESS, help=package_help)
    listing = argparse.ArgumentParser(add_help=False)
    listing.add_argument("--format", choices=FORMATS, default="table",
                         help="table (fit to the terminal, the default), or csv, json or markdown: the same tables as data")
    titled = argparse.ArgumentParser(add_help=False)
    titled.add_argument("--lang", choices=LANGUAGES, default="both", help="titles in Chinese, English or both (the default)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", parents=[package], help="validate a data package (default: the shipped one)")
    validate.add_argument("path", nargs="?", help="datapackage.json or the folder holding it")
    validate.add_argument("--frictionless", action="store_true",
                          help="also run frictionless over every row (slower; a second opinion on types, constraints and keys)")
    validate.add_argument("--max-problems", type=_count, default=MAX_PROBLEMS, metavar="N",
                          help=f"show at most N problems per file and column, and count the rest (default {MAX_PROBLEMS}; 0 shows all)")
    validate.set_defaults(run=_validate)

    commands.add_parser("editions", parents=[package, listing], help="list editions and their coverage").set_defaults(run=_editions)

    events = commands.add_parser("events", parents=[package, listing, titled], help="show the ten events of one or more editions")
    events.add_argument("editions", nargs="+", type=int, metavar="EDITION")
    events.set_defaults(run=_events)

    compare = commands.add_parser("compare", parents=[package, listing, titled],
                                  help="compare two editions: events, themes, matched figures")
    compare.add_argument("a", type=_side, metavar="A", help="an edition, or 'observations' (then only figures are compared)")
    compare.add_argument("b", type=_side, metavar="B", help="an edition, or 'observations'")
    compare.set_defaults(run=_compare)

    scorecard = commands.add_parser("scorecard", parents=[package, listing, titled], help="an edition's forecasts with their latest verdicts")
    scorecard.add_argument("edition", type=int, metavar="EDITION")
    scorecard.set_defaults(run=_scorecard)

    series = commands.add_parser("series", parents=[package, listing],
                                 help="every series, or one across editions and official statistics in base units")
    series.add_argument("series_id", nargs="?", metavar="ID", help="a series id; without it, every series and how many points it has")
    series.set_defaults(run=_series)

    keywords = commands.add_parser("keywords", parents=[package, listing], help="term counts per edition in ISC's printed titles and headings")
    keywords.add_argument("terms", nargs="+", metavar="TERM")
    keywords.set_defaults(run=_keywords)

    export = commands.add_parser("export", parents=[package], help="write every table as xlsx, sqlite or parquet")
    export.add_argument("--format", required=True, choices=["xlsx", "sqlite", "parquet"], dest="fmt")
    export.add_argument("--force", action="store_true", help="replace files in a non-empty folder")
    export.add_argument("directory", metavar="DIR")
    export.set_defaults(run=_export)

    report = commands.add_parser("report", parents=[package, titled], help="the main job: editions, latest events, scorecard, key series")
    report.add_argument("--format", choices=["table", "markdown"], default="table", help="table (fit to the terminal, the default) or markdown")
    report.add_argument("--html", metavar="PATH", help="write the report as one self-contained HTML page instead of printing it")
    report.add_argument("--force", action="store_true", help="with --html: replace an existing file")
    report.set_defaults(run=_report)

    new = commands.add_parser("new-edition", parents=[package], help="scaffold datasets/YEAR/ with empty tables and register them")
    new.add_argument("year", type=int, metavar="YEAR")
    new.set_defaults(run=_new_edition)

    refresh = commands.add_parser("refresh-hashes", parents=[package],
                                  help="record the size and sha256 hash of every data file in datapackage.json")
    refresh.add_argument("path", nargs="?", help="datapackage.json or the folder holding it")
    refresh.set_defaults(run=_refresh_hashes)
    return parser


def _languages(lang: str) -> list[str]:
    """The title languages ``--lang`` asks for, in print order."""
    return ["zh", "en"] if lang == "both" else [lang]


def _validate(args: argparse.Namespace) -> int:
    """Print each problem as validation finds it, after a line that says how to read them, then a count."""
    from .validation import LEFT_OUT, iter_problems

    shown, capped = 0, 0
    for problem in iter_problems(args.path or args.package, frictionless=args.frictionless, max_problems=args.max_problems):
        if not shown + capped:
            print("invalid: problems follow, one per line: file, row (the header is row 1), column: value: what was expected", flush=True)
        shown += problem.layer != LEFT_OUT
        capped += problem.layer == LEFT_OUT
        print(f"  {problem}", flush=True)
    if shown:
        more = f"; more in {capped} file(s) and column(s), counted above (--max-problems 0 shows every one)" if capped else ""
        print(f"invalid: {shown} problem(s) shown{more}")
        return 1
    also = ", frictionless over every row" if args.frictionless else ""
    print(f"valid: the data package passed every check (files, descriptor, types and constraints, keys, cross-table rules, hashes{also})")
    return 0


def _count(text: str) -> int:
    """A whole number of at least 0, for argparse."""
    number = int(text)
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {number}")
    return number


def _editions(args: argparse.Namespace) -> int:
    out = Output(args.format)
    columns = ["edition", "forecast_year", "published", "events_found", "review_coverage", "trends_coverage"]
    frame = opened(args.package).editions()[columns].copy()
    frame["published"] = frame["published"].dt.strftime("%Y-%m-%d")
    out.table("editions", frame)
    out.close()
    return 0


def _events(args: argparse.Namespace) -> int:
    p = opened(args.package)
    out = Output(args.format)
    columns = ["rank", *(f"title_{lang}" for lang in _languages(args.lang)), "theme"]
    for held in p.coverage(list(dict.fromkeys(args.editions))).itertuples():
        out.heading(f"{held.events_text[0].upper()}{held.events_text[1:]}")
        out.table(f"events_{held.edition}", p.events(held.edition)[columns], missing={"rank": "unknown"})
    out.close()
    return 0


def _report(args: argparse.Namespace) -> int:
    """The report's content (:func:`report.build`) as terminal tables, or markdown with ``--format markdown``."""
    if args.html == "":
        raise QueryError("--html needs the name of the file to write, such as report.html")
    if args.html is not None:
        return _html_report(args)
    from .display import thousands
    from .report import build

    content = build(opened(args.package))
    out = Output(args.format)
    out.table("editions", content.editions[["edition", "forecast_year", "events_found", "review_coverage", "trends_coverage", "note"]],
              title="1. Editions and what the package holds of them")
    if content.events is not None:
        a, b = content.events.editions
        out.heading(f"2. The ten events of {a} and {b} side by side")
        _print_compared_events(out, content.events, args.lang)
    else:
        out.heading("2. Events side by side: the package holds the ten events of fewer than two editions")
    card = content.scorecard
    if card is None:
        out.heading("3. Scorecard: the package holds no edition's full outlook")
        out.close()
        return 0
    out.table("by_verdict", card.by_verdict, title=f"3. Scorecard of the {card.edition} edition's forecasts")
    judged = card.forecasts[~card.forecasts["verdict"].isin(["cannot_be_judged", "not_judged"])]
    claims = _claim_columns(out, card.forecasts, args.lang)
    out.table("judged", judged[["forecast_id", "target_year", "certainty", "verdict", "evidence_source_id", *claims]])
    _calibration(out, card)

    out.heading(f"4. Key series from {card.edition} onward (base units)")
    for series in content.key_series:
        points = series.points[series.points["period_end"].dt.year >= card.edition]
        points = points.assign(period_end=points["period_end"].dt.strftime("%Y-%m-%d"))
        out.table(series.series_id, points[["period_end", "origin", "value", "unit", "comparator", "base_value", "base_unit", "reliability"]],
                  title=series.series_id, formats={"base_value": thousands})
    out.close()
    return 0


def _html_report(args: argparse.Namespace) -> int:
    from .html_report import ReportRefused, write

    try:
        written = write(args.html, path=args.package, force=args.force)
    except ReportRefused as exc:
        print(f"error: refused: {printable(str(exc))}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"the HTML report needs an optional library ({exc.name}): pip install 'china-internet-trends[html]'", file=sys.stderr)
        return 1
    print(f"Wrote {printable(str(written))}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from .compare import OBSERVATIONS
    from .display import percent
    from .report import EventsSideBySide

    p = opened(args.package)
    out = Output(args.format)
    a, b = args.a, args.b
    matched = p.compare.indicators(a, b)
    editions = [side for side in (a, b) if side != OBSERVATIONS]
    held = p.coverage(editions).set_index("edition")
    if len(editions) == 2:
        out.heading(f"Events of {a} and {b} side by side")
        side_by_side = EventsSideBySide((a, b), p.compare.events(a, b), p.compare.theme_shifts(a, b), held.loc[[a, b]])
        _print_compared_events(out, side_by_side, args.lang)
    out.heading(f"Figures of {a} and {b} matched by series (growth left empty where the figures are not like for like)")
    out.note("What the package holds:")
    for side in (a, b):
        out.note(f"  {side}: " + (held.loc[side, "review_text"] if side in editions
                                  else "later official statistics (CNNIC, MIIT…), the latest of each series"))
    out.table("figures", matched[["series_id", f"value_{a}", f"unit_{a}", f"value_{b}", f"unit_{b}", "growth", "caveat"]],
              empty="(no series reported by both)", formats={"growth": percent})
    out.close()
    return 0


def _side(text: str) -> int | str:
    """A side of a comparison as typed: an edition (a year) or 'observations'."""
    if text == "observations":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an edition (a year such as 2017) or 'observations', not {text!r}") from None


def _print_compared_events(out: Output, pair: EventsSideBySide, lang: str) -> None:
    """The two editions' events side by side and their theme shifts, each side headed by what the package holds.
    A cell of a side that does not hold all ten events reads "not held"."""
    (a, b), side, shifts, held = pair.editions, pair.side, pair.shifts, pair.held
    out.note("What the package holds:")
    for edition in (a, b):
        out.note(f"  {edition}: {held.loc[edition, 'events_text']}")
    columns = {edition: [*(f"title_{language}_{edition}" for language in _languages(lang)), f"theme_{edition}"] for edition in (a, b)}
    missing = {"rank": "unknown"} | {column: "not held" for edition in (a, b) if not held.loc[edition, "events_complete"]
                                     for column in columns[edition]}
    out.table("events", side[["rank", *columns[a], *columns[b]]], missing=missing)
    out.table("theme_shifts", shifts[["theme", f"events_{a}", f"events_{b}", "status", "caveat"]],
              title=f"Theme shifts from {a} to {b} (status empty where a side does not hold all ten events: see caveat)",
              missing={f"events_{a}": "not held", f"events_{b}": "not held"})


def _claim_columns(out: Output, forecasts: pd.DataFrame, lang: str) -> list[str]:
    """The claim columns ``lang`` asks for; a note says so when the Chinese is asked for and some claims
    have none (the package holds ``claim_zh`` only where the printed wording is known)."""
    wanted = [f"claim_{language}" for language in _languages(lang)]
    missing = int(forecasts["claim_zh"].isna().sum())
    if "claim_zh" in wanted and missing:
        out.note(f"{missing} of the {len(forecasts)} claims have no Chinese wording held (claim_zh is empty).")
    return wanted


def _scorecard(args: argparse.Namespace) -> int:
    out = Output(args.format)
    card = opened(args.package).scorecard(args.edition)
    out.heading(card.heading)
    claims = _claim_columns(out, card.forecasts, args.lang)
    out.table("forecasts", card.forecasts[["forecast_id", "target_year", "certainty", "verdict", "evidence_source_id", *claims]])
    out.table("by_verdict", card.by_verdict, title="By verdict", missing={"forecasts": "not held"})
    _calibration(out, card)
    out.close()
    return 0


def _calibration(out: Output, card) -> None:
    """The calibration table: verdicts by how sure the edition was (its hedge), with shares as percentages."""
    from .display import percent

    shares = ["fulfilled_share", "fulfilled_or_partly_share"]
    out.table("calibration", card.by_certainty[["certainty", "forecasts", *card.by_verdict["verdict"], "decided", *shares]],
              title="Calibration: verdicts by certainty (high: 将 or a plain statement; medium: 预计, 有望; low: 或将, 可能); "
                    "shares of the decided forecasts (fulfilled, partly or not fulfilled)",
              formats=dict.fromkeys(shares, lambda share: percent(share).lstrip("+")))


def _series(args: argparse.Namespace) -> int:
    from .display import thousands
    p = opened(args.package)
    out = Output(args.format)
    if args.series_id is None:
        listed = p.catalogue()
        out.heading(f"{len(listed)} series; points: the edition figures and later official statistics held "
                    "(`china-internet-trends series ID` lists them)")
        out.table("series", listed)
        out.close()
        return 0
    points = p.series(args.series_id)
    points = points.assign(period_end=points["period_end"].dt.strftime("%Y-%m-%d"))
    if len(points):
        out.heading(f"{args.series_id}, counted by {points['counted_by'].iloc[0]}")
    out.table("points", points[["period_end", "origin", "edition", "entity_id", "value", "unit", "comparator", "base_value", "base_unit",
                                "segment", "source_id"]], formats={"base_value": thousands})
    for note in points.loc[points["break_note"].notna(), ["period_end", "break_note"]].itertuples():
        out.note(f"Segment break at {note.period_end}: {note.break_note}")
    out.close()
    return 0


def _keywords(args: argparse.Namespace) -> int:
    out = Output(args.format)
    terms = list(dict.fromkeys(args.terms))
    counts = opened(args.package).keywords.trend(terms)
    editions = counts["edition"].unique().tolist()
    not_held = dict.fromkeys(editions, "not held")
    out.table("counts", counts.pivot(index="term", columns="edition", values="count").reindex(terms).reset_index(),
              title="Occurrences in ISC's printed titles and headings (not held: the package holds no printed text of that edition)",
              missing=not_held)
    rates = counts.pivot(index="term", columns="edition", values="rate_per_10k").reindex(terms).reset_index()
    out.table("rates", rates, title="Per 10,000 printed characters (compare these across editions: "
              "the package holds very different amounts of text)", missing=not_held, formats=dict.fromkeys(editions, "{:.1f}".format))
    held = counts.drop_duplicates("edition").set_index("edition")[["texts", "characters"]].T
    out.table("held", held.rename_axis(index="held").reset_index(), title="Printed text held")
    out.close()
    return 0


def _export(args: argparse.Namespace) -> int:
    import warnings

    from .export import ExportNote, ExportRefused, export

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ExportNote)
            written = export(args.directory, args.fmt, force=args.force, path=args.package)
    except ExportRefused as exc:
        print(f"error: refused: {printable(str(exc))}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"{args.fmt} export needs an optional library ({exc.name}): pip install 'china-internet-trends[export]'", file=sys.stderr)
        return 1
    print(f"Wrote {len(written)} file(s) to {printable(args.directory)}:")
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
        print(f"error: refused: {printable(str(exc))}", file=sys.stderr)
        return 1
    print(f"Created {len(created)} empty tables for edition {args.year} and registered them, with their size and hash, in datapackage.json:")
    for path in created:
        print(f"  {printable(str(path))}")
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
