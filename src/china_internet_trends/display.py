"""Print DataFrames and text as the terminal shows them.

Everything fits the terminal's width (:func:`terminal_width`), measured in cells: a Chinese
character is two columns wide. No token is split across lines: a date, a number, an id or a
word stays whole. A table's prose columns (text with spaces, long Chinese text) wrap in their
cells, between words and between Chinese characters (:func:`text`); every other column is as wide
as its widest value, and its header wraps after an underscore (``review_`` / ``coverage``). A table
that cannot fit so leaves out its least useful columns first, saying which in one line, and is
folded into records (a ``column: value`` line each) when it still cannot fit. When standard
output is not a terminal (a pipe, a file, a test) there are no ANSI escape codes and the width is
fixed, so the output is the same on every machine.

>>> import pandas as pd
>>> print(table(pd.DataFrame({"rank": [1], "title_zh": ["十九大报告"], "growth": [0.347]}), {"growth": percent}, width=40))
rank  title_zh    growth
────────────────────────
   1  十九大报告  +34.7%
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

import pandas as pd
from rich.cells import cell_len, chop_cells

from .errors import printable

DEFAULT_WIDTH = 80
"""The width when standard output is not a terminal and ``COLUMNS`` is not set."""
PROSE_MIN = 16
"""The fewest cells a prose column gets (8 Chinese characters); narrower, the table leaves out columns or folds into records."""
SHORT_CHINESE = 8
"""Chinese text no wider than this (4 characters, such as a unit or a term) is a token, kept whole."""
GAP = 2
"""The cells between two columns of a table."""
INDENT = "  "
"""What begins each line of a record's value after its first."""

_WIDE = ("\u1100-\u115f\u2e80-\u2fff\u3001-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3"
         "\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff60\uffe0-\uffe6\U00020000-\U0003fffd")
"""The characters a terminal shows two cells wide (Chinese, Japanese, Korean, full-width forms): a line may break between any two."""
_OPENING = re.escape("([{（《「『【〔〈“‘")
_CLOSING = re.escape(")]}，。、；：！？）》」』】〕〉”’…%,.;:!?")
_UNIT = re.compile(rf"\s*[{_OPENING}]*(?:[{_WIDE}]|[^\s{_WIDE}]+)[{_CLOSING}]*\s*")
"""What a line may not break inside: a run of letters, digits and signs, or one Chinese character,
with the punctuation that may not begin or end a line, and the spaces after it."""
_HEADER_UNIT = re.compile(r"\s*(?:[^_\s]+_*|_+)\s*")
"""A column name breaks after its underscores."""
_CHINESE = re.compile(f"[{_WIDE}]")


def terminal_width(stream: TextIO | None = None) -> int:
    """``COLUMNS`` when set to a positive number, else the terminal's width when ``stream`` (default stdout)
    is a terminal, else 80.

    >>> import io
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"COLUMNS": "120"}):
    ...     terminal_width(io.StringIO())
    120
    >>> with mock.patch.dict(os.environ, {"COLUMNS": ""}):
    ...     terminal_width(io.StringIO())
    80
    """
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    stream = stream or sys.stdout
    return shutil.get_terminal_size().columns if stream.isatty() else DEFAULT_WIDTH


def table(frame: pd.DataFrame, formats: Mapping[str, Callable[[object], str]] | None = None,
          missing: Mapping[str, str] | None = None, width: int | None = None, *, optional: Sequence[str] = (),
          hint: str = "a wider terminal shows them") -> str:
    """``frame`` without its index as a table ``width`` columns wide at most (default: :func:`terminal_width`).

    ``formats`` maps a column to a function that writes its values (:func:`percent`, :func:`thousands`);
    ``missing`` maps a column to what an empty cell reads (such as "not held"); other empty cells are blank.
    Numbers are right-aligned. A table too wide leaves out, in this order until it fits, the columns
    empty in every row, the ``optional`` columns (least useful first) and the columns that refer to
    another table's rows (named ``*_id``, after the first column), and names them in a line ending
    with ``hint``; a table that still does not fit is folded into records, a ``column: value`` line each,
    so that no value is lost.

    >>> frame = pd.DataFrame({"forecast_id": ["2017-F01"], "verdict": ["not_fulfilled"], "source_id": ["out-ihrv-5g-sa-2018"]})
    >>> print(table(frame, width=30))
    forecast_id  verdict
    ──────────────────────────
    2017-F01     not_fulfilled
    Left out: source_id; a wider
    terminal shows them
    >>> print(table(frame, width=21))
    forecast_id: 2017-F01
    verdict:
      not_fulfilled
    source_id:
      out-ihrv-5g-sa-2018
    """
    formats, missing = formats or {}, missing or {}
    width = max(width or terminal_width(), 2)
    columns = [_measure(values, formats.get(name), missing.get(name, "")) for name, values in frame.items()]
    shown = _fitting(columns, width, optional)
    if shown is None:
        return _records(columns, width)
    laid = _layout(shown, _widths(shown, width))
    left_out = ", ".join(column.name for column in columns if column not in shown)
    return laid + ("\n" + text(f"Left out: {left_out}; {hint}", width) if left_out else "")


@dataclass(eq=False)
class _Column:
    """A column as printed: its name, its cells as text, and the fewest and most cells it takes."""

    name: str
    cells: list[str]
    numeric: bool
    prose: bool
    least: int
    natural: int


def _measure(values: pd.Series, write: Callable[[object], str] | None, missing: str) -> _Column:
    """The column of ``values``, written by ``write`` (default :func:`written`), an empty cell as ``missing``.

    A column is prose when a value holds a space or is Chinese text longer than :data:`SHORT_CHINESE`;
    prose takes :data:`PROSE_MIN` cells at least (more for a longer word). Any other column takes its
    widest value, whole. A header takes its longest part between underscores at least.

    >>> column = _measure(pd.Series(["2016-06-30", None], name="period_end"), None, "not held")
    >>> column.cells, column.prose, column.least, column.natural
    (['2016-06-30', 'not held'], False, 10, 10)
    >>> column = _measure(pd.Series(["bounds rather than values (comparator gt)"], name="caveat"), None, "")
    >>> column.prose, column.least, column.natural
    (True, 16, 41)
    """
    name = _safe(str(values.name))
    write = write or written
    empty = values.isna().tolist()
    column = [missing if blank else _safe(write(value)) for value, blank in zip(values.astype(object).tolist(), empty)]
    prose = any(_is_prose(cell) for cell, blank in zip(column, empty) if not blank)
    header_least = max(map(cell_len, _HEADER_UNIT.findall(name)), default=0)
    widest = max((cell_len(line) for cell in column for line in cell.split("\n")), default=0)
    if prose:
        longest_unit = max((cell_len(unit.strip()) for cell in column for unit in _UNIT.findall(cell)), default=0)
        least = max(header_least, min(widest, max(PROSE_MIN, longest_unit)))
    else:
        least = max(header_least, widest)
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    return _Column(name, column, numeric, prose, least, max(least, widest, cell_len(name)))


def _is_prose(cell: str) -> bool:
    """Text that may wrap: words apart by spaces, or Chinese text longer than :data:`SHORT_CHINESE`.

    >>> _is_prose("The 19th Party Congress"), _is_prose("国家出台一系列发展规划"), _is_prose("万户"), _is_prose("2016-06-30")
    (True, True, False, False)
    """
    return any(character.isspace() for character in cell.strip()) or (_CHINESE.search(cell) is not None and cell_len(cell) > SHORT_CHINESE)


def _fitting(columns: list[_Column], width: int, optional: Sequence[str]) -> list[_Column] | None:
    """The columns shown at ``width``: all when they fit, else fewer, the least useful left out first;
    None when even the columns that must stay do not fit."""
    shown = list(columns)
    empty = [column for column in columns if column.cells and not any(column.cells)]
    named = [column for name in optional for column in columns if column.name == name]
    references = [column for column in reversed(columns[1:]) if column.name.endswith("_id")]
    for column in dict.fromkeys(empty + named + references):
        if _fits(shown, width):
            break
        shown.remove(column)
    return shown if _fits(shown, width) else None


def _fits(columns: list[_Column], width: int) -> bool:
    return sum(column.least for column in columns) + GAP * (len(columns) - 1) <= width


def _widths(columns: list[_Column], width: int) -> list[int]:
    """Each column's width: its least, then the cells left over handed out one by one to the columns
    that want more (a prose column its longest line, a header its whole name).

    >>> _widths([_Column("rank", [], True, False, 4, 4), _Column("title", [], False, True, 16, 60)], 40)
    [4, 34]
    """
    widths = [column.least for column in columns]
    spare = width - sum(widths) - GAP * (len(columns) - 1)
    while spare and (wanting := [i for i, column in enumerate(columns) if widths[i] < column.natural]):
        for i in wanting[:spare]:
            widths[i] += 1
        spare -= min(spare, len(wanting))
    return widths


def _layout(columns: list[_Column], widths: list[int]) -> str:
    """``columns`` at ``widths`` as lines of text: the header (set on its bottom line, bold on a
    terminal), a rule, then the rows. Each cell is broken into lines that fit and padded to its
    column's width (numbers to the right); columns are :data:`GAP` cells apart; no line ends in a space.

    Written here rather than drawn by rich's ``Table``: every cell is already measured and wrapped by
    this module (rich would break Chinese text and numbers where :func:`text` does not), so what is
    left is padding lines, and importing and running rich's table took a tenth of a command's time.
    Cell widths still come from rich (:func:`rich.cells.cell_len`).

    >>> print(_layout([_Column("rank", ["1", "10"], True, False, 4, 4), _Column("title", ["a\\nb", "c"], False, True, 5, 5)], [4, 5]))
    rank  title
    ───────────
       1  a
          b
      10  c
    """
    names = ["\n".join(_fill(_HEADER_UNIT.findall(column.name), width)) for column, width in zip(columns, widths)]
    header = _row(names, columns, widths, bottom=True)
    if sys.stdout.isatty():
        header = [f"\x1b[1m{line}\x1b[0m" for line in header]
    rule = "─" * (sum(widths) + GAP * (len(widths) - 1))
    lines = header + [rule]
    for cells in zip(*(column.cells for column in columns)):
        wrapped = [_wrap(cell, width) if column.prose else cell for column, cell, width in zip(columns, cells, widths)]
        lines += _row(wrapped, columns, widths)
    return "\n".join(lines)


def _row(cells: list[str], columns: list[_Column], widths: list[int], bottom: bool = False) -> list[str]:
    """The lines of one row: its cells side by side, each padded to its column's width and with blank
    lines to the row's height, below it (above it when ``bottom``, as a header is set)."""
    split = [cell.split("\n") for cell in cells]
    height = max(map(len, split), default=0)
    stacked = [[""] * (height - len(lines)) + lines if bottom else lines + [""] * (height - len(lines)) for lines in split]
    padded = [[_pad(line, width, column.numeric) for line in lines] for lines, column, width in zip(stacked, columns, widths)]
    return [(" " * GAP).join(parts).rstrip() for parts in zip(*padded)]


def _pad(line: str, width: int, right: bool) -> str:
    """``line`` padded with spaces to ``width`` cells: after it, or before it when ``right``."""
    if right:
        line = line.rstrip()
        return " " * (width - cell_len(line)) + line
    return line + " " * (width - cell_len(line))


def _records(columns: list[_Column], width: int) -> str:
    """Each row as ``column: value`` lines at most ``width`` wide, rows apart by a blank line. A value that
    does not fit beside its column's name follows it on lines of its own, wrapped when it is prose."""
    rows = zip(*(column.cells for column in columns))
    return "\n\n".join("\n".join(_field(column, cell, width) for column, cell in zip(columns, cells)) for cells in rows)


def _field(column: _Column, cell: str, width: int) -> str:
    """One ``column: value`` line, or the lines it takes at ``width``, each after the first indented by
    :data:`INDENT` (when it fits).

    >>> column = _Column("source_id", [], False, False, 0, 0)
    >>> print(_field(column, "stat-cnnic-41", 30)); print(_field(column, "stat-cnnic-41", 20))
    source_id: stat-cnnic-41
    source_id:
      stat-cnnic-41
    >>> print(_field(_Column("title", [], False, True, 0, 0), "宽带网络提速降费\\nSpeed-up and fee-cut for broadband", 20))
    title: 宽带网络提速
      降费
      Speed-up and
      fee-cut for
      broadband
    """
    line = f"{column.name}: {cell}"
    if column.prose:
        line = line.replace("\n", "\n" + INDENT)
    elif cell_len(line) > width:
        line = f"{column.name}:\n{INDENT if cell_len(INDENT + cell) <= width else ''}{cell}"
    return "\n".join(wrapped for paragraph in line.split("\n") for wrapped in _fill(_UNIT.findall(paragraph), width, INDENT))


def text(line: str, width: int | None = None) -> str:
    """``line`` wrapped at ``width`` columns (default: :func:`terminal_width`), Chinese counting double,
    between words and between Chinese characters, never inside a word, a number or a date (only one
    wider than the line is folded); punctuation never begins a line; line breaks are kept.

    Written here because neither rich nor :mod:`textwrap` breaks mixed Chinese and English text this
    way: both break only at spaces, so a Chinese sentence is one word to them, and rich then folds it
    at any cell, inside numbers and dates too.

    >>> print(text("Theme shifts from 2016 to 2017", width=20))
    Theme shifts from
    2016 to 2017
    >>> print(text("预计2018年5G R15标准冻结，商用", width=10))
    预计2018年
    5G R15标准
    冻结，商用
    """
    return _wrap(_safe(line), max(width or terminal_width(), 2))


def _wrap(text: str, width: int) -> str:
    """``text``, already safe to print, wrapped at ``width`` as :func:`text` says; the lines of an
    indented paragraph keep its indent.

    >>> print(_wrap("  2017: all of the review", 16))
      2017: all of
      the review
    """
    return "\n".join(line for paragraph in text.split("\n")
                     for line in _fill(_UNIT.findall(paragraph), width, paragraph[:len(paragraph) - len(paragraph.lstrip())]))


def _fill(units: list[str], width: int, indent: str = "") -> list[str]:
    """``units`` (pieces no line breaks inside) set on lines at most ``width`` cells wide, each line as
    full as it can be and every line after the first starting with ``indent``; a unit wider than a
    line is folded. Trailing spaces are dropped.

    >>> _fill(["review_", "coverage"], 8), _fill(["2016-06-30 ", "12345678901"], 5)
    (['review_', 'coverage'], ['2016-', '06-30', '12345', '67890', '1'])
    """
    lines = [""]
    for unit in units:
        word = unit.rstrip()
        if lines[-1].strip() and cell_len(lines[-1] + word) > width:
            lines.append(indent if cell_len(indent + word) <= width else "")
        if cell_len(lines[-1] + word) > width:
            lines[-1:] = chop_cells(lines[-1] + word, width)
        else:
            lines[-1] += word
        lines[-1] += unit[len(word):]
    return [line.rstrip() for line in lines]


def _safe(text: str) -> str:
    """``text`` with its line breaks kept and every other control character written as an escape
    (:func:`~china_internet_trends.errors.printable`), so a title cannot drive the terminal.

    >>> _safe("标题\\x1b[2J\\nnext")
    '标题\\\\x1b[2J\\nnext'
    """
    return "\n".join(printable(part) for part in text.split("\n"))


def written(value: object) -> str:
    """A cell's value as text: a number as it would be printed, 62 rather than 62.0; anything else by ``str``.

    >>> written(62.0), written(1.175), written(4000000.0), written("万人")
    ('62', '1.175', '4000000', '万人')
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def percent(share: float) -> str:
    """A growth or share given as a fraction, printed as a percentage; empty when missing.

    >>> percent(0.347339), percent(-0.05), percent(float("nan"))
    ('+34.7%', '-5.0%', '')
    """
    return "" if pd.isna(share) else f"{share * 100:+.1f}%"


def thousands(value: float) -> str:
    """A number with thousands separators and no more digits than it has (15 significant at most).

    >>> thousands(321157000.00000006), thousands(55.8), thousands(1170000000.0)
    ('321,157,000', '55.8', '1,170,000,000')
    """
    return f"{value:,.15g}"
