"""Scaffold a new edition: header-only CSVs in ``datasets/<year>/``, registered in datapackage.json.

Nothing is overwritten: an edition that already has a folder or a registered file is refused and
every file stays as it was. datapackage.json is read and written under its lock
(:func:`scratch.descriptor_lock`), so two commands that change it at once take turns. Each new
table is written atomically (:func:`integrity.write_atomically`) into ``datasets/<year>/``, a real
folder (a link at any level is refused), then datapackage.json, with the size and hash of each new
file, is replaced in one step. A run killed before that leaves an unregistered folder of some
header-only tables, exactly what it would write; a re-run takes it over.

>>> import shutil, tempfile, pathlib
>>> copy = pathlib.Path(tempfile.mkdtemp()) / "pkg"
>>> from china_internet_trends.descriptor import find_descriptor
>>> _ = shutil.copytree(find_descriptor().parent, copy, ignore=shutil.ignore_patterns(".*", "src", "tests"))
>>> [p.name for p in scaffold(2031, copy)][:2]
['sections.csv', 'events.csv']
"""

from __future__ import annotations

import numbers
import os
import stat
from pathlib import Path

from . import integrity, scratch
from .descriptor import resource, resource_paths, table_schema
from .errors import Error, QueryError
from .writing import editing


class EditionExists(Error):
    """The edition is already in the package; nothing was changed."""


def scaffold(year: int, path: str | Path | None = None) -> list[Path]:
    """Create ``datasets/<year>/<table>.csv`` (headers only) for every table split by edition (a
    resource whose ``path`` is a list) and register them.

    Returns the files created. Raises :class:`QueryError` for a year the ``editions`` schema does
    not allow, :class:`EditionExists` if the edition is already there, :class:`ReadOnlyPackage` for
    the installed package, :class:`UnsafePath` when ``datasets`` or the edition's folder is a link
    or not a folder, and :class:`DataPackageError` if datapackage.json names a path that may not
    be read.
    """
    with editing(path) as (descriptor_path, descriptor):
        _check_year(year, descriptor_path, descriptor)
        split = [res["name"] for res in descriptor["resources"] if isinstance(res.get("path"), list)]
        headers = {table: _header(descriptor_path, resource(descriptor, table)) for table in split}
        root = descriptor_path.parent
        relative = {table: f"datasets/{year}/{table}.csv" for table in split}
        registered = [p for res in descriptor["resources"] for p in resource_paths(res) if p in relative.values()]
        folder = root / "datasets" / str(year)
        if registered or not _new_or_left_by_a_killed_run(folder, headers):
            raise EditionExists(f"edition {year} already exists ({registered[0] if registered else folder}); nothing was changed")
        created = _write_tables(root, year, headers)
        for table in split:
            _register(resource(descriptor, table), relative[table], headers[table])
        try:
            integrity.write_json_atomically(descriptor_path, descriptor)
        except BaseException:
            _remove(created)
            raise
    return created


def _check_year(year: object, descriptor_path: Path, descriptor: dict) -> None:
    """The year must be a whole number the ``editions`` schema allows for ``edition``."""
    field = next(f for f in table_schema(descriptor_path, resource(descriptor, "editions"))["fields"] if f["name"] == "edition")
    low, high = field.get("constraints", {}).get("minimum", 1), field.get("constraints", {}).get("maximum", 9999)
    if not isinstance(year, numbers.Integral) or isinstance(year, bool) or not low <= year <= high:
        raise QueryError(f"an edition is a year from {low} to {high} (the editions schema); got {year!r}")


def _header(descriptor_path: Path, res: dict) -> bytes:
    return (",".join(f["name"] for f in table_schema(descriptor_path, res)["fields"]) + "\n").encode("utf-8")


def _new_or_left_by_a_killed_run(folder: Path, headers: dict[str, bytes]) -> bool:
    """Whether ``folder`` does not exist, or holds only header-only tables this command writes (what
    a killed run leaves), once what dead writers left in its scratch folder is removed."""
    scratch.refuse_unless(folder.parent, stat.S_ISDIR, "a folder", missing_ok=True)
    if not os.path.lexists(folder):
        return True
    scratch.refuse_unless(folder, stat.S_ISDIR, "a folder")
    scratch.clean(folder)
    scratch.release(folder)
    wanted = {f"{table}.csv": header for table, header in headers.items()}
    return all(entry.name in wanted and entry.is_file(follow_symlinks=False) and Path(entry.path).read_bytes() == wanted[entry.name]
               for entry in os.scandir(folder))


def _write_tables(root: Path, year: int, headers: dict[str, bytes]) -> list[Path]:
    """Write each table's header to ``datasets/<year>/<table>.csv`` under ``root``, each file atomically."""
    folder = scratch.real_folder(root, "datasets", str(year))
    return [integrity.write_atomically(folder / f"{table}.csv", lambda temporary, h=header: temporary.write_bytes(h), overwrite=True)
            for table, header in headers.items()]


def _remove(created: list[Path]) -> None:
    """Remove the tables this run wrote, and their folder if nothing else is in it."""
    for path in created:
        path.unlink(missing_ok=True)
    if created:
        try:
            os.rmdir(created[0].parent)
        except OSError:
            pass


def _register(res: dict, rel: str, data: bytes) -> None:
    """Add ``rel`` to the resource's parts, with the size and hash of ``data``; other records stay as they were."""
    records = integrity.recorded(res)
    res["path"] = resource_paths(res) + [rel]
    integrity.set_recorded(res, records | {rel: integrity.fingerprint(data)})
