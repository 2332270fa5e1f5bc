"""Scaffold a new edition: header-only CSVs in ``datasets/<year>/``, registered in datapackage.json.

Nothing is overwritten: an edition that already has a folder or a registered file is refused and
every file stays as it was. The new folder appears whole (it is written under a temporary name and
renamed), and datapackage.json, with the size and hash of each new file, is replaced in one step.

>>> import shutil, tempfile, pathlib
>>> copy = pathlib.Path(tempfile.mkdtemp()) / "pkg"
>>> _ = shutil.copytree(package.find_descriptor().parent, copy, ignore=shutil.ignore_patterns(".*", "src", "tests"))
>>> [p.name for p in scaffold(2031, copy)][:2]
['sections.csv', 'events.csv']
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from . import integrity, package
from .errors import DataPackageError, Report
from .tables import EDITION_TABLES


class EditionExists(Exception):
    """The edition is already in the package; nothing was changed."""


def scaffold(year: int, path: str | Path | None = None) -> list[Path]:
    """Create ``datasets/<year>/<table>.csv`` (headers only) for every edition table and register them.

    Returns the files created. Raises :class:`EditionExists` if the edition is already there, and
    :class:`DataPackageError` if datapackage.json names a path that may not be read.
    """
    descriptor_path = package.find_descriptor(path)
    descriptor = package.read_descriptor(descriptor_path)
    unsafe = [problem for res in descriptor["resources"] for problem in package.unsafe_paths(res)]
    if unsafe:
        raise DataPackageError(Report(unsafe))
    root = descriptor_path.parent
    folder = root / "datasets" / str(year)
    relative = {table: f"datasets/{year}/{table}.csv" for table in EDITION_TABLES}

    registered = [p for res in descriptor["resources"] for p in package.resource_paths(res) if p in relative.values()]
    if folder.exists() or registered:
        raise EditionExists(f"edition {year} already exists ({folder if folder.exists() else registered[0]}); nothing was changed")

    staging = Path(tempfile.mkdtemp(prefix=f".{year}-", dir=folder.parent))
    try:
        for table in EDITION_TABLES:
            res = package.resource(descriptor, table)
            header = ",".join(f["name"] for f in package.table_schema(descriptor_path, res)["fields"]) + "\n"
            data = header.encode("utf-8")
            (staging / f"{table}.csv").write_bytes(data)
            _register(res, relative[table], data)
        staging.chmod(0o755)  # mkdtemp makes the folder private (rwx------); the edition's folder is not
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        integrity.write_json_atomically(descriptor_path, descriptor)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return [folder / f"{table}.csv" for table in EDITION_TABLES]


def _register(res: dict, rel: str, data: bytes) -> None:
    """Add ``rel`` to the resource's parts, with the size and hash of ``data``; other records stay as they were."""
    records = integrity.recorded(res)
    res["path"] = package.resource_paths(res) + [rel]
    integrity.set_recorded(res, records | {rel: integrity.fingerprint(data)})
