"""Where commands that write keep their temporary files, and the lock on datapackage.json.

A command that writes (``new-edition``, ``refresh-hashes``, ``export``, ``report --html``) builds
each file under a temporary name in the scratch subfolder :data:`SCRATCH` of the folder the file
goes to, and renames it into place, so a reader never sees half a file. If the command is killed,
what it left there belongs to a process that no longer runs, and the next command that writes in
that folder removes it (:func:`clean`).

The scratch folder may come from someone else (a pull request can carry a ``.cit-tmp`` that is a
link to another folder), so this module never trusts it:

- it must be a real folder: a link, at any level below the folder it serves, is refused
  (:class:`UnsafePath`) before anything is written or removed;
- :func:`clean` removes only files this program created, known by two things at once: a name of
  the exact form ``cit-<pid>-<12 hex digits>.part<suffix>``, and beside it a marker file
  ``cit-<pid>-<12 hex digits>.mark`` whose text names that file. It never removes a folder, a
  link or a file of any other name, and only files of writers that no longer run.

Two commands that change datapackage.json at once (``new-edition`` twice, or with
``refresh-hashes``) would each read it, change it and write it back, and one change would be lost.
:func:`descriptor_lock` makes them take turns: each reads datapackage.json only once it holds the
lock. The lock is a file in :data:`SCRATCH`, held with filelock (``fcntl`` or ``msvcrt`` locks,
which the system releases when a process dies).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with temporary(folder, ".json") as part:
...     part.parent.name, part.name.startswith(f"cit-{os.getpid()}-"), sorted(p.suffix for p in part.parent.iterdir())
('.cit-tmp', True, ['.json', '.mark'])
>>> release(folder); (folder / SCRATCH).exists()
False
"""

from __future__ import annotations

import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import Error, UnsafePath

SCRATCH = ".cit-tmp"
"""The subfolder of temporary files, beside the files they become (git ignores it)."""
LOCK = "datapackage.json.lock"
LOCK_TIMEOUT = 120
"""Seconds to wait for another command to finish writing datapackage.json."""
_PART = re.compile(r"cit-(?P<pid>[0-9]{1,10})-(?P<token>[0-9a-f]{12})\.part(?P<suffix>\.[A-Za-z0-9]{1,16})?")
_MARK = re.compile(r"cit-(?P<pid>[0-9]{1,10})-(?P<token>[0-9a-f]{12})\.mark")
_MARK_TEXT = "china-internet-trends temporary file: {name}\n"
_MAX_MARK_BYTES = 200


class Busy(Error):
    """Another command kept datapackage.json locked for longer than :data:`LOCK_TIMEOUT`; nothing was changed."""


def real_folder(root: Path, *parts: str, create: bool = True) -> Path:
    """``root`` joined with ``parts``, each level a real folder (created when missing, if ``create``).

    Raises :class:`UnsafePath` when a level is a link or anything but a folder, so a writer never
    reaches outside the folder it was given through a link it did not make.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> real_folder(root, "datasets", "2031").relative_to(root).as_posix()
    'datasets/2031'
    >>> (root / "out").symlink_to("/tmp")
    >>> real_folder(root, "out", SCRATCH)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    china_internet_trends.errors.UnsafePath: refused: .../out is a link (to /tmp); ...
    """
    folder = root
    for part in parts:
        folder = folder / part
        if create:
            try:
                os.mkdir(folder, 0o755)
            except FileExistsError:
                pass
        refuse_unless(folder, stat.S_ISDIR, "a folder")
    return folder


def refuse_unless(path: Path, kind: object, wanted: str, missing_ok: bool = False) -> None:
    """Raise :class:`UnsafePath` unless ``path`` itself (not what a link points to) passes ``kind``
    (``stat.S_ISDIR``, ``stat.S_ISREG``); a path that does not exist passes when ``missing_ok``."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        if missing_ok:
            return
        raise UnsafePath(f"refused: {path} does not exist") from None
    if stat.S_ISLNK(mode):
        raise UnsafePath(f"refused: {path} is a link (to {os.readlink(path)}); this command writes only to {wanted} "
                         "it can reach without following a link. Remove the link, or name another path")
    if not kind(mode):  # type: ignore[operator]
        raise UnsafePath(f"refused: {path} is {describe(mode)}, not {wanted}; nothing was written")


def describe(mode: int) -> str:
    """What kind of file ``mode`` (from ``os.lstat``) says a path is, in words.

    >>> describe(stat.S_IFIFO)
    'a FIFO (named pipe)'
    """
    kinds = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
             stat.S_IFSOCK: "a socket", stat.S_IFLNK: "a link", stat.S_IFREG: "a regular file"}
    return kinds.get(stat.S_IFMT(mode), "not a regular file")


@contextmanager
def temporary(folder: Path, suffix: str = "") -> Iterator[Path]:
    """A new empty file in ``folder``'s scratch subfolder, named for this process, with its marker;
    both are gone after the block (the file is normally renamed into place inside it).

    The file is created at once, so that :func:`release` run by another writer never removes the
    scratch folder from under it. A ``suffix`` that is not a plain extension is left out.
    """
    suffix = suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,16}", suffix or "") else ""
    while True:
        scratch = real_folder(folder, SCRATCH)
        stem = f"cit-{os.getpid()}-{secrets.token_hex(6)}"
        part, mark = scratch / f"{stem}.part{suffix}", scratch / f"{stem}.mark"
        try:
            _create(mark, _MARK_TEXT.format(name=part.name).encode("ascii"))
            _create(part, b"")
        except FileNotFoundError:  # another writer removed the empty scratch folder just now
            mark.unlink(missing_ok=True)
            continue
        break
    try:
        yield part
    finally:
        part.unlink(missing_ok=True)
        mark.unlink(missing_ok=True)


def _create(path: Path, data: bytes) -> None:
    """Create ``path`` (never an existing file or a link) holding ``data``."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(handle, "wb") as opened:
        opened.write(data)


def release(folder: Path) -> None:
    """Remove ``folder``'s scratch subfolder if nothing is left in it (a folder of exports stays tidy).

    ``rmdir`` removes neither a link nor a folder that holds anything."""
    try:
        os.rmdir(folder / SCRATCH)
    except OSError:
        pass


def clean(folder: Path) -> list[Path]:
    """Remove what writers that no longer run left in ``folder``'s scratch subfolder; returns what was removed.

    Only a regular file named as :func:`temporary` names them, whose marker (a regular file) names
    it, is removed, and then its marker; nothing else is touched. A scratch folder that is a link is
    refused (:class:`UnsafePath`).
    """
    scratch = folder / SCRATCH
    if not os.path.lexists(scratch):
        return []
    refuse_unless(scratch, stat.S_ISDIR, "a folder")
    removed = []
    for entry in os.scandir(scratch):
        mark = _MARK.fullmatch(entry.name)
        if not mark or not entry.is_file(follow_symlinks=False) or _running(int(mark["pid"])):
            continue
        if entry.stat(follow_symlinks=False).st_size == 0:  # killed between creating its marker and writing it:
            Path(entry.path).unlink(missing_ok=True)       # its file was never made (the marker comes first)
            removed.append(Path(entry.path))
            continue
        part = _marked_part(Path(entry.path), mark)
        if part is None:
            continue
        if os.path.lexists(part):
            if not stat.S_ISREG(os.lstat(part).st_mode):
                continue
            part.unlink()
            removed.append(part)
        Path(entry.path).unlink(missing_ok=True)
        removed.append(Path(entry.path))
    return removed


def _marked_part(mark_path: Path, mark: re.Match[str]) -> Path | None:
    """The temporary file the marker names, when the marker is one this module wrote for it."""
    with open(mark_path, "rb") as opened:
        text = opened.read(_MAX_MARK_BYTES + 1)
    prefix, _, ending = _MARK_TEXT.partition("{name}")
    name = text.decode("ascii", "replace").removeprefix(prefix).removesuffix(ending)
    part = _PART.fullmatch(name)
    if len(text) > _MAX_MARK_BYTES or part is None or (part["pid"], part["token"]) != (mark["pid"], mark["token"]) \
            or text != _MARK_TEXT.format(name=name).encode("ascii"):
        return None
    return mark_path.parent / name


def _running(pid: int) -> bool:
    """Whether a process with this id runs (on Windows, any id is taken to run: nothing is removed)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # it runs, as another user; or an id no process can have
        return True
    return True


@contextmanager
def descriptor_lock(descriptor_path: Path) -> Iterator[None]:
    """Hold the lock on ``descriptor_path`` for the block; read datapackage.json inside it, not before.

    Also removes what dead writers left in the scratch folder, now that no other writer runs.
    Raises :class:`Busy` when another command keeps the lock for :data:`LOCK_TIMEOUT` seconds and
    :class:`UnsafePath` when the scratch folder or the lock file is a link or not what it should be.
    """
    from filelock import FileLock, Timeout

    folder = descriptor_path.parent
    lock = real_folder(folder, SCRATCH) / LOCK
    refuse_unless(lock, stat.S_ISREG, "a regular file", missing_ok=True)
    try:
        with FileLock(lock, timeout=LOCK_TIMEOUT):
            clean(folder)
            yield
    except Timeout:
        raise Busy(f"another command has been writing {descriptor_path} for {LOCK_TIMEOUT} s; nothing was changed, "
                   "try again when it has finished") from None
