"""The xlsx export: a ``readme`` sheet, a ``fields`` sheet (the column dictionary) and one sheet per
table, each with a frozen, filterable header row, columns as wide as their contents, dates as date
cells shown ``yyyy-mm-dd``, and text always stored as text.

Why cell by cell with openpyxl rather than pandas' ``to_excel``: pandas writes a date column as
date-times (``2017-09-30 00:00:00``), sets no widths or panes, stores text starting with ``=`` as a
formula (openpyxl's reading of such a value) and fails on the control characters XML cannot hold.
Here every text cell is typed as text, and one starting like a formula (``=``, ``+``, ``-``, ``@``,
a tab or a carriage return: :data:`~china_internet_trends.output.FORMULA_STARTS`, which csv output
quotes too) also carries Excel's quote prefix, so editing it does not turn it into a formula either.
Control characters (other than tab and line breaks) are dropped; the readme sheet lists each cell where
that happened and an :class:`~china_internet_trends.export.ExportNote` warning says how many.

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

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH = 6, 60


@dataclass
class Dropped:
    """Cells whose control characters were dropped: ``(sheet, cell, column, count)`` each."""

    cells: list[tuple[str, str, str, int]] = field(default_factory=list)


def write_workbook(contents: Contents, file: Path) -> None:
    """Write the workbook to ``file``: readme, fields, then one sheet per table."""
    from openpyxl import Workbook

    workbook = Workbook()
    dropped = Dropped()
    workbook.remove(workbook.active)
    dictionary = dictionary_frame(contents.schemas).rename(columns={"name": "column"})
    _write_frame(workbook.create_sheet("fields"), dictionary, dropped)
    for name, frame in contents.frames.items():
        _write_frame(workbook.create_sheet(name), frame, dropped)
    _write_readme(workbook.create_sheet("readme", 0), contents, dropped)
    workbook.save(file)
    if dropped.cells:
        message = f"xlsx: control characters, which Excel cannot hold, dropped from {len(dropped.cells)} cell(s); the readme sheet lists them"
        warnings.warn(message, ExportNote, stacklevel=2)


def _write_frame(sheet: Worksheet, frame: pd.DataFrame, dropped: Dropped) -> None:
    """The frame's header and rows, as typed cells, with a frozen header, a filter and column widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    dates = [pd.api.types.is_datetime64_any_dtype(frame[name]) for name in frame.columns]
    widths = [_width(str(name)) for name in frame.columns]
    for column, name in enumerate(frame.columns, start=1):
        _set(sheet.cell(1, column), str(name), dropped).font = Font(bold=True)
    for row, values in enumerate(frame.itertuples(index=False), start=2):
        for column, value in enumerate(values, start=1):
            cell = _set(sheet.cell(row, column), _python(value), dropped)
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


def _set(cell: Any, value: Any, dropped: Dropped) -> Any:
    """Put ``value`` in ``cell``; text is stored as text, never as a formula, without control characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        cell.value = value
        return cell
    clean, count = ILLEGAL_CHARACTERS_RE.subn("", value)
    if count:
        dropped.cells.append((cell.parent.title, cell.coordinate, str(cell.parent.cell(1, cell.column).value), count))
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


def _write_readme(sheet: Worksheet, contents: Contents, dropped: Dropped) -> None:
    """What the workbook holds: the package, each sheet, how to read the cells, and what was dropped."""
    descriptor = contents.descriptor
    licence = (descriptor.get("licenses") or [{}])[0]
    rows: list[tuple[Any, ...]] = [
        ("title", descriptor.get("title")),
        ("description", descriptor.get("description")),
        ("version", descriptor.get("version")),
        ("licence", " ".join(str(part) for part in (licence.get("name"), licence.get("path")) if part)),
        *[("source", " ".join(str(part) for part in (source.get("title"), source.get("path")) if part)) for source in descriptor.get("sources", [])],
        ("exported by", f"china-internet-trends {__version__}"),
        ("cells", "Dates are date cells shown yyyy-mm-dd. Text is always text: a value starting with = + - @, a tab or a carriage return is never a formula."),
        (),
        ("sheet", "title", "rows", "description"),
        ("fields", "Every column of every table, from the Table Schemas", sum(len(schema["fields"]) for schema in contents.schemas.values()), "One row per column: its table, name, type, title, description and constraints, whether it is required or (part of) the primary key, and the table.column its foreign key refers to."),
        *[(name, contents.schemas[name].get("title"), len(frame), contents.schemas[name].get("description")) for name, frame in contents.frames.items()],
        (),
    ]
    if dropped.cells:
        rows.append(("dropped", "Control characters Excel cannot hold were dropped from these cells (the CSV files and the other exports keep them):"))
        rows += [(None, f"{sheet}!{cell}", column, f"{count} character(s)") for sheet, cell, column, count in dropped.cells]
    else:
        rows.append(("dropped", "nothing: every cell holds its value exactly"))
    unlisted = Dropped()  # the readme's own words (descriptor and schemas) are cleaned too, but listing them here would be circular
    for row, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            _set(sheet.cell(row, column), value, unlisted)
    for letter, width in zip("ABCD", (14, 40, 10, 100)):
        sheet.column_dimensions[letter].width = width
