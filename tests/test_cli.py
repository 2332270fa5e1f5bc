"""The command line as a user runs it."""

from __future__ import annotations

import subprocess
import sys

from wcwidth import wcswidth

import china_internet_trends as cit


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "china_internet_trends", *args], capture_output=True, text=True)


def test_editions_lists_every_edition_with_coverage():
    result = run_cli("editions")
    assert result.returncode == 0
    for edition in cit.editions()["edition"]:
        assert str(edition) in result.stdout
    assert "review_coverage" in result.stdout


def test_events_prints_the_ten_titles_exactly():
    result = run_cli("events", "2017")
    assert result.returncode == 0
    for title in cit.events(2017)["title_zh"]:
        assert title[:20] in result.stdout


def test_events_of_an_unknown_edition_is_an_error_without_traceback():
    result = run_cli("events", "1990")
    assert result.returncode == 1
    assert "edition 1990 is not in the package; it has 2013" in result.stderr
    assert "Traceback" not in result.stderr


def test_chinese_columns_line_up():
    lines = run_cli("events", "2017").stdout.splitlines()
    table = [line for line in lines if line.strip()[:2].strip().isdigit()]
    theme_columns = {wcswidth(line[: line.rstrip().rfind(" ")]) for line in table}
    assert len(table) == 10
    assert len(theme_columns) == 1, theme_columns


def test_usage_error_exits_two():
    result = run_cli("no-such-command")
    assert result.returncode == 2
    assert "usage:" in result.stderr
