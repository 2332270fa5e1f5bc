"""Export every table to Excel, SQLite or Parquet for tools that do not read Frictionless packages.

- ``xlsx``: one workbook, one sheet per table (needs openpyxl);
- ``sqlite``: one database, one table per resource, dates as ISO text;
- ``parquet``: one file per table (needs pyarrow).

The target folder must be empty or new unless ``force=True``. Each file is written under a
temporary name in the target folder and renamed into place (``integrity.write_atomically``), so
a failed export never leaves a half-written file where a good one was.

>>> import tempfile, pathlib
>>> [p.name for p in export(pathlib.Path(tempfile.mkdtemp()) / "out", "sqlite")]
['china-internet-trends.sqlite']
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pandas as pd

from .integrity import write_atomically
from .tables import EDITION_TABLES, REFERENCE_TABLES, load

FORMATS = ("xlsx", "sqlite", "parquet")
STEM = "china-internet-trends"


class ExportRefused(Exception):
    """The target folder is not empty and ``force`` was not given; nothing was written."""


def export(directory: str | Path, fmt: str, force: bool = False, path: str | Path | None = None) -> list[Path]:
    """Write every table of the package at ``path`` to ``directory`` in format ``fmt``; returns the files."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()) and not force:
        raise ExportRefused(f"{directory} is not empty; use --force to replace files in it")
    frames = {name: load(name, path=path) for name in REFERENCE_TABLES + EDITION_TABLES}
    directory.mkdir(parents=True, exist_ok=True)
    if fmt == "xlsx":
        return [write_atomically(directory / f"{STEM}.xlsx", lambda tmp: _xlsx(frames, tmp), overwrite=True)]
    if fmt == "sqlite":
        return [write_atomically(directory / f"{STEM}.sqlite", lambda tmp: _sqlite(frames, tmp), overwrite=True)]
    return [write_atomically(directory / f"{name}.parquet", lambda tmp, f=frame: f.to_parquet(tmp, index=False), overwrite=True)
            for name, frame in frames.items()]


def _xlsx(frames: dict[str, pd.DataFrame], file: Path) -> None:
    with pd.ExcelWriter(file, engine="openpyxl") as workbook:
        for name, frame in frames.items():
            frame.to_excel(workbook, sheet_name=name, index=False)


def _sqlite(frames: dict[str, pd.DataFrame], file: Path) -> None:
    with closing(sqlite3.connect(file)) as connection:
        for name, frame in frames.items():
            dates = frame.select_dtypes("datetime").columns
            frame.assign(**{c: frame[c].dt.strftime("%Y-%m-%d") for c in dates}).to_sql(name, connection, index=False)
        connection.commit()
