"""The xlsx export: a ``readme`` sheet, a ``fields`` sheet (the column dictionary), one sheet per
table and one per derived table the contents hold (:mod:`.derived`, marked as derived in the readme),
each with a frozen, filterable header row, columns as wide as their contents, dates as date cells
shown ``yyyy-mm-dd``, and text always stored as text.

Why cell by cell with openpyxl rather than pandas' ``to_excel``: pandas writes a date column as
date-times (``2017-09-30 00:00:00``), sets no widths or panes, stores text starting with ``=`` as a
formula (openpyxl's reading of such a value) and fails on the control characters XML cannot hold.
Here every text cell is typed as text, and one starting like a formula (``=``, ``+``, ``-``, ``@``,
a tab or a carriage return: :data:`~china_internet_trends.output.FORMULA_STARTS`, which csv output
quotes too) also carries Excel's quote prefix, so editing it does not turn it into a formula either.
Control characters (other than tab and line breaks) are dropped; the readme sheet lists each cell where
that happened and an :class:`~china_internet_trends.export.ExportNote` warning says how many.
A value longer than a cell holds (:data:`CELL_LIMIT`) is never cut: the cell holds its first part and
a marker (:data:`MARKER`), and the rest continues in an ``overflow`` sheet (see :class:`Overflow`).
Numbers are written as openpyxl writes them, to 16 significant digits, which keeps every digit of a
value as printed and of a base value (a decimal product, :mod:`~china_internet_trends.conversion`).

>>> import tempfile, pathlib, openpyxl
>>> from . import read_contents
>>> file = pathlib.Path(tempfile.mkdtemp()) / "out.xlsx"
>>> write_workbook(read_contents(), file)
>>> sheet = openpyxl.load_workbook(file)["editions"]
>>> sheet.freeze_panes, sheet["E1"].value, f"{sheet['E2'].value:%Y-%m-%d}", sheet["E2"].number_format
('A2', 'published', '2014-01-08', 'yyyy-mm-dd')
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import __version__
from ..dictionary import dictionary_frame
from ..output import FORMULA_STARTS
from . import Contents, ExportNote
from .derived import DERIVED

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 6, 60
CELL_LIMIT = 32_767
"""The most characters an Excel cell holds, counted as Excel counts: in UTF-16 code units, so that a
character outside the Basic Multilingual Plane (such as 𠀀) takes two."""
OVERFLOW = "overflow"
MARKER = "… [continued in sheet overflow, rows {first}–{last}]"
"""What ends a cell whose value continues in the overflow sheet."""


@dataclass
class Dropped:
    """Cells whose control characters were dropped: ``(sheet, cell, column, count)`` each."""

    cells: list[tuple[str, str, str, int]] = field(default_factory=list)


@dataclass
class Overflow:
    """The rest of each value longer than a cell holds: the rows ``(sheet, cell, part, text)`` of the
    overflow sheet (its header is row 1). The cell holds part 1 and :data:`MARKER`; parts 2, 3, …
    follow in order, each within :data:`CELL_LIMIT`.

    >>> overflow = Overflow()
    >>> kept = overflow.keep("events", "K2", "x" * 70_000)
    >>> len(kept), kept[-42:], [(sheet, cell, part, len(text)) for sheet, cell, part, text in overflow.rows]
    (32763, 'x… [continued in sheet overflow, rows 2–3]', [('events', 'K2', 2, 32767), ('events', 'K2', 3, 4511)])
    """

    rows: list[tuple[str, str, int, str]] = field(default_factory=list)

    def keep(self, sheet: str, cell: str, value: str) -> str:
        """What ``sheet!cell`` holds of ``value``: its first part and the marker; the rest becomes rows."""
        first = len(self.rows) + 2
        bound = MARKER.format(first=first, last=first + _units(value))  # no part is empty, so no longer than this
        head, rest = _cut(value, CELL_LIMIT - _units(bound))
        part = 1
        while rest:
            text, rest = _cut(rest, CELL_LIMIT)
            part += 1
            self.rows.append((sheet, cell, part, text))
        return head + MARKER.format(first=first, last=len(self.rows) + 1)


def _units(text: str) -> int:
    """The length of ``text`` in UTF-16 code units, as Excel counts it.

    >>> _units("a中𠀀")
    4
    """
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, units: int) -> tuple[str, str]:
    """``text`` split after its first ``units`` UTF-16 code units, or one fewer so as not to split a character.

    >>> _cut("a𠀀b", 2)
    ('a', '𠀀b')
    """
    data = text.encode("utf-16-le")
    end = min(len(data), 2 * units)
    if 0xD800 <= int.from_bytes(data[end - 2:end], "little") <= 0xDBFF:  # the first half of a surrogate pair
        end -= 2
    return data[:end].decode("utf-16-le"), data[end:].decode("utf-16-le")


def write_workbook(contents: Contents, file: Path) -> None:
    """Write the workbook to ``file``: readme, fields, one sheet per table, then the derived sheets."""
    from openpyxl import Workbook

    workbook = Workbook()
    dropped, overflow = Dropped(), Overflow()
    workbook.remove(workbook.active)
    dictionary = dictionary_frame(contents.schemas).rename(columns={"name": "column"})
    _write_frame(workbook.create_sheet("fields"), dictionary, dropped, overflow)
    for name, frame in {**contents.frames, **contents.derived}.items():
        _write_frame(workbook.create_sheet(name), frame, dropped, overflow)
    _write_readme(workbook.create_sheet("readme", 0), contents, dropped, overflow)
    if overflow.rows:
        _write_frame(workbook.create_sheet(OVERFLOW), pd.DataFrame(overflow.rows, columns=["sheet", "cell", "part", "text"]), dropped, overflow)
    workbook.save(file)
    if dropped.cells:
        message = f"xlsx: control characters, which Excel cannot hold, dropped from {len(dropped.cells)} cell(s); the readme sheet lists them"
        warnings.warn(message, ExportNote, stacklevel=2)


def _write_frame(sheet: Worksheet, frame: pd.DataFrame, dropped: Dropped, overflow: Overflow) -> None:
    """The frame's header and rows, as typed cells, with a frozen header, a filter and column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    dates = [pd.api.types.is_datetime64_any_dtype(frame[name]) for name in frame.columns]
    widths = [_width(str(name)) for name in frame.columns]
    for column, name in enumerate(frame.columns, start=1):
        _set(sheet.cell(1, column), str(name), dropped, overflow).font = Font(bold=True)
    for row, values in enumerate(frame.itertuples(index=False), start=2):
        for column, value in enumerate(values, start=1):
            cell = _set(sheet.cell(row, column), _python(value), dropped, overflow)
            if dates[column - 1]:
                cell.number_format = DATE_FORMAT
            widths[column - 1] = max(widths[column - 1], _width(DATE_FORMAT if dates[column - 1] else cell.value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _python(value: Any) -> Any:
    """A frame's value as openpyxl writes it: missing as None, a date-time as a date, numpy as Python."""
    if pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if hasattr(value, "item") else value


def _set(cell: Any, value: Any, dropped: Dropped, overflow: Overflow) -> Any:
    """Put ``value`` in ``cell``; text is stored as text, never as a formula, without control characters,
    and what a cell cannot hold of it continues in the overflow sheet."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        cell.value = value
        return cell
    clean, count = ILLEGAL_CHARACTERS_RE.subn("", value)
    if count:
        dropped.cells.append((cell.parent.title, cell.coordinate, str(cell.parent.cell(1, cell.column).value), count))
    if len(clean) > CELL_LIMIT // 2 and _units(clean) > CELL_LIMIT:  # a code unit or two per character
        clean = overflow.keep(cell.parent.title, cell.coordinate, clean)
    cell.value = clean
    cell.data_type = "s"
    if clean.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    return cell


def _width(value: Any) -> int:
    """The widest line of ``value`` in character cells (a Chinese character takes two).

    >>> _width("中国互联网"), _width(2017), _width(None)
    (10, 4, 0)
    """
    if value is None:
        return 0
    return max(_line_width(line) for line in str(value).split("\n"))


def _line_width(line: str) -> int:
    """Display width of one line, a Chinese character counting two (rich measures it, as the CLI does)."""
    from rich.cells import cell_len

    return cell_len(line)


def _write_readme(sheet: Worksheet, contents: Contents, dropped: Dropped, overflow: Overflow) -> None:
    """What the workbook holds: the package, each sheet, how to read the cells, what was dropped, and
    which values continue in the overflow sheet (listed last, so that the readme's own are too)."""
    descriptor = contents.descriptor
    licence = (descriptor.get("licenses") or [{}])[0]
    rows: list[tuple[Any, ...]] = [
        ("title", descriptor.get("title")),
        ("description", descriptor.get("description")),
        ("version", descriptor.get("version")),
        ("licence", " ".join(str(part) for part in (licence.get("name"), licence.get("path")) if part)),
        *[("source", " ".join(str(part) for part in (source.get("title"), source.get("path")) if part)) for source in descriptor.get("sources", [])],
        ("exported by", f"china-internet-trends {__version__}"),
        ("cells", "Dates are date cells shown yyyy-mm-dd. Text is always text: a value starting with = + - @, a tab or a carriage return is never a formula. "
                  f"A value longer than Excel's limit of {CELL_LIMIT:,} characters is never cut: its cell holds the first part, ending with "
                  f"\"{MARKER.format(first='N', last='M')}\", and rows N to M of the overflow sheet hold the rest (see continued below)."),
        (),
        ("sheet", "title", "rows", "description"),
        ("fields", "Every column of every table, from the Table Schemas", sum(len(schema["fields"]) for schema in contents.schemas.values()), "One row per column: its table, name, type, title, description and constraints, whether it is required or (part of) the primary key, and the table.column its foreign key refers to."),
        *[(name, contents.schemas[name].get("title"), len(frame), contents.schemas[name].get("description")) for name, frame in contents.frames.items()],
        *[(derived.name, derived.title, len(contents.derived[derived.name]), derived.sheet_note) for derived in DERIVED if derived.name in contents.derived],
        (),
    ]
    if dropped.cells:
        rows.append(("dropped", "Control characters Excel cannot hold were dropped from these cells (the CSV files and the other exports keep them):"))
        rows += [(None, f"{sheet}!{cell}", column, f"{count} character(s)") for sheet, cell, column, count in dropped.cells]
    else:
        rows.append(("dropped", "nothing: no character was dropped from any cell"))
    unlisted = Dropped()  # the readme's own words (descriptor and schemas) are cleaned too, but listing them here would be circular
    for row, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            _set(sheet.cell(row, column), value, unlisted, overflow)
    for row, values in enumerate(_continued(overflow), start=len(rows) + 1):
        for column, value in enumerate(values, start=1):
            _set(sheet.cell(row, column), value, unlisted, overflow)
    for letter, width in zip("ABCD", (14, 40, 10, 100)):
        sheet.column_dimensions[letter].width = width


def _continued(overflow: Overflow) -> list[tuple[Any, ...]]:
    """The readme's rows on values longer than a cell holds: how to put one together, and each cell
    whose value continues in the overflow sheet, with its rows there.

    >>> overflow = Overflow()
    >>> _ = overflow.keep("events", "K2", "x" * 70_000)
    >>> _continued(overflow)[1:]
    [(None, 'events!K2', 'overflow rows 2–3')]
    """
    if not overflow.rows:
        return [("continued", f"nothing: every value fits in its cell ({CELL_LIMIT:,} characters at most)")]
    spans: dict[tuple[str, str], list[int]] = {}
    for row, (sheet, cell, _, _) in enumerate(overflow.rows, start=2):
        spans.setdefault((sheet, cell), []).append(row)
    how = (f"These cells hold values longer than Excel's limit of {CELL_LIMIT:,} characters. Each holds part 1 of its value followed by "
           f"\"{MARKER.format(first='N', last='M')}\"; rows N to M of the overflow sheet (columns sheet, cell, part, text) hold parts 2, 3, … "
           "in order. The value is part 1 without that marker followed by the text of each further part.")
    return [("continued", how), *[(None, f"{sheet}!{cell}", f"overflow rows {rows[0]}–{rows[-1]}") for (sheet, cell), rows in spans.items()]]
