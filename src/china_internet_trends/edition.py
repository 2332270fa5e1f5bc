"""Scaffold a new edition: header-only CSVs in ``datasets/<year>/``, registered in datapackage.json.

Nothing is overwritten: an edition that already has a folder or a registered file is refused and
every file stays as it was. datapackage.json is read and written under its lock
(:func:`scratch.descriptor_lock`), so two commands that change it at once take turns. The new
folder is built in the scratch folder and renamed into place, then datapackage.json, with the size
and hash of each new file, is replaced in one step. A run killed between the two leaves an
unregistered folder of header-only tables, exactly what it would write; a re-run takes it over.

>>> import shutil, tempfile, pathlib
>>> copy = pathlib.Path(tempfile.mkdtemp()) / "pkg"
>>> _ = shutil.copytree(package.find_descriptor().parent, copy, ignore=shutil.ignore_patterns(".*", "src", "tests"))
>>> [p.name for p in scaffold(2031, copy)][:2]
['sections.csv', 'events.csv']
"""

from __future__ import annotations

import numbers
import shutil
from pathlib import Path

from . import integrity, package, scratch
from .errors import QueryError
from .tables import EDITION_TABLES


class EditionExists(Exception):
    """The edition is already in the package; nothing was changed."""


def scaffold(year: int, path: str | Path | None = None) -> list[Path]:
    """Create ``datasets/<year>/<table>.csv`` (headers only) for every edition table and register them.

    Returns the files created. Raises :class:`QueryError` for a year the ``editions`` schema does
    not allow, :class:`EditionExists` if the edition is already there, :class:`ReadOnlyPackage` for
    the installed package and :class:`DataPackageError` if datapackage.json names a path that may not
    be read.
    """
    with package.editing(path) as (descriptor_path, descriptor):
        _check_year(year, descriptor_path, descriptor)
        headers = {table: _header(descriptor_path, package.resource(descriptor, table)) for table in EDITION_TABLES}
        folder = descriptor_path.parent / "datasets" / str(year)
        relative = {table: f"datasets/{year}/{table}.csv" for table in EDITION_TABLES}
        registered = [p for res in descriptor["resources"] for p in package.resource_paths(res) if p in relative.values()]
        if registered or (folder.exists() and not _left_by_a_killed_run(folder, headers)):
            raise EditionExists(f"edition {year} already exists ({registered[0] if registered else folder}); nothing was changed")
        if folder.exists():
            shutil.rmtree(folder)
        _build(folder, headers)
        for table in EDITION_TABLES:
            _register(package.resource(descriptor, table), relative[table], headers[table])
        try:
            integrity.write_json_atomically(descriptor_path, descriptor)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    return [folder / f"{table}.csv" for table in EDITION_TABLES]


def _check_year(year: object, descriptor_path: Path, descriptor: dict) -> None:
    """The year must be a whole number the ``editions`` schema allows for ``edition``."""
    field = next(f for f in package.table_schema(descriptor_path, package.resource(descriptor, "editions"))["fields"] if f["name"] == "edition")
    low, high = field.get("constraints", {}).get("minimum", 1), field.get("constraints", {}).get("maximum", 9999)
    if not isinstance(year, numbers.Integral) or isinstance(year, bool) or not low <= year <= high:
        raise QueryError(f"an edition is a year from {low} to {high} (the editions schema); got {year!r}")


def _header(descriptor_path: Path, res: dict) -> bytes:
    return (",".join(f["name"] for f in package.table_schema(descriptor_path, res)["fields"]) + "\n").encode("utf-8")


def _left_by_a_killed_run(folder: Path, headers: dict[str, bytes]) -> bool:
    """Whether ``folder`` holds exactly the header-only tables this command writes, and nothing else."""
    wanted = {f"{table}.csv": header for table, header in headers.items()}
    entries = {entry.name: entry for entry in folder.iterdir()}
    return set(entries) == set(wanted) and all(
        entries[name].is_file() and not entries[name].is_symlink() and entries[name].read_bytes() == wanted[name] for name in wanted)


def _build(folder: Path, headers: dict[str, bytes]) -> None:
    """Write the tables in a scratch folder, then rename it to ``folder`` in one step."""
    staging = scratch.temporary_path(folder.parent.parent, directory=True)
    try:
        for table, header in headers.items():
            (staging / f"{table}.csv").write_bytes(header)
        staging.chmod(0o755)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _register(res: dict, rel: str, data: bytes) -> None:
    """Add ``rel`` to the resource's parts, with the size and hash of ``data``; other records stay as they were."""
    records = integrity.recorded(res)
    res["path"] = package.resource_paths(res) + [rel]
    integrity.set_recorded(res, records | {rel: integrity.fingerprint(data)})
