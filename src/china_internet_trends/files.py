"""Read a file the package lists, and only a plain file inside the package.

A data package may come from an untrusted pull request, so every file the descriptor names is
read through :func:`read_inside`:

- it must be inside the package's folder once links are followed: a symbolic link to a file
  elsewhere (``/etc/passwd``, another user's home) is refused, and so nothing of such a file is
  ever read or shown;
- it must be a regular file: a FIFO would block a reader for ever and a device such as
  ``/dev/zero`` never ends, so both are refused before a byte is read;
- it may hold at most :data:`MAX_FILE_BYTES`, so memory stays bounded.

Why by hand: the checks are a few calls to :mod:`os`, and the libraries that read data packages
(frictionless among them) follow links and open FIFOs.

>>> from pathlib import Path
>>> import china_internet_trends, tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / "a.csv").write_bytes(b"x\\n")
>>> read_inside(root, "a.csv")
b'x\\n'
>>> (root / "out.csv").symlink_to("/etc/hostname")
>>> read_inside(root, "out.csv")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
china_internet_trends.errors.DataPackageError: ...out.csv: refused: it is a link to a file outside the package (/etc)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import DataPackageError, Problem, Report

MAX_FILE_BYTES = 256 * 1024 * 1024
"""The largest file read (256 MiB): the 2017 edition's largest table is 60 KB."""

_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket"}


def read_inside(root: Path, rel: str, missing: str = "the file listed in datapackage.json does not exist") -> bytes:
    """The bytes of ``root / rel``; a :class:`DataPackageError` naming ``rel`` when it may not be read.

    ``missing`` is the message for a file that does not exist.
    """
    path = root / rel
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        raise _refused(rel, missing, "missing-file") from None
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links
        raise _refused(rel, f"the file cannot be read: {getattr(exc, 'strerror', None) or exc}", "file-refused") from None
    if not resolved.is_relative_to(root.resolve()):
        raise _refused(rel, f"refused: it is a link to a file outside the package ({resolved.parent})", "file-refused")
    try:
        handle = os.open(resolved, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _refused(rel, f"the file cannot be read: {exc.strerror}", "file-refused") from None
    info = os.fstat(handle)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE_BYTES:
        os.close(handle)
        if info.st_size > MAX_FILE_BYTES and stat.S_ISREG(info.st_mode):
            raise _refused(rel, f"refused: it holds {info.st_size:,} bytes, more than the {MAX_FILE_BYTES:,} a file may hold", "file-refused")
        raise _refused(rel, f"refused: it is {_KINDS.get(stat.S_IFMT(info.st_mode), 'not a regular file')}, not a file", "file-refused")
    with os.fdopen(handle, "rb") as opened:
        try:
            data = opened.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise _refused(rel, f"the file cannot be read: {exc.strerror}", "file-refused") from None
    if len(data) > MAX_FILE_BYTES:  # it grew while it was read
        raise _refused(rel, f"refused: it holds more than the {MAX_FILE_BYTES:,} bytes a file may hold", "file-refused")
    return data


def _refused(rel: str, message: str, code: str) -> DataPackageError:
    return DataPackageError(Report([Problem(rel, None, None, None, message, "package", code)]))
