"""Keep the package's files whole: recorded sizes and hashes, drift checks, atomic writes.

datapackage.json records the size in bytes and the sha256 hash of every data file:

- a single-file resource uses the standard Data Package properties ``bytes`` and ``hash``
  (``"sha256:<hex>"``), which frictionless checks as well;
- a multipart resource records each part in the custom property ``integrity``, a map from the
  part's path to its ``bytes`` and ``hash``. The standard properties of a multipart resource would
  describe the parts joined into one stream (frictionless drops the repeated headers), so a change
  could not be pinned on a file.

Validation reports a file whose bytes no longer match its record; ``refresh-hashes`` records the
files as they are after an intended edit. Every write goes to a temporary file that is then renamed
over the target, so a crash never leaves half a file.

>>> fingerprint(b"edition\\n")
{'bytes': 8, 'hash': 'sha256:65754510b9a5d468cb2ae88cc80370cafbfeeb06c4144fd4844bdf7e5edcd798'}
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any, Callable

from . import scratch
from .descriptor import resource_paths
from .errors import DataPackageError, Problem
from .files import read_inside
from .writing import editing

INTEGRITY = "integrity"
REFRESH_ADVICE = "run `china-internet-trends refresh-hashes` after an intended edit"


def fingerprint(data: bytes) -> dict[str, Any]:
    """The size and sha256 hash of ``data`` as datapackage.json records them."""
    return {"bytes": len(data), "hash": f"sha256:{hashlib.sha256(data).hexdigest()}"}


def recorded(res: dict[str, Any]) -> dict[str, Any]:
    """The record (``bytes`` and ``hash``) of each of the resource's files that has one.

    >>> recorded({"path": "a.csv", "bytes": 4, "hash": "sha256:00"})
    {'a.csv': {'bytes': 4, 'hash': 'sha256:00'}}
    >>> recorded({"path": ["a.csv", "b.csv"], "integrity": {"b.csv": {"bytes": 4, "hash": "sha256:00"}}})
    {'b.csv': {'bytes': 4, 'hash': 'sha256:00'}}
    """
    if isinstance(res.get("path"), list):
        records = res.get(INTEGRITY)
        return dict(records) if isinstance(records, dict) else {}
    if "bytes" in res or "hash" in res:
        return {res["path"]: {key: res.get(key) for key in ("bytes", "hash")}}
    return {}


def set_recorded(res: dict[str, Any], records: dict[str, Any]) -> None:
    """Store ``records`` in the resource, in the form its ``path`` calls for (see the module docstring).

    >>> res = {"path": ["a.csv"], "bytes": 1}
    >>> set_recorded(res, {"a.csv": {"bytes": 4, "hash": "sha256:00"}})
    >>> res
    {'path': ['a.csv'], 'integrity': {'a.csv': {'bytes': 4, 'hash': 'sha256:00'}}}
    """
    for key in ("bytes", "hash", INTEGRITY):
        res.pop(key, None)
    if isinstance(res.get("path"), list):
        res[INTEGRITY] = records
    else:
        res.update(records[res["path"]])


def drift_problems(descriptor_path: Path, descriptor: dict[str, Any]) -> list[Problem]:
    """A problem for each data file whose size or hash differs from its record, or that has none.

    A file that is missing or cannot be read is left to the readers, which report it.
    The descriptor must already be known to be safe (:func:`~china_internet_trends.descriptor.descriptor_problems`).
    """
    problems = []
    for res in descriptor["resources"]:
        records = recorded(res)
        for rel in resource_paths(res):
            try:
                actual = fingerprint(read_inside(descriptor_path.parent, rel))
            except DataPackageError:
                continue
            expected = records.get(rel)
            if expected is None:
                problems.append(Problem(rel, None, None, None, f"datapackage.json records no size and hash for this file: {REFRESH_ADVICE}", "integrity", "hash-missing"))
            elif expected != actual:
                problems.append(Problem(rel, None, None, None, _drift_message(expected, actual), "integrity", "hash-drift"))
    return problems


def _drift_message(expected: Any, actual: dict[str, Any]) -> str:
    if not isinstance(expected, dict):
        return f"datapackage.json records {expected!r} for this file instead of its size and hash: {REFRESH_ADVICE}"
    was = expected.get("bytes")
    change = "same size, different content" if was == actual["bytes"] else f"recorded {was} bytes, now {actual['bytes']} bytes"
    return f"the file changed since its hash was recorded ({change}): {REFRESH_ADVICE}"


def refresh(path: str | Path | None = None) -> list[str]:
    """Record the current size and hash of every data file; returns the files whose record changed.

    datapackage.json is read and rewritten under its lock (:func:`scratch.descriptor_lock`),
    atomically, and only when a record changed. Raises :class:`DataPackageError` when a file cannot
    be read and :class:`ReadOnlyPackage` for the installed package (nothing is written then).

    >>> import shutil, tempfile, pathlib
    >>> copy = pathlib.Path(tempfile.mkdtemp()) / "pkg"
    >>> from china_internet_trends.descriptor import find_descriptor
    >>> _ = shutil.copytree(find_descriptor().parent, copy, ignore=shutil.ignore_patterns(".*", "src", "tests"))
    >>> _ = refresh(copy)
    >>> _ = (copy / "datasets" / "themes.csv").open("a", encoding="utf-8").write("\\n")
    >>> refresh(copy)
    ['datasets/themes.csv']
    """
    with editing(path) as (descriptor_path, descriptor):
        changed = []
        for res in descriptor["resources"]:
            before = recorded(res)
            records = {rel: fingerprint(read_inside(descriptor_path.parent, rel)) for rel in resource_paths(res)}
            changed += [rel for rel, record in records.items() if before.get(rel) != record]
            set_recorded(res, records)
        if changed:
            write_json_atomically(descriptor_path, descriptor)
    return changed


def write_atomically(target: Path, write: Callable[[Path], None], overwrite: bool = False) -> Path:
    """Call ``write(temporary)`` for a temporary file in the scratch folder beside ``target``
    (:mod:`~china_internet_trends.scratch`), then rename it to ``target``.

    ``write`` fills the file at the path it is given (a function that writes bytes, a database, a
    workbook…). ``target`` must be a new path or a regular file: a link (wherever it points), a
    device, a FIFO, a socket or a folder is refused with :class:`~china_internet_trends.errors.UnsafePath`
    before anything is written, and so is a scratch folder that is a link. An existing regular file
    is replaced only with ``overwrite`` (:class:`FileExistsError` otherwise); a command passes its
    ``--force`` here. On any failure ``target`` is left as it was, and if the process is killed, the
    next command that writes there removes the temporary file. The new file keeps the permissions
    of the one it replaces (a new one gets rw-r--r--).

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.csv"
    >>> write_atomically(target, lambda temporary: temporary.write_bytes(b"a,b\\n")).read_bytes()
    b'a,b\\n'
    >>> write_atomically(target, lambda temporary: temporary.write_bytes(b"c,d\\n"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileExistsError: ...out.csv already exists; use --force to replace it
    >>> sorted(p.name for p in target.parent.iterdir())
    ['out.csv']
    """
    return write_all_atomically({target: write}, overwrite)[0]


def write_all_atomically(writes: dict[Path, Callable[[Path], None]], overwrite: bool = False) -> list[Path]:
    """:func:`write_atomically` for several files at once: every file is written in full under a
    temporary name first, and only then are they all renamed into place, so a failure or a kill
    while writing leaves none of them (a kill in the moment of the renames may leave some)."""
    for target in writes:
        scratch.refuse_unless(target, stat.S_ISREG, "a regular file", missing_ok=True)
        if os.path.lexists(target) and not overwrite:
            raise FileExistsError(f"{target} already exists; use --force to replace it")
    try:
        with contextlib.ExitStack() as stack:
            staged = []
            for target, write in writes.items():
                temporary = stack.enter_context(scratch.temporary(target.parent, target.suffix))
                write(temporary)
                temporary.chmod(stat.S_IMODE(os.lstat(target).st_mode) if os.path.lexists(target) else 0o644)
                staged.append((temporary, target))
            for temporary, target in staged:
                scratch.refuse_unless(target, stat.S_ISREG, "a regular file", missing_ok=True)  # nothing else came there meanwhile
                os.replace(temporary, target)
    finally:
        for folder in {target.parent for target in writes}:
            scratch.release(folder)
    return list(writes)


def write_json_atomically(target: Path, data: dict[str, Any]) -> None:
    """Replace ``target`` with ``data`` as indented UTF-8 JSON, atomically (see :func:`write_atomically`)."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomically(target, lambda temporary: temporary.write_bytes(text.encode("utf-8")), overwrite=True)
