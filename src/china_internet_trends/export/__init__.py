"""Export every table to Excel, SQLite or Parquet, keeping what the Table Schemas say of each column.

- ``xlsx``: one workbook: a ``readme`` sheet, a ``fields`` sheet (the column dictionary), one
  sheet per table, with date cells, column widths and a frozen header, and the derived sheets
  (needs openpyxl);
- ``sqlite``: one database with each table's types, primary and foreign keys, the derived views,
  and a datasette ``metadata.json`` describing every table, view and column;
- ``parquet``: one file per table, titles and descriptions in the Arrow schema (needs pyarrow).

The derived sheets and views (:mod:`.derived`: ``figures_base``, ``scorecard_latest``,
``series_points``) join the tables for a reader who writes no join; they are computed afresh on
every export, and a package with a table of one of their names is refused.

The target folder must be empty or new unless ``force=True``, and a real folder (not a link); each
file written in it must be new or a regular file (``integrity.write_atomically`` refuses a link, a
device or a FIFO at its name, with :class:`~china_internet_trends.errors.UnsafePath`). Each file is written under a
temporary name in the target folder's scratch subfolder and renamed into place
(``integrity.write_all_atomically``): all of an export's files are written in full before any is
renamed into place, so a failed or killed export leaves none of them (and no half-written file where
a good one was), and what it left in the scratch folder is removed by the next (:mod:`..scratch`).

>>> import tempfile, pathlib
>>> [p.name for p in export(pathlib.Path(tempfile.mkdtemp()) / "out", "sqlite")]
['china-internet-trends.sqlite', 'metadata.json']
"""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from .. import scratch
from ..errors import Error
from ..integrity import write_all_atomically
from ..package import Package, opened
from .derived import NAMES, check_derivable, derived_frames

FORMATS = ("xlsx", "sqlite", "parquet")
STEM = "china-internet-trends"
DERIVED_FORMATS = ("xlsx", "sqlite")
"""The formats that write the derived tables: xlsx as sheets, sqlite as views."""
RESERVED = {"xlsx": ("readme", "fields", "overflow", *NAMES), "sqlite": NAMES}
"""The names no table may have in each format: those of the sheets or views the export adds."""


class ExportRefused(Error):
    """Nothing was written: the target folder is not empty and ``force`` was not given, or a table
    of the package has a name the export gives to a sheet or view of its own."""


class ExportNote(UserWarning):
    """Something the export changed on the way out (control characters dropped from xlsx cells);
    the CLI prints it, and the readme sheet lists each cell."""


@dataclass(frozen=True)
class Contents:
    """What an export writes: the package's descriptor, each table's Table Schema and typed frame, and
    the derived tables as the library computes them (only the xlsx export writes these frames)."""

    descriptor: dict[str, Any]
    schemas: dict[str, dict[str, Any]]
    frames: dict[str, pd.DataFrame]
    derived: dict[str, pd.DataFrame] = field(default_factory=dict)


def export(directory: str | Path, fmt: str, *, force: bool = False, path: str | Path | None = None) -> list[Path]:
    """Write every table of the package at ``path`` (default: the shipped one) to ``directory`` in format ``fmt``;
    returns the files. The tables are those the descriptor lists."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    directory = Path(directory)
    scratch.refuse_unless(directory, stat.S_ISDIR, "a folder", missing_ok=True)
    if directory.is_dir():
        scratch.clean(directory)  # what a killed export left
        scratch.release(directory)
    if directory.exists() and any(directory.iterdir()) and not force:
        raise ExportRefused(f"{directory} is not empty; use --force to replace files in it")
    p = opened(path)
    if fmt in DERIVED_FORMATS:
        check_derivable(p.tables, RESERVED[fmt])
    contents = read_contents(p, derived=fmt == "xlsx")
    directory.mkdir(parents=True, exist_ok=True)
    return write_all_atomically(_writers(directory, fmt, contents), overwrite=True)


def _writers(directory: Path, fmt: str, contents: Contents) -> dict[Path, Callable[[Path], None]]:
    """Each file the export of ``fmt`` writes, and the function that writes it at a path it is given."""
    if fmt == "xlsx":
        from .xlsx import write_workbook

        return {directory / f"{STEM}.xlsx": lambda tmp: write_workbook(contents, tmp)}
    if fmt == "sqlite":
        from .sqlite import datasette_metadata, write_database

        metadata = json.dumps(datasette_metadata(contents, STEM), ensure_ascii=False, indent=2) + "\n"
        return {directory / f"{STEM}.sqlite": lambda tmp: write_database(contents, tmp),
                directory / "metadata.json": lambda tmp: tmp.write_text(metadata, encoding="utf-8")}
    from .parquet import write_parquet

    return {directory / f"{name}.parquet": lambda tmp, n=name: write_parquet(contents, n, tmp) for name in contents.frames}


def read_contents(p: Package | None = None, *, derived: bool = False) -> Contents:
    """The descriptor, and the Table Schema and typed frame of every table, of ``p`` (default: the shipped package),
    and with ``derived=True`` the derived tables.

    >>> contents = read_contents()
    >>> contents.frames["units"].columns.tolist(), contents.derived
    (['unit', 'scale', 'base_unit', 'name_en'], {})
    """
    p = p or opened()
    return Contents(p.descriptor, {name: p.schema(name) for name in p.tables}, {name: p.load(name) for name in p.tables},
                    derived_frames(p) if derived else {})
