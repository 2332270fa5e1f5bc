"""The ``china-internet-trends`` command line.

    china-internet-trends validate [PATH]      check a package; exit 0 valid, 1 invalid
    china-internet-trends editions             the editions and how much of each the package holds
    china-internet-trends events 2017 [2016]   an edition's ten events
    china-internet-trends compare 2016 2017    two editions' events side by side, theme shifts, matched figures
    china-internet-trends scorecard 2017       an edition's forecasts and their verdicts
    china-internet-trends series [ID]          every series, or one across editions and official statistics
    china-internet-trends keywords 5G 区块链    term counts per edition
    china-internet-trends export --format xlsx DIR   every table as xlsx, sqlite or parquet
    china-internet-trends report [--full]      the main job on one screen: editions, latest events, scorecard, key series,
                                               themes, sources (--full: every part whole)
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
import shlex
import sys
from typing import TYPE_CHECKING, Sequence

import pandas as pd

from .errors import DataPackageError, NotInPackage, QueryError, ReadOnlyPackage, UnsafePath, printable
from .output import FORMATS, Output
from .package import opened
from .scratch import Busy

if TYPE_CHECKING:
    from .report import Content, EventsSideBySide, KeySeries

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
        print(f"error: the data package cannot be read (`{_command(args, 'validate')}` checks all of it):\n{exc.report}", file=sys.stderr)
        return 1
    except NotInPackage as exc:
        print(f"error: {printable(str(exc))}; {printable(_lists(exc.what, args))}", file=sys.stderr)
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


def _lists(what: str, args: argparse.Namespace) -> str:
    """The command that shows what the package has in place of an unknown ``what`` (an edition, a series, a table)."""
    if what == "edition":
        return f"`{_command(args, 'editions')}` shows what the package holds of each"
    if what == "series":
        return f"`{_command(args, 'series')}` lists them"
    return f"`{_command(args, 'validate')}` says what the package lacks"


def _command(args: argparse.Namespace, *words: object) -> str:
    """The command line that runs ``words`` on the package ``args`` reads, to show in a message.

    >>> _command(argparse.Namespace(package=None), "scorecard", 2017)
    'china-internet-trends scorecard 2017'
    >>> _command(argparse.Namespace(package="my copy"), "series")
    "china-internet-trends series --package 'my copy'"
    """
    package = ["--package", args.package] if getattr(args, "package", None) else []
    return shlex.join(["china-internet-trends", *map(str, words), *package])


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

    keywords = commands.add_parser("keywords", parents=[package, listing],
                                   help="term counts per edition in ISC's printed titles and headings, or the terms rising between two editions")
    keywords.add_argument("terms", nargs="*", metavar="TERM", help="terms to count in every edition (give none with --rising)")
    keywords.add_argument("--rising", nargs=2, type=int, metavar=("A", "B"),
                          help="instead of counting terms, rank the terms whose rate rose most surely from edition A to B")
    keywords.add_argument("--top", type=int, metavar="N", help="with --rising: how many terms to show (default 20)")
    keywords.set_defaults(run=_keywords)

    export = commands.add_parser("export", parents=[package], help="write every table as xlsx, sqlite or parquet")
    export.add_argument("--format", required=True, choices=["xlsx", "sqlite", "parquet"], dest="fmt")
    export.add_argument("--force", action="store_true", help="replace files in a non-empty folder")
    export.add_argument("directory", metavar="DIR")
    export.set_defaults(run=_export)

    report = commands.add_parser("report", parents=[package, titled],
                                 help="the main job on one screen: editions, latest events, scorecard, key series, themes, sources")
    report.add_argument("--format", choices=["table", "markdown"], default="table", help="table (fit to the terminal, the default) or markdown")
    report.add_argument("--html", metavar="PATH", help="write the report as one self-contained HTML page instead of printing it")
    report.add_argument("--force", action="store_true", help="with --html: replace an existing file")
    report.add_argument("--full", action="store_true", help="every part whole, not its summary (markdown too)")
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
    """The report's content (:func:`report.build`) as terminal tables, or markdown with ``--format markdown``:
    a summary of each part, each ending with the command that shows it whole, or with ``--full`` every part whole."""
    if args.html == "":
        raise QueryError("--html needs the name of the file to write, such as report.html")
    if args.html is not None:
        return _html_report(args)
    from .report import build

    content = build(opened(args.package))
    out = Output(args.format, every_column="--format markdown")
    (_full_report if args.full else _report_summary)(out, content, args)
    out.close()
    return 0


def _report_summary(out: Output, content: Content, args: argparse.Namespace) -> None:
    """Each part of the report in short: the editions, the latest events' titles side by side, the scorecard's
    verdicts by certainty, each key series' latest point and target, the top themes and the sources counted."""
    from .display import thousands
    from .sentences import listed, say

    editions = content.editions[["edition", "published", "events_found", "review_coverage", "trends_coverage"]]
    out.table("editions", editions.assign(published=editions["published"].dt.strftime("%Y-%m-%d")),
              title="1. Editions and what the package holds of them")
    out.note(say("report.whole", "en", command=f"`{_command(args, 'editions')}`"))
    _publications(out, content, ["publication_id", "reviews_year", "released", "figures"])
    if content.events is None:
        out.heading("2. Events side by side: the package holds the ten events of fewer than two editions")
    else:
        a, b = content.events.editions
        out.table("events", _titles(content.events, args.lang), title=f"2. The ten events of {a} and {b} side by side: their titles",
                  missing={"rank": "unknown"})
        out.note(say("report.whole", "en", command=f"`{_command(args, 'events', a, b)}` (side by side, with their themes "
                                                   f"and theme shifts: `{_command(args, 'compare', a, b)}`)"))
    card = content.scorecard
    if card is None:
        out.heading("3. Scorecard: the package holds no edition's full outlook")
    else:
        verdicts = card.by_verdict.set_index("verdict")["forecasts"]
        every = pd.DataFrame([{"certainty": "all", "forecasts": len(card.forecasts), **verdicts.to_dict()}])
        out.table("by_certainty", pd.concat([card.by_certainty[["certainty", "forecasts", *verdicts.index]], every], ignore_index=True),
                  title=f"3. Scorecard of the {card.edition} edition's forecasts: verdicts by how sure it was")
        out.note(say("report.whole", "en", command=f"`{_command(args, 'scorecard', card.edition)}`"))
    out.heading(f"4. Key series from {card.edition} onward, in short: the latest point and the policy target" if card
                else "4. Key series, in short: the latest point and the policy target")
    for series in content.key_series:
        out.table(series.series_id, _latest(series), title=series.series_id, formats={"base_value": thousands}, missing={"target": "none"})
    if content.key_series:
        out.note(say("report.whole_each", "en", command=f"`{_command(args, 'series', content.key_series[0].series_id)}`"))
    counts = _theme_counts(content.themes)
    top = counts.loc[counts.sum(axis="columns").sort_values(ascending=False, kind="stable").index[:TOP_THEMES]]
    out.table("themes", top.reset_index(), missing=dict.fromkeys(counts.columns, "not held"),
              title=f"5. Themes: the {TOP_THEMES} with the most events, headings and forecasts held, by edition")
    out.note(say("report.whole", "en", command=f"`{_command(args, 'report', '--full')}`"))
    kinds = listed([f"{n} {kind}" for kind, n in content.sources["kind"].value_counts().items()], "en")
    out.heading(f"6. Sources: {say('report.sources', 'en', n=len(content.sources), kinds=kinds)}")
    out.note(say("report.whole", "en", command=f"`{_command(args, 'report', '--full')}`"))


TOP_THEMES = 5
"""How many themes the report's summary shows."""


def _publications(out: Output, content: Content, columns: list[str]) -> None:
    """ISC's July reports (:func:`report.publications`), when the package documents any: their ``columns``, and
    where their figures are found."""
    from .sentences import say

    held = content.publications
    if held.empty:
        return
    with_figures = int((held["figures"] > 0).sum())
    out.table("publications", held[columns].assign(released=held["released"].dt.strftime("%Y-%m-%d")),
              title=say("report.publications", "en", n=len(held), with_figures=with_figures, figures=int(held["figures"].sum())),
              missing={"released": "unknown", "title_zh": "unknown"}, optional=["title_zh"])
    out.note("Their figures are the points of origin `publication` in `series` and `figures`.")


def _theme_counts(themes: pd.DataFrame) -> pd.DataFrame:
    """The rows held of each theme (:func:`~china_internet_trends.compare.counts_by_year`), a column an edition
    the package holds any of, named by its year as text.

    >>> _theme_counts(pd.DataFrame({"count_2013": [pd.NA], "share_2013": [None], "count_2017": [9], "share_2017": [0.1]})).columns.tolist()
    ['2017']
    """
    from .compare import counts_by_year

    return counts_by_year(themes).dropna(axis="columns", how="all").rename(columns=str)


def _titles(pair: EventsSideBySide, lang: str) -> pd.DataFrame:
    """Each rank's titles in the two editions, a column an edition, the languages asked for one under the other.

    >>> from .report import EventsSideBySide
    >>> side = pd.DataFrame({"rank": [1], "title_zh_2016": ["网络安全法"], "title_en_2016": ["The Cybersecurity Law"],
    ...                      "title_zh_2017": ["十九大报告"], "title_en_2017": [None]})
    >>> _titles(EventsSideBySide((2016, 2017), side, pd.DataFrame()), "both").to_dict("records")
    [{'rank': 1, '2016': '网络安全法\\nThe Cybersecurity Law', '2017': '十九大报告'}]
    """
    columns = {str(edition): pair.side[[f"title_{language}_{edition}" for language in _languages(lang)]]
               .apply(lambda titles: "\n".join(titles.dropna()) or None, axis="columns") for edition in pair.editions}
    return pd.DataFrame({"rank": pair.side["rank"], **columns})


def _latest(series: KeySeries) -> pd.DataFrame:
    """The series' latest point and its policy target, as one row (none when the series has no point).

    >>> from .report import KeySeries
    >>> points = pd.DataFrame({"period_end": [pd.Timestamp("2025-06-30")], "origin": ["observation"], "value": [8.34],
    ...                        "unit": ["亿"], "base_value": [834e6]})
    >>> _latest(KeySeries("ipv6_active_users", pd.Series(), points, {"printed": "2亿", "year": 2018})).to_dict("records")
    [{'period_end': '2025-06-30', 'origin': 'observation', 'value': 8.34, 'unit': '亿', 'base_value': 834000000.0, 'target': '2亿', 'target_year': 2018}]
    """
    latest, target = series.latest, series.target or {}
    if latest is None:
        return pd.DataFrame()
    return pd.DataFrame([{"period_end": f"{latest['period_end']:%Y-%m-%d}", "origin": latest["origin"], "value": latest["value"],
                          "unit": latest["unit"], "base_value": latest["base_value"], "target": target.get("printed"),
                          "target_year": target.get("year")}])


def _full_report(out: Output, content: Content, args: argparse.Namespace) -> None:
    """Every part of the report whole: editions, events side by side with theme shifts, the judged forecasts and
    calibration, the key series' points, themes over editions and the sources."""
    from .display import percent, thousands

    out.table("editions", content.editions[["edition", "forecast_year", "events_found", "review_coverage", "trends_coverage", "note"]],
              title="1. Editions and what the package holds of them")
    _publications(out, content, ["publication_id", "title_zh", "reviews_year", "released", "figures", "holdings"])
    if content.events is not None:
        a, b = content.events.editions
        out.heading(f"2. The ten events of {a} and {b} side by side")
        _print_compared_events(out, content.events, args.lang)
    else:
        out.heading("2. Events side by side: the package holds the ten events of fewer than two editions")
    card = content.scorecard
    if card is None:
        out.heading("3. Scorecard: the package holds no edition's full outlook")
    else:
        out.table("by_verdict", card.by_verdict, title=f"3. Scorecard of the {card.edition} edition's forecasts")
        judged = card.forecasts[~card.forecasts["verdict"].isin(["cannot_be_judged", "not_judged"])]
        claims = _claim_columns(out, card.forecasts, args.lang)
        out.table("judged", judged[["forecast_id", "target_year", "certainty", "verdict", "evidence_source_id", *claims]])
        _calibration(out, card)
    out.heading(f"4. Key series from {card.edition} onward (base units)" if card else "4. Key series (base units)")
    for series in content.key_series:
        points = series.points[series.points["period_end"].dt.year >= card.edition] if card else series.points
        points = points.assign(period_end=points["period_end"].dt.strftime("%Y-%m-%d"))
        out.table(series.series_id, points[["period_end", "origin", "value", "unit", "comparator", "base_value", "base_unit", "reliability"]],
                  title=series.series_id, formats={"base_value": thousands})
    counts = _theme_counts(content.themes)
    not_held = dict.fromkeys(counts.columns, "not held")
    out.table("themes", counts.reset_index(), missing=not_held,
              title="5. Themes: events, headings and forecasts held, by edition (not held: the package holds none of that edition)")
    shares = content.themes[[f"share_{edition}" for edition in counts.columns]].rename(columns=lambda column: column.removeprefix("share_"))
    out.table("theme_shares", shares.reset_index(), missing=not_held, formats=dict.fromkeys(shares.columns, lambda share: percent(share).lstrip("+")),
              title="Each theme's share of what the package holds of each edition")
    sources = content.sources.assign(published=content.sources["published"].dt.strftime("%Y-%m-%d"))
    out.table("sources", sources[["source_id", "edition", "publisher", "title", "kind", "published", "url"]],
              title=f"6. Sources ({len(sources)})", optional=["url", "published", "edition", "kind"])


def _html_report(args: argparse.Namespace) -> int:
    from .html_report import ReportRefused, write

    try:
        written = write(args.html, path=args.package, force=args.force)
    except ReportRefused as exc:
        print(f"error: refused: {printable(str(exc))}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(f"error: the HTML report needs an optional library ({exc.name}): pip install 'china-internet-trends[html]'", file=sys.stderr)
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
        side_by_side = EventsSideBySide((a, b), p.compare.events(a, b), held.loc[[a, b]], p)
        _print_compared_events(out, side_by_side, args.lang)
    out.heading(f"Figures of {a} and {b} by series, the latest of each side: a share or rate changes in percentage points "
                "(change_pp), any other series by its growth; both empty where the figures are not like for like (see caveat)")
    out.note("What the package holds:")
    for side in (a, b):
        out.note(f"  {matched.attrs['coverage'][side]}; " + (held.loc[side, "review_text"] if side in editions
                                                              else "later official statistics (CNNIC, MIIT…)"))
    shown = matched.assign(**{f"period_end_{side}": matched[f"period_end_{side}"].dt.strftime("%Y-%m-%d") for side in (a, b)})
    sided = [f"{column}_{side}" for side in (a, b) for column in ("period_end", "value", "unit")]
    out.table("figures", shown[["series_id", *sided, "change_pp", "growth", "caveat"]], empty="(no series reported by both)",
              formats={"change_pp": lambda points: f"{points:+.1f} pp", "growth": percent})
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
    _calibration(out, card, by_origin=True)
    out.close()
    return 0


def _calibration(out: Output, card, by_origin: bool = False) -> None:
    """The calibration table: verdicts by how sure the edition was (its hedge), with shares as percentages.
    A narrow terminal leaves out first the count of decided forecasts (the sum of three columns) and of
    the verdicts that decide nothing. With ``by_origin``, a second table: ISC's own outlook apart from
    the targets and estimates it quotes, in forecasts (verdicts derived from clauses) and in clauses,
    each share with its Wilson 95% interval."""
    from .display import percent

    shares = ["fulfilled_share", "fulfilled_or_partly_share"]
    out.table("calibration", card.by_certainty[["certainty", "forecasts", *card.by_verdict["verdict"], "decided", *shares]],
              title="Calibration: verdicts by certainty (high: 将 or a plain statement; medium: 预计, 有望; low: 或将, 可能); "
                    "shares of the decided forecasts (fulfilled, partly or not fulfilled)",
              formats=dict.fromkeys(shares, lambda share: percent(share).lstrip("+")),
              optional=["decided", "not_judged", "cannot_be_judged", "too_early"])
    if by_origin:
        bounds = ["fulfilled_share", "share_low", "share_high"]
        out.table("calibration_by_origin", card.by_origin, title="Calibration by origin: ISC's own outlook (outlook) apart from the targets "
                  "and estimates it quotes (quoted), counted in forecasts (verdicts derived from their clauses) and in forecast clauses; "
                  "descriptions are not judged; fulfilled_share of the decided, share_low to share_high its Wilson 95% interval",
                  formats=dict.fromkeys(bounds, lambda share: percent(share).lstrip("+")), optional=["descriptions", "partly", "decided", "undecided"])


def _series(args: argparse.Namespace) -> int:
    from .display import thousands
    p = opened(args.package)
    out = Output(args.format)
    if args.series_id is None:
        listed = p.catalogue()
        out.heading(f"{len(listed)} series; points: the edition figures and later official statistics held "
                    "(`china-internet-trends series ID` lists them)")
        out.table("series", listed, optional=["name_zh", "base_unit"])
        out.close()
        return 0
    points = p.series(args.series_id)
    points = points.assign(period_end=points["period_end"].dt.strftime("%Y-%m-%d"))
    if len(points):
        out.heading(f"{args.series_id}, counted by {points['counted_by'].iloc[0]}; base unit: {points['base_unit'].iloc[0]}")
    out.table("points", points[["period_end", "origin", "edition", "entity_id", "value", "unit", "comparator", "base_value", "base_unit",
                                "segment", "source_id"]], formats={"base_value": thousands}, optional=["segment", "base_unit"])
    for note in points.loc[points["break_note"].notna(), ["period_end", "break_note"]].itertuples():
        out.note(f"Segment break at {note.period_end}: {note.break_note}")
    out.close()
    return 0


def _keywords(args: argparse.Namespace) -> int:
    """Each term's counts and rates per edition; with ``--rising A B``, the terms that rose (:func:`_rising_terms`)."""
    if args.rising is not None:
        return _rising_terms(args)
    if not args.terms:
        raise QueryError("give one or more terms to count, such as `keywords 5G 区块链`, "
                         "or `keywords --rising 2016 2017` for the terms that rose from one edition to another")
    if args.top is not None:
        raise QueryError("--top goes with --rising A B, such as `keywords --rising 2016 2017 --top 10`")
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


def _rising_terms(args: argparse.Namespace) -> int:
    """The terms whose rate rose most surely from edition A to B (:meth:`Keywords.rising`), and the text each side holds."""
    import pandas as pd

    from .keywords import ALPHA, MIN_CHARACTERS

    if args.terms:
        raise QueryError("--rising ranks every term of the two editions: give it no terms, or count terms without --rising")
    a, b = args.rising
    rises = opened(args.package).keywords.rising(a, b, 20 if args.top is None else args.top)
    held = pd.DataFrame([{"edition": edition, **sizes} for edition, sizes in rises.attrs["coverage"].items()])
    held["too_small"] = held["characters"] < MIN_CHARACTERS
    out = Output(args.format)
    out.heading(f"Terms whose rate per 10,000 printed characters rose from {a} to {b}, the surest rise first "
                f"(p_value: the chance of so large a rise if the rate had not changed; rise: below {ALPHA})")
    if held["too_small"].any():
        out.note(f"Too small: a side holds fewer than {MIN_CHARACTERS:,} printed characters, too little to show a rise; "
                 "no term is a rise, whatever its rates and p-value.")
    not_held = {column: "not held" for edition in (a, b) for column in (f"count_{edition}", f"rate_per_10k_{edition}")}
    out.table("rising", rises[["term", f"count_{a}", f"count_{b}", f"rate_per_10k_{a}", f"rate_per_10k_{b}", "p_value", "rise"]],
              empty="(no term rose)", missing=not_held | {"p_value": "unknown"},
              formats={f"rate_per_10k_{a}": "{:.1f}".format, f"rate_per_10k_{b}": "{:.1f}".format, "p_value": "{:.2g}".format})
    out.table("held", held, title="Printed text held (titles and headings)")
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
        print(f"error: {args.fmt} export needs an optional library ({exc.name}): pip install 'china-internet-trends[export]'", file=sys.stderr)
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
