"""Print DataFrames and text as the terminal shows them, with rich.

Everything fits the terminal's width (:func:`terminal_width`): a long title wraps inside its cell
instead of being cut, a word longer than its cell is folded, and rich measures Chinese characters
as two columns wide. When standard output is not a terminal (a pipe, a file, a test) there are no
ANSI escape codes and the width is fixed, so the output is the same on every machine.

>>> import pandas as pd
>>> print(table(pd.DataFrame({"rank": [1], "title_zh": ["十九大报告"], "growth": [0.347]}), {"growth": percent}, width=40))
rank  title_zh    growth
────────────────────────
   1  十九大报告  +34.7%
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

import pandas as pd

from .errors import printable

DEFAULT_WIDTH = 80
"""The width when standard output is not a terminal and ``COLUMNS`` is not set."""


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
          missing: Mapping[str, str] | None = None, width: int | None = None) -> str:
    """``frame`` without its index as a table ``width`` columns wide at most (default: :func:`terminal_width`).

    ``formats`` maps a column to a function that writes its values (:func:`percent`, :func:`thousands`);
    ``missing`` maps a column to what an empty cell reads (such as "not held"); other empty cells are blank.
    Numbers are right-aligned. Narrower than :data:`MIN_COLUMN` columns a column, the table is folded
    into records, a ``column: value`` line each, so that no value is lost.

    >>> print(table(pd.DataFrame({"rank": [1], "title_en": ["Cybersecurity Law"]}), width=10))
    rank: 1
    title_en:
    Cybersecur
    ity Law
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    formats, missing = formats or {}, missing or {}
    rows = [[missing.get(column, "") if pd.isna(value) else formats[column](value) if column in formats else str(value)
             for column, value in zip(frame.columns, row)] for row in frame.astype(object).itertuples(index=False)]
    width = width or terminal_width()
    if width < MIN_COLUMN * len(frame.columns):
        return _records([str(column) for column in frame.columns], rows, width)
    layout = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])
        layout.add_column(str(column), justify="right" if numeric else "left", overflow="fold")
    for cells in rows:
        layout.add_row(*(Text(_safe(cell)) for cell in cells))
    return render(layout, width)


MIN_COLUMN = 6
"""The fewest terminal columns a table column gets; below it, a table is printed as records."""


def _records(columns: list[str], rows: list[list[str]], width: int) -> str:
    """Each row as ``column: value`` lines wrapped at ``width``, rows apart by a blank line."""
    from rich.text import Text

    return "\n\n".join("\n".join(render(Text(_safe(f"{column}: {cell}")), width) for column, cell in zip(columns, cells))
                       for cells in rows)


def text(line: str, width: int | None = None) -> str:
    """``line`` wrapped at ``width`` columns (default: :func:`terminal_width`), Chinese counting double.

    >>> print(text("Theme shifts from 2016 to 2017", width=20))
    Theme shifts from
    2016 to 2017
    """
    from rich.text import Text

    return render(Text(_safe(line)), width)


def _safe(text: str) -> str:
    """``text`` with its line breaks kept and every other control character written as an escape
    (:func:`~china_internet_trends.errors.printable`), so a title cannot drive the terminal.

    >>> _safe("标题\\x1b[2J\\nnext")
    '标题\\\\x1b[2J\\nnext'
    """
    return "\n".join(printable(part) for part in text.split("\n"))


def render(renderable: object, width: int | None = None) -> str:
    """What rich prints of ``renderable`` at ``width`` columns (2 at least: a Chinese character is two
    columns wide, and rich drops what cannot fit), without trailing spaces; ANSI styles only when
    standard output is a terminal."""
    from rich.console import Console

    console = Console(width=max(width or terminal_width(), 2), force_terminal=sys.stdout.isatty(), force_jupyter=False,
                      highlight=False, markup=False, emoji=False)
    with console.capture() as captured:
        console.print(renderable)
    return "\n".join(line.rstrip() for line in captured.get().splitlines())


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
