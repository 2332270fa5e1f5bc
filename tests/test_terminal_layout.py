"""The terminal, issue 22: no line wider than the terminal, no date, number or id split across lines,
the one-screen report, and CLI errors that name a command.

The tokens each command must print whole come from the library's frames (``cit.open()`` once per
module), written as the terminal writes them (``str``, :func:`display.thousands`, :func:`display.percent`),
never from the output under test.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import pytest
from rich.cells import cell_len

import china_internet_trends as cit
from china_internet_trends import display, report
from china_internet_trends.cli import main
from china_internet_trends.display import percent, thousands

SRC = Path(__file__).resolve().parents[1] / "src" / "china_internet_trends"
WIDTHS = (80, 60, 40)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
CHINESE = re.compile(r"[\u3400-\u9fff]")
REPORT_LINES = 200


@pytest.fixture(scope="module")
def p() -> cit.Package:
    return cit.open()


@pytest.fixture(scope="module")
def content(p: cit.Package) -> report.Content:
    return report.build(p)


def printed(capsys: pytest.CaptureFixture, *argv: str) -> str:
    """What ``china-internet-trends argv`` prints, run in this process; it must succeed."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def widest(text: str) -> int:
    return max(map(cell_len, text.splitlines()), default=0)


def as_printed(number: object) -> str:
    """A number as the source prints it: 62, not 62.0; 1.175 as it is."""
    return str(int(number)) if isinstance(number, float) and number.is_integer() else str(number)


def tokens(frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]] | None = None) -> set[str]:
    """What no line may split of ``frame``, written as the terminal writes it: each value of a column in
    ``formats`` or of a number column, each date, each word (text without spaces, Chinese up to four
    characters), and every date and number inside longer text."""
    formats = formats or {}
    found: set[str] = set()
    for name, values in frame.items():
        values = values.dropna()
        if name in formats:
            found |= {formats[name](value) for value in values}
        elif pd.api.types.is_datetime64_any_dtype(values):
            found |= {f"{day:%Y-%m-%d}" for day in values}
        elif pd.api.types.is_numeric_dtype(values):
            found |= {as_printed(value) for value in values.astype(object)}
        else:
            for text in values.astype(str):
                word = not re.search(r"\s", text) and (not CHINESE.search(text) or len(text) <= 4)
                found |= {text} if word else set(DATE.findall(text)) | set(NUMBER.findall(text))
    return found


def figures(p: cit.Package, a: int | str, b: int | str) -> set[str]:
    matched = p.compare.indicators(a, b)
    return tokens(matched[["series_id", f"period_end_{a}", f"value_{a}", f"period_end_{b}", f"value_{b}", "growth"]],
                  {"growth": percent})


def events(frame: pd.DataFrame) -> set[str]:
    return tokens(frame.filter(regex=r"^(rank|title_|theme)"))


def scorecard(p: cit.Package) -> set[str]:
    card = p.scorecard(2017)
    shares = dict.fromkeys(["fulfilled_share", "fulfilled_or_partly_share"], lambda share: percent(share).lstrip("+"))
    return (tokens(card.forecasts[["forecast_id", "target_year", "certainty", "verdict", "claim_zh", "claim_en"]])
            | tokens(card.by_verdict) | tokens(card.by_certainty, shares))


def summary(content: report.Content) -> set[str]:
    """What the report's summary shows of each part."""
    found = tokens(content.editions[["edition", "published", "events_found", "review_coverage", "trends_coverage"]])
    found |= tokens(content.events.side.filter(regex=r"^(rank|title_)"))
    card = content.scorecard
    found |= tokens(card.by_certainty[["certainty", "forecasts", *card.by_verdict["verdict"]]]) | {str(len(card.forecasts))}
    for series in content.key_series:
        latest = series.latest
        found |= {f"{latest['period_end']:%Y-%m-%d}", as_printed(latest["value"]), latest["unit"], thousands(latest["base_value"])}
        found |= {series.target["printed"], str(series.target["year"])} if series.target else set()
    counts = content.themes.filter(regex="^count_")
    top = counts.loc[counts.sum(axis="columns").sort_values(ascending=False, kind="stable").index[:5]]
    return found | tokens(top.reset_index()) | {str(len(content.sources))}


LISTINGS: dict[str, Callable[[cit.Package, report.Content], set[str]]] = {
    "editions": lambda p, _: tokens(p.editions()[["edition", "forecast_year", "published", "events_found", "review_coverage"]]),
    "events 2017": lambda p, _: events(p.events(2017)),
    "events 2016 2017": lambda p, _: events(p.events(2016)) | events(p.events(2017)),
    "compare 2016 2017": lambda p, _: (events(p.compare.events(2016, 2017)) | figures(p, 2016, 2017)
                                       | tokens(p.compare.theme_shifts(2016, 2017)[["theme", "events_2016", "events_2017"]])),
    "compare 2017 observations": lambda p, _: figures(p, 2017, "observations"),
    "scorecard 2017": lambda p, _: scorecard(p),
    "series": lambda p, _: tokens(p.catalogue()[["series_id", "name_en", "points"]]),
    "series internet_users": lambda p, _: tokens(p.series("internet_users")[["period_end", "origin", "edition", "value", "unit",
                                                                             "base_value"]], {"base_value": thousands}),
    "keywords 互联网": lambda p, _: tokens(p.keywords.trend(["互联网"])[["term", "count", "texts", "characters"]])
                                    | tokens(p.keywords.trend(["互联网"])[["rate_per_10k"]], {"rate_per_10k": "{:.1f}".format}),
    "report": lambda _, content: summary(content),
}


# Every listing command at every width


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", LISTINGS)
def test_no_line_is_wider_than_the_terminal_and_no_token_is_split(command, width, p, content, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    out = printed(capsys, *command.split())
    assert widest(out) <= width
    expected = {token for token in LISTINGS[command](p, content) if cell_len(token) <= width}  # wider than a line, it must fold
    assert expected
    split = sorted(token for token in expected if token not in out)
    assert not split, f"{len(split)} of {len(expected)} tokens are split or missing, such as {split[:5]}"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_full_report_fits_every_width(width, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    assert widest(printed(capsys, "report", "--full")) <= width


# The layout of one table


@pytest.fixture
def frame() -> pd.DataFrame:
    """Five rows of a series' points, each value unique to its row: an id, a date, a large number, an enum
    word, a short Chinese unit, and a caveat in words and in Chinese."""
    return pd.DataFrame({
        "series_id": [f"fixed_broadband_households_{i}" for i in range(5)],
        "period_end": [f"201{i}-06-30" for i in range(5)],
        "base_value": [710_000_000.0 + i * 1_000 for i in range(5)],
        "origin": ["observation", "edition", "observation", "edition", "observation"],
        "unit": ["万户", "亿人", "兆瓦", "千米", "吨"],
        "caveat": [f"bounds rather than values (comparator gt) in row {i}; 预计{52 + i}.5亿用户，5G规模性商用" for i in range(5)],
    })


@pytest.mark.parametrize("width", range(30, 131, 6))  # the ids are 28 wide
def test_values_without_spaces_are_never_split_and_prose_wraps(frame, width):
    out = display.table(frame, {"base_value": thousands}, width=width)
    assert widest(out) <= width
    for row in frame.itertuples():
        for token in (row.series_id, row.period_end, thousands(row.base_value), row.unit, f"{52 + row.Index}.5"):
            assert out.count(token) == 1, (token, out)
    table = "─" in out
    assert table == (width >= 90)  # the caveat's 16 cells, the 64 of the other columns, 2 between each two
    if table:
        header = out[:out.index("─")]
        assert all(part in header for name in frame.columns for part in re.findall(r"[^_]+_*", name))  # a name breaks after "_"
        assert len(out.splitlines()) > len(frame) + 2  # the caveat wraps in its cell
    else:
        assert [line.split(":")[0] for line in out.splitlines() if re.match(r"^\w+:", line)] == list(frame.columns) * len(frame)


def test_the_least_useful_columns_are_left_out_first_and_named(frame):
    """A column of references (``*_id`` after the first) and an ``optional`` one go before the table folds into records."""
    referring = frame.assign(source_id=[f"stat-cnnic-{40 + i}-kzwr" for i in range(5)])
    out = display.table(referring, {"base_value": thousands}, width=80, optional=["origin"], hint="--format csv shows them")
    assert "─" in out
    assert out.splitlines()[-1] == "Left out: origin, source_id; --format csv shows them"
    assert "stat-cnnic-40-kzwr" not in out and "observation" not in out
    assert "Left out" not in display.table(referring, {"base_value": thousands}, width=140)


def test_a_column_empty_in_every_row_goes_first(frame):
    out = display.table(frame.assign(comparator=pd.array([pd.NA] * 5, dtype="string")), width=90)
    assert out.splitlines()[-1].startswith("Left out: comparator;")


LAID_OUT = [  # edition 7 cells, events_found 7 (its name breaks after "_"), note 4; two cells between columns
    "         events_",
    "edition    found  note",
    "──────────────────────",
    "   2016       10  中文",
    "   2017        9",
]


def small_table() -> pd.DataFrame:
    return pd.DataFrame({"edition": [2016, 2017], "events_found": [10, 9], "note": pd.array(["中文", None], dtype="string")})


def test_a_table_is_laid_out_cell_by_cell():
    """Numbers and their headers to the right, a header on its bottom line, a missing cell blank, no trailing spaces."""
    assert display.table(small_table(), width=22).splitlines() == LAID_OUT


def test_on_a_terminal_only_the_header_is_bold(monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    lines = display.table(small_table(), width=22).splitlines()
    assert lines[:2] == [f"\x1b[1m{line}\x1b[0m" for line in LAID_OUT[:2]]
    assert lines[2:] == LAID_OUT[2:]


def test_chinese_prose_breaks_between_characters_never_inside_a_number():
    line = "预计2018年5G R15标准的冻结，将为全球5G规模性商用奠定基础（中国制造2025）"
    for width in range(6, 40):
        lines = display.text(line, width).splitlines()
        assert max(map(cell_len, lines)) <= width
        assert "".join(lines).replace(" ", "") == line.replace(" ", "")
        assert all(re.fullmatch(r"2018|5|15|2025", number) for text in lines for number in re.findall(r"\d+", text))
        assert not any(text.startswith(("，", "）")) for text in lines)


# The report: one screen by default, everything with --full


def test_the_report_is_one_screen_ending_each_part_with_the_command_that_shows_it_whole(content, capsys):
    out = printed(capsys, "report")
    lines = out.splitlines()
    assert len(lines) <= REPORT_LINES
    words = [line for line in lines if len(line.split()) == 1 and "─" not in line]
    assert len(words) <= 20  # the old layout printed some 400 lines of one word
    a, b = content.events.editions
    commands = ["china-internet-trends editions", f"china-internet-trends events {a} {b}",
                f"china-internet-trends scorecard {content.scorecard.edition}",
                f"china-internet-trends series {content.key_series[0].series_id}", "china-internet-trends report --full"]
    pointers = [line for line in lines if line.startswith("All of")]
    assert [next((c for c in commands if pointer.startswith(("All of it: `", "All of a series: `")) and f"`{c}`" in pointer), None)
            for pointer in pointers] == commands + commands[-1:]
    parts = [i for i, line in enumerate(lines) if re.match(r"^\d\. ", line)]
    assert [lines[i][0] for i in parts] == list("123456")
    ends = [i for i, line in enumerate(lines) if line.startswith("All of")]
    assert all(start < end < next_start for start, end, next_start in zip(parts, ends, [*parts[1:], len(lines)]))


def test_the_summary_counts_verdicts_by_certainty_and_names_the_top_themes(content, capsys):
    out = printed(capsys, "report")
    counted = content.scorecard.by_certainty.set_index("certainty")[["forecasts", *content.scorecard.by_verdict["verdict"]]]
    for certainty, row in counted.iterrows():
        line = next(line for line in out.splitlines() if line.startswith(f"{certainty} "))
        assert line.split()[1:] == [str(count) for count in row]
    assert f"6. Sources: {len(content.sources)} sources" in out
    counts = content.themes.filter(regex="^count_")
    top = counts.sum(axis="columns").sort_values(ascending=False, kind="stable").index
    assert all(re.search(rf"^{theme} ", out, re.MULTILINE) for theme in top[:5])
    assert not any(re.search(rf"^{theme} ", out, re.MULTILINE) for theme in top[5:])


def test_full_prints_every_part_whole_and_markdown_follows_the_same_rule(content, capsys):
    judged = content.scorecard.forecasts.query("verdict not in ['cannot_be_judged', 'not_judged']")["forecast_id"]
    sources = content.sources["source_id"]
    outputs = {(fmt, full): printed(capsys, "report", "--format", fmt, *(["--full"] if full else []))
               for fmt in ("table", "markdown") for full in (False, True)}
    for fmt in ("table", "markdown"):
        summary, whole = outputs[(fmt, False)], outputs[(fmt, True)]
        assert not any(forecast in summary for forecast in judged) and not any(source in summary for source in sources)
        assert all(forecast in whole for forecast in judged) and all(source in whole for source in sources)
        assert len(summary.splitlines()) * 3 < len(whole.splitlines())
    assert outputs[("markdown", False)].startswith("## 1. Editions")


def test_the_summary_lays_out_far_fewer_rows_than_the_full_report(capsys, monkeypatch):
    """Less rendering work than the whole report: count the rows handed to the terminal layout."""
    rows = {False: 0, True: 0}
    real = display.table
    for full in rows:
        def counting(frame, *args, full=full, **kwargs):
            rows[full] += len(frame)
            return real(frame, *args, **kwargs)

        monkeypatch.setattr(display, "table", counting)
        printed(capsys, "report", *(["--full"] if full else []))
    assert 0 < rows[False] * 10 < rows[True]


# Errors


def error_of(capsys: pytest.CaptureFixture, *argv: str) -> str:
    """The one line ``argv`` prints on standard error, checked to exit 1 with nothing on standard output."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("error: ")
    assert "Traceback" not in err and "cit." not in err and "()" not in err
    return err


def test_an_unknown_series_names_the_command_that_lists_them(capsys):
    assert "`china-internet-trends series` lists them" in error_of(capsys, "series", "no_such_series")


def test_an_unknown_edition_names_the_command_that_lists_them(p, capsys):
    err = error_of(capsys, "scorecard", "1990")
    assert "`china-internet-trends editions`" in err
    assert all(str(edition) in err for edition in p.editions_held())


def test_an_unknown_table_names_the_command_that_checks_the_package(package_copy: Path, capsys):
    descriptor = package_copy / "datapackage.json"
    held = json.loads(descriptor.read_text(encoding="utf-8"))
    held["resources"] = [resource for resource in held["resources"] if resource["name"] != "events"]
    descriptor.write_text(json.dumps(held, ensure_ascii=False), encoding="utf-8")
    err = error_of(capsys, "events", "2017", "--package", str(package_copy))
    assert "no table 'events'" in err and f"`china-internet-trends validate --package {package_copy}`" in err


def test_a_package_that_cannot_be_read_starts_with_error(tmp_path: Path, capsys):
    assert main(["editions", "--package", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "china-internet-trends validate" in err and "Traceback" not in err


def test_the_library_names_the_concept_and_no_python_call(p):
    with pytest.raises(cit.NotInPackage) as raised:
        p.series("no_such_series")
    assert raised.value.what == "series" and "series table" in str(raised.value)
    assert "cit." not in str(raised.value) and "()" not in str(raised.value)
    with pytest.raises(cit.NotInPackage) as raised:
        p.load("no_such_table")
    assert raised.value.what == "table"
    with pytest.raises(cit.NotInPackage) as raised:
        p.events(1990)
    assert raised.value.what == "edition"


def test_no_error_message_in_the_library_names_a_python_call():
    """Messages reach the CLI: none of them may tell a reader to call ``cit.something()``."""
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                found += [(path.name, node.lineno, text.value) for text in ast.walk(node.exc)
                          if isinstance(text, ast.Constant) and isinstance(text.value, str) and ("cit." in text.value or "()" in text.value)]
    assert found == []
