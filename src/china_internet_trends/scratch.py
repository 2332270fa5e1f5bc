"""Where commands that write keep their temporary files, and the lock on datapackage.json.

A command that writes (``new-edition``, ``refresh-hashes``, ``export``) builds each file under a
temporary name in the folder's :data:`SCRATCH` subfolder and renames it into place, so a reader
never sees half a file. If the command is killed, what it left there belongs to a process that no
longer runs, and the next command that writes in that folder removes it (:func:`clean`): nothing
is ever left where a re-run would trip on it. The names start with the writer's process id, which is
how :func:`clean` tells a dead writer's files from a live one's.

Two commands that change datapackage.json at once (``new-edition`` twice, or with
``refresh-hashes``) would each read it, change it and write it back, and one change would be lost.
:func:`descriptor_lock` makes them take turns: each reads datapackage.json only once it holds the
lock. The lock is a file in :data:`SCRATCH`, held with filelock (``fcntl`` or ``msvcrt`` locks,
which the system releases when a process dies).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> temporary = temporary_path(folder, ".json")
>>> temporary.parent.name, temporary.name.startswith(f"{os.getpid()}-")
('.cit-tmp', True)
>>> temporary.unlink(); release(folder); (folder / SCRATCH).exists()
False
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRATCH = ".cit-tmp"
"""The subfolder of temporary files, beside the files they become (git ignores it)."""
LOCK = "datapackage.json.lock"
LOCK_TIMEOUT = 120
"""Seconds to wait for another command to finish writing datapackage.json."""


class Busy(Exception):
    """Another command kept datapackage.json locked for longer than :data:`LOCK_TIMEOUT`; nothing was changed."""


def temporary_path(folder: Path, suffix: str = "", directory: bool = False) -> Path:
    """A new empty file (or ``directory``) in ``folder``'s scratch subfolder, named for this process.

    It is created at once, so that :func:`release` run by another writer never removes the
    scratch folder from under it.
    """
    scratch = folder / SCRATCH
    while True:
        path = scratch / f"{os.getpid()}-{secrets.token_hex(6)}{suffix}"
        scratch.mkdir(exist_ok=True)
        try:
            path.mkdir() if directory else path.touch(exist_ok=False)
        except FileNotFoundError:  # another writer removed the empty scratch folder just now
            continue
        return path


def release(folder: Path) -> None:
    """Remove ``folder``'s scratch subfolder if nothing is left in it (a folder of exports stays tidy)."""
    try:
        (folder / SCRATCH).rmdir()
    except OSError:
        pass


def clean(folder: Path) -> list[Path]:
    """Remove what writers that no longer run left in ``folder``'s scratch subfolder; returns what was removed."""
    scratch = folder / SCRATCH
    removed = []
    for entry in scratch.iterdir() if scratch.is_dir() else []:
        owner = entry.name.split("-", 1)[0]
        if entry.name == LOCK or not owner.isdigit() or _running(int(owner)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


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
    except PermissionError:  # it runs, as another user
        return True
    return True


@contextmanager
def descriptor_lock(descriptor_path: Path) -> Iterator[None]:
    """Hold the lock on ``descriptor_path`` for the block; read datapackage.json inside it, not before.

    Also removes what dead writers left in the scratch folder, now that no other writer runs.
    Raises :class:`Busy` when another command keeps the lock for :data:`LOCK_TIMEOUT` seconds.
    """
    from filelock import FileLock, Timeout

    folder = descriptor_path.parent
    (folder / SCRATCH).mkdir(exist_ok=True)
    try:
        with FileLock(folder / SCRATCH / LOCK, timeout=LOCK_TIMEOUT):
            clean(folder)
            yield
    except Timeout:
        raise Busy(f"another command has been writing {descriptor_path} for {LOCK_TIMEOUT} s; nothing was changed, "
                   "try again when it has finished") from None
