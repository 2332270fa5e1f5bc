"""The command line as a user runs it: widths, wrapping, languages, formats, what is held."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pandas as pd
import pytest
from rich.cells import cell_len

from china_internet_trends import cli
from conftest import ROOT, edit_cell, read_rows

LISTINGS = [
    ["editions"], ["events", "2017"], ["events", "2014", "2015", "2017"], ["compare", "2016", "2017"],
    ["compare", "2014", "2017"], ["compare", "2017", "observations"], ["scorecard", "2017"], ["scorecard", "2018"],
    ["series"], ["series", "users_4g"], ["keywords", "5G", "区块链", "人工智能"],
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_cli(*args: str, columns: int | None = 80, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The CLI in a subprocess writing to a pipe; ``COLUMNS`` set to ``columns``, or unset when None."""
    environment = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | (env or {})
    if columns is not None:
        environment["COLUMNS"] = str(columns)
    return subprocess.run([sys.executable, "-m", "china_internet_trends", *args], capture_output=True, text=True, env=environment)


def run(*args: str) -> tuple[int, str, str]:
    """The CLI in this process (faster); COLUMNS is whatever the test set."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def widest(text: str) -> int:
    return max(cell_len(line) for line in text.splitlines())


def raw_events(edition: int) -> list[dict[str, str]]:
    return read_rows(ROOT / "datasets" / str(edition) / "events.csv")


def column_texts(output: str, header: list[str], column: str) -> list[str]:
    """The text of ``column`` in each row of the terminal table whose header line is ``header``, its wrapped
    lines joined, found by display position (a Chinese character is two cells wide). A row starts where
    the first column is not blank."""
    lines = output.splitlines()
    top = next(i for i, line in enumerate(lines) if line.split() == header)
    starts = [lines[top].index(name) if i else 0 for i, name in enumerate(header)]
    target = header.index(column)
    rows: list[str] = []
    for line in lines[top + 2:]:
        if not line.strip():
            break
        cells = cell_slices(line, starts)
        if cells[0].strip():
            rows.append("")
        rows[-1] += cells[target]
    return rows


def cell_slices(line: str, starts: list[int]) -> list[str]:
    """``line`` cut at the display positions ``starts``."""
    slices, position = [""] * len(starts), 0
    for char in line:
        index = max(i for i, start in enumerate(starts) if start <= position)
        slices[index] += char
        position += cell_len(char)
    return slices


def squeeze(text: str) -> str:
    return re.sub(r"\s", "", text)


def sections(csv_text: str) -> dict[str, pd.DataFrame]:
    """The tables of a csv document with several, each after a ``# name`` line."""
    parsed = {}
    for block in csv_text.strip("\n").split("\n\n"):
        name, _, body = block.partition("\n")
        assert name.startswith("# "), block[:80]
        parsed[name[2:]] = pd.read_csv(io.StringIO(body), dtype=str, keep_default_na=False)
    return parsed


# Widths and wrapping


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("args", LISTINGS + [["report"]], ids=" ".join)
def test_no_line_is_wider_than_the_terminal(args, width, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run(*args)
    assert code == 0, err
    assert widest(out) <= width


def test_the_width_is_used_when_there_is_room(monkeypatch):
    """The events table grows to the width given, so COLUMNS is really read."""
    for width in (60, 120):
        monkeypatch.setenv("COLUMNS", str(width))
        assert widest(run("events", "2017")[1]) == width


def test_a_pipe_without_columns_is_80_wide_and_plain():
    result = run_cli("events", "2017", columns=None, env={"FORCE_COLOR": "1"})
    assert result.returncode == 0
    assert widest(result.stdout) == 80
    assert "\x1b" not in result.stdout


def test_a_terminal_gets_its_own_width_and_styles():
    """On a terminal 100 columns wide (and no COLUMNS), lines fit 100 columns and the header is bold."""
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR")} | {"TERM": "xterm-256color"}
    process = subprocess.Popen([sys.executable, "-m", "china_internet_trends", "events", "2017"],
                               stdout=secondary, stderr=subprocess.PIPE, env=environment)
    os.close(secondary)
    chunks = []
    with contextlib.suppress(OSError):  # reading the primary side ends with EIO once the child is gone
        while chunk := os.read(primary, 65536):
            chunks.append(chunk)
    os.close(primary)
    assert process.wait() == 0
    shown = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert ANSI.search(shown)
    assert widest(ANSI.sub("", shown)) == 100


@pytest.mark.parametrize("lang, column", [("zh", "title_zh"), ("en", "title_en")])
def test_long_titles_wrap_in_their_cell_and_are_never_cut(lang, column, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    out = run("events", "2017", "--lang", lang)[1]
    shown = column_texts(out, ["rank", column, "theme"], column)
    titles = [row[column] for row in raw_events(2017)]
    assert [squeeze(text) for text in shown] == [squeeze(title) for title in titles]
    assert len(out.splitlines()) > 2 * len(titles)  # wrapped: titles took several lines each
    assert "…" not in out
    for text, title in zip(shown, titles):
        assert squeeze(text).endswith(squeeze(title)[-4:])  # a title's last characters are shown


def test_chinese_columns_line_up(monkeypatch):
    """Every row's theme starts at the same display column, though titles hold Chinese characters."""
    monkeypatch.setenv("COLUMNS", "120")
    lines = run("events", "2017", "--lang", "zh")[1].splitlines()
    themes = {row["theme"] for row in raw_events(2017)}
    starts = {cell_len(line[: line.rindex(" ") + 1]) for line in lines if line.split() and line.split()[-1] in themes}
    assert len(starts) == 1, starts


# Languages


@pytest.mark.parametrize("lang, columns", [("zh", ["title_zh"]), ("en", ["title_en"]), ("both", ["title_zh", "title_en"])])
def test_lang_chooses_the_titles(lang, columns):
    code, out, _ = run("events", "2017", "--lang", lang, "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), dtype=str)
    assert frame.columns.tolist() == ["rank", *columns, "theme"]
    for column in columns:
        assert frame[column].tolist() == [row[column] for row in raw_events(2017)]
    table = run("events", "2017", "--lang", lang)[1]
    header = next(line for line in table.splitlines() if line.startswith("rank"))
    assert header.split() == ["rank", *columns, "theme"]


def test_both_languages_is_the_default():
    assert run("events", "2017")[1] == run("events", "2017", "--lang", "both")[1]


def test_lang_in_compare_and_report(monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # wide enough for every title on one line
    compared = sections(run("compare", "2016", "2017", "--lang", "en", "--format", "csv")[1])["events"]
    assert compared.columns.tolist() == ["rank", "title_en_2016", "theme_2016", "title_en_2017", "theme_2017"]
    report = run("report", "--lang", "zh")[1]
    assert raw_events(2017)[0]["title_zh"] in report and raw_events(2017)[0]["title_en"] not in report
    report = run("report", "--lang", "en")[1]
    assert raw_events(2017)[0]["title_en"] in report and raw_events(2017)[0]["title_zh"] not in report


def test_scorecard_claims_follow_lang():
    rows = read_rows(ROOT / "datasets" / "2017" / "forecasts.csv")
    expected = {"zh": ["claim_zh"], "en": ["claim_en"], "both": ["claim_zh", "claim_en"]}
    for lang, columns in expected.items():
        forecasts = sections(run("scorecard", "2017", "--lang", lang, "--format", "csv")[1])["forecasts"]
        assert [c for c in forecasts.columns if c.startswith("claim_")] == columns
        for column in columns:
            assert forecasts[column].tolist() == [row[column] for row in rows]
    assert "English only" not in run("scorecard", "2017", "--lang", "zh")[1]


# Formats


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_every_format_parses_back(args):
    code, as_csv, err = run(*args, "--format", "csv")
    assert code == 0, err
    as_json = json.loads(run(*args, "--format", "json")[1])
    if as_csv.startswith("# "):
        parsed = sections(as_csv)
    else:
        [name] = as_json
        parsed = {name: pd.read_csv(io.StringIO(as_csv), dtype=str, keep_default_na=False)}
    assert list(parsed) == list(as_json)
    for name, frame in parsed.items():
        assert len(frame) == len(as_json[name])
        assert all(list(record) == frame.columns.tolist() for record in as_json[name])
    markdown = run(*args, "--format", "markdown")[1]
    assert "\x1b" not in as_csv + markdown
    if any(len(frame) for frame in parsed.values()):
        assert re.search(r"^\|(:?-+:?\|)+$", markdown, re.MULTILINE), markdown[:300]


def test_csv_and_json_hold_the_data_as_stored():
    """Growth as a fraction, base values as numbers, not held as empty or null; dates as YYYY-MM-DD."""
    figures = sections(run("compare", "2016", "2017", "--format", "csv")[1])["figures"].set_index("series_id")
    assert float(figures.loc["users_4g", "growth"]) == pytest.approx(9.62e8 / 7.14e8 - 1)
    points = pd.read_csv(io.StringIO(run("series", "users_4g", "--format", "csv")[1]), dtype={"period_end": str})
    assert points.loc[points["period_end"] == "2018-12-31", "base_value"].tolist() == [1_170_000_000]
    counts = json.loads(run("keywords", "5G", "--format", "json")[1])["counts"][0]
    assert counts["2013"] is None and counts["2017"] == 1
    shifts = sections(run("compare", "2015", "2017", "--format", "csv")[1])["theme_shifts"]
    assert (shifts["events_2015"] == "").all()


def test_markdown_keeps_the_headings_of_what_is_held():
    markdown = run("events", "2014", "2015", "--format", "markdown")[1]
    assert "## 3 of the ten events of 2014 (ranks unknown)" in markdown
    assert "## None of the ten events of 2015 (not held)" in markdown
    compared = run("compare", "2014", "2017", "--format", "markdown")[1]
    assert "- 2014: 3 of the ten events of 2014 (ranks unknown)" in compared


def test_headings_of_what_is_held_stay_in_table_output():
    out = run("events", "2014", "2017")[1]
    assert "3 of the ten events of 2014 (ranks unknown)" in out and "The ten events of 2017" in out
    assert "2014: 3 of the ten events of 2014 (ranks unknown)" in run("compare", "2014", "2017")[1]


def test_one_table_is_plain_csv_and_every_table_is_a_json_section():
    out = run("editions", "--format", "csv")[1]
    frame = pd.read_csv(io.StringIO(out), dtype=str)
    assert frame["edition"].tolist() == [row["edition"] for row in read_rows(ROOT / "datasets" / "editions.csv")]
    assert list(json.loads(run("editions", "--format", "json")[1])) == ["editions"]
    assert list(sections(run("events", "2016", "2017", "--format", "csv")[1])) == ["events_2016", "events_2017"]


# Numbers and what is held


def test_growth_as_a_percentage_and_base_values_with_thousands_separators(monkeypatch):
    assert "+34.7%" in run("compare", "2016", "2017")[1]  # 9.62亿户 against 7.14亿
    monkeypatch.setenv("COLUMNS", "120")  # at 80 the ten columns of a series fold their cells
    assert "1,170,000,000" in run("series", "users_4g")[1]  # 11.7亿户
    row = [line for line in run("series", "internet_penetration")[1].splitlines() if "stat-cnnic-41" in line]
    assert row[0].split()[3:7] == ["55.8", "%", "eq", "55.8"]  # a share in percent keeps its decimal in base units


def test_a_side_that_holds_nothing_reads_not_held(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    keywords = run("keywords", "5G")[1]
    counts = keywords.split("\n\n")[0].splitlines()[-4:]
    assert counts[1].split() == ["term", "2013", "2014", "2015", "2016", "2017", "2018", "2022"]
    assert counts[3].split() == ["5G", "not", "held", "0", "not", "held", "0", "1", "not", "held", "0"]
    out = run("compare", "2015", "2017", "--lang", "en")[1]
    shifts = out[out.index("Theme shifts"):]
    assert "not held" in shifts
    side = run("compare", "2014", "2017", "--lang", "en")[1]
    ranked = [line for line in side.splitlines() if re.match(r"^\s+1\s", line)]
    assert ranked and "not held" in ranked[0]


# Series, --package, errors


def test_series_without_an_id_lists_every_series_with_its_points():
    listed = pd.read_csv(io.StringIO(run("series", "--format", "csv")[1]), dtype=str)
    known = read_rows(ROOT / "datasets" / "series.csv")
    assert listed[["series_id", "name_zh", "name_en", "base_unit"]].to_dict("records") == [
        {k: row[k] for k in ("series_id", "name_zh", "name_en", "base_unit")} for row in known]
    linked = [row["series_id"] for path in sorted((ROOT / "datasets").glob("*/indicators.csv")) for row in read_rows(path)]
    linked += [row["series_id"] for row in read_rows(ROOT / "datasets" / "observations.csv")]
    assert listed["points"].astype(int).tolist() == [linked.count(row["series_id"]) for row in known]
    assert f"{len(known)} series" in run("series")[1]


def test_package_is_accepted_before_or_after_the_command(package_copy: Path):
    edit_cell(package_copy / "datasets" / "2017" / "events.csv", 2, "title_en", "An edited first title")
    before = run("--package", str(package_copy), "events", "2017", "--lang", "en")
    after = run("events", "2017", "--package", str(package_copy), "--lang", "en")
    assert before[0] == after[0] == 0
    assert "An edited first title" in before[1] and before[1] == after[1]
    assert "An edited first title" not in run("events", "2017", "--lang", "en")[1]


def test_events_of_an_unknown_edition_is_an_error_without_traceback():
    result = run_cli("events", "1990")
    assert result.returncode == 1
    assert "edition 1990 is not in the package; it has 2013" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, message", [
    (["series", "no_such_series"], "error: the package has no series 'no_such_series'"),
    (["compare", "2016", "2017", "--package", "/no/such/folder"], "no data package here"),
])
def test_bad_input_is_a_clear_message_and_exit_one(args, message):
    result = run_cli(*args)
    assert result.returncode == 1 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["no-such-command"], ["events", "2017", "--format", "xml"], ["events", "2017", "--lang", "fr"],
                                  ["report", "--format", "csv"]])
def test_usage_error_exits_two(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_listing_commands_print_nothing_when_the_reader_goes_away():
    process = subprocess.Popen([sys.executable, "-m", "china_internet_trends", "series", "users_4g"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()
    assert process.wait() == 0
    assert b"Traceback" not in process.stderr.read()
