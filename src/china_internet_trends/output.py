"""What a CLI command prints, in the format asked for: terminal tables, csv, json or markdown.

A command tells an :class:`Output` what it prints, in order: headings, notes (such as what the
package holds of each side) and named tables. ``table`` fits them to the terminal
(:mod:`~china_internet_trends.display`): numbers written for people (+34.7%, 1,170,000,000), an
empty cell of a side that holds nothing reads "not held". ``csv``, ``json`` and ``markdown`` print
the same tables as data, values as stored and empty cells empty, so the CLI pipes into other tools:

- ``csv``: the table alone; with several tables, each preceded by a ``# name`` line and separated
  from the next by a blank line. CSV has no escapes of its own, so a character that could drive a
  terminal or reorder the line is written as a Python escape (``\\x1b``, ``\\u202e``, ``\\n``, see
  :func:`~china_internet_trends.errors.printable`), and text a spreadsheet would run as a formula
  is quoted (:func:`_csv_text`);
- ``json``: one object keyed by table name, each table a list of records (empty cells are null);
  such characters are ``\\uXXXX`` escapes, which a JSON reader reads back as they were;
- ``markdown``: the headings as ``##`` sections, the notes as paragraphs (indented ones as list items),
  each table as a pipe table.

Table and markdown output are written as they come; csv and json once :meth:`Output.close` is called,
so a command that fails half way prints no half document.

>>> import pandas as pd
>>> out = Output("csv")
>>> out.heading("The ten events of 2017")
>>> out.table("events", pd.DataFrame({"rank": [1], "title_en": ["The 19th Party Congress"]}))
>>> out.close()
rank,title_en
1,The 19th Party Congress
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from . import display
from .errors import printable
from .schema import NUMBER

FORMATS = ("table", "csv", "json", "markdown")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet runs as a formula begins ("CSV injection"): csv output and the xlsx
export (:mod:`~china_internet_trends.export.xlsx`) mark text that begins so as text."""


class Output:
    """Collects and prints a command's headings, notes and tables in ``fmt``, one of :data:`FORMATS`.
    ``every_column`` is what shows the columns a terminal table leaves out to fit (say, ``--format csv``)."""

    def __init__(self, fmt: str = "table", every_column: str = "--format csv"):
        self.fmt = fmt
        self.every_column = every_column
        self.tables: dict[str, pd.DataFrame] = {}
        self._last: str | None = None  # what was printed last: None (nothing yet), "note" or "block"

    def heading(self, text: str) -> None:
        """A heading: after a blank line in a terminal, a ``##`` section in markdown; not in csv or json."""
        if self.fmt == "table":
            self._write(display.text(text), blank_before=self._last is not None)
        elif self.fmt == "markdown":
            self._write(f"## {printable(text)}", blank_before=self._last is not None)

    def note(self, text: str) -> None:
        """A line of explanation under a heading, such as what the package holds; not in csv or json.
        In markdown consecutive notes make one paragraph, and an indented note is an item of a list."""
        if self.fmt == "table":
            self._write(display.text(text), kind="note")
        elif self.fmt == "markdown":
            item = text.startswith(" ")
            self._write(printable(f"- {text.strip()}" if item else text), kind="note", blank_before=self._last not in (None, "note"))

    def table(self, name: str, frame: pd.DataFrame, *, title: str | None = None, empty: str | None = None,
              formats: Mapping[str, Callable[[object], str]] | None = None, missing: Mapping[str, str] | None = None,
              optional: Sequence[str] = ()) -> None:
        """The table ``name``. In a terminal and in markdown an empty ``frame`` prints as the ``empty`` message
        (nothing at all without one, not even ``title``, a heading printed just before a table).
        ``formats`` and ``missing`` say how a terminal writes values and empty cells, ``optional`` which
        columns it may leave out first to fit (see :func:`display.table`)."""
        if name in self.tables:
            raise ValueError(f"a command printed two tables named {name!r}")
        self.tables[name] = frame
        if frame.empty and empty is None and self.fmt in ("table", "markdown"):
            return
        if title is not None:
            self.heading(title)
        if self.fmt == "table":
            self._write(display.text(empty) if frame.empty else
                        display.table(frame, formats, missing, optional=optional, hint=f"{self.every_column} shows them"))
        elif self.fmt == "markdown":
            self._write(empty if frame.empty else _markdown(frame), blank_before=self._last is not None)

    def close(self) -> None:
        """Print the csv or json document of every table; table and markdown output is already printed."""
        if self.fmt == "csv":
            self._write(_csv(self.tables))
        elif self.fmt == "json":
            records = {name: json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False)) for name, frame in self.tables.items()}
            self._write(_json_escaped(json.dumps(records, ensure_ascii=False, indent=2)))

    def _write(self, text: str, kind: str = "block", blank_before: bool = False) -> None:
        print(("\n" if blank_before else "") + text)
        self._last = kind


def _csv(tables: dict[str, pd.DataFrame]) -> str:
    """One table as plain csv; several, each after a ``# name`` line and a blank line between them."""
    written = {name: _csv_frame(frame) for name, frame in tables.items()}
    if len(written) == 1:
        return next(iter(written.values())).to_csv(index=False, lineterminator="\n").rstrip("\n")
    parts = [f"# {printable(name)}\n" + frame.to_csv(index=False, lineterminator="\n").rstrip("\n") for name, frame in written.items()]
    return "\n\n".join(parts)


def _csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text, column names included, as :func:`_csv_text` writes it; numbers and
    dates as they are.

    >>> _csv_frame(pd.DataFrame({"title": ["=1+1", "-2"], "change": [-3.5, 2.0]})).to_dict("list")
    {'title': ["'=1+1", '-2'], 'change': [-3.5, 2.0]}
    """
    written = frame.rename(columns=lambda column: _csv_text(str(column)))
    for position, dtype in enumerate(written.dtypes):
        if dtype == object or isinstance(dtype, pd.StringDtype):
            written.isetitem(position, written.iloc[:, position].map(lambda value: _csv_text(value) if isinstance(value, str) else value))
    return written


def _csv_text(text: str) -> str:
    """``text`` as a csv cell: after a ``'`` when it begins like a formula (:data:`FORMULA_STARTS`),
    so that a spreadsheet shows it as text and never runs it; then with every character that could
    drive a terminal or reorder the line escaped (:func:`~china_internet_trends.errors.printable`).

    Text that is a plain number (``-3.5``, ``+12``, ``1e-3``: :data:`~china_internet_trends.schema.NUMBER`,
    nothing else in the cell) is left as it is: a spreadsheet reads it as that number and runs
    nothing, and a negative number stays a number. Values that are numbers or dates, not text,
    are never changed.

    >>> for text in ["=1+1", "@SUM(A1)", "-2+3", "\\t=1", "-3.5", "+12", "5G", "title\\x1b]0;owned\\x07\\u202e"]:
    ...     print(_csv_text(text))
    '=1+1
    '@SUM(A1)
    '-2+3
    '\\t=1
    -3.5
    +12
    5G
    title\\x1b]0;owned\\x07\\u202e
    """
    formula = text.startswith(FORMULA_STARTS) and re.fullmatch(NUMBER, text) is None
    return printable("'" + text if formula else text)


def _json_escaped(document: str) -> str:
    """A JSON ``document`` with each character that could drive a terminal or reorder the line written
    as a ``\\uXXXX`` escape: ``json.dumps(ensure_ascii=False)`` escapes the C0 controls but leaves
    DEL, the C1 controls (U+009B) and the bidirectional controls (U+202E) raw. A JSON reader reads
    the escapes back as the characters they were; the document's own line breaks stay.

    >>> print(_json_escaped(json.dumps({"title": "a\\x9b2J\\u202eb 中文"}, ensure_ascii=False)))
    {"title": "a\\u009b2J\\u202eb 中文"}
    """
    return "\n".join(line if line.isprintable() else "".join(ch if ch.isprintable() else json.dumps(ch)[1:-1] for ch in line)
                     for line in document.split("\n"))


def _markdown(frame: pd.DataFrame) -> str:
    """A pipe table of ``frame``: values as stored (no number formatting), empty cells empty.

    >>> print(_markdown(pd.DataFrame({"series_id": ["users_4g"], "growth": [0.347], "caveat": [pd.NA]})))
    | series_id   | growth   | caveat   |
    |:------------|:---------|:---------|
    | users_4g    | 0.347    |          |
    """
    cells = frame.astype(object).map(lambda value: "" if pd.isna(value) else _markdown_cell(str(value)))
    return cells.to_markdown(index=False, disable_numparse=True)


def _markdown_cell(text: str) -> str:
    """``text`` safe inside a markdown table cell: pipes escaped and line breaks as spaces.
    tabulate writes cells as they are, so a ``|`` in a title would otherwise split its cell."""
    return printable(text.replace("|", "\\|").replace("\n", " "))
