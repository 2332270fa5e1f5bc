"""The one way a command that changes datapackage.json starts: :func:`editing`.

It refuses the package installed with the library (:func:`check_writable`), takes the writers'
lock (:func:`~china_internet_trends.scratch.descriptor_lock`) and only then reads the descriptor,
so two writers take turns and neither loses the other's change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import scratch
from .descriptor import LIBRARY_FOLDER, descriptor_problems, find_descriptor, read_descriptor
from .errors import DataPackageError, ReadOnlyPackage, Report

def check_writable(descriptor_path: Path) -> None:
    """Raise :class:`ReadOnlyPackage` if ``descriptor_path`` is the package installed with the library.

    The installed copy sits among the library's files (site-packages); changing it would change
    every user's data and be lost on the next upgrade. Work in a checkout, or on a copy named with
    ``--package``.
    """
    if descriptor_path.resolve().is_relative_to(LIBRARY_FOLDER):
        raise ReadOnlyPackage(
            f"{descriptor_path} is the data package installed with the library, which is read-only. To add or change data, "
            "work in a checkout (git clone the repository, then pip install -e . there) or on a copy: "
            "china-internet-trends --package PATH/TO/COPY ...")


@contextmanager
def editing(path: str | Path | None) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The package's descriptor path and descriptor, read under the writers' lock
    (:func:`scratch.descriptor_lock`) for the block that changes it: the one way a command that
    writes datapackage.json starts.

    Raises :class:`ReadOnlyPackage` for the installed package and :class:`DataPackageError` when
    the descriptor cannot be read or names what may not be used (:func:`descriptor_problems`).

    >>> import shutil, tempfile
    >>> copy = Path(tempfile.mkdtemp()) / "pkg"
    >>> _ = shutil.copytree(find_descriptor().parent, copy, ignore=shutil.ignore_patterns(".*", "src", "tests"))
    >>> with editing(copy) as (descriptor_path, descriptor):
    ...     descriptor["name"]
    'china-internet-trends'
    """
    descriptor_path = find_descriptor(path)
    check_writable(descriptor_path)
    with scratch.descriptor_lock(descriptor_path):
        descriptor = read_descriptor(descriptor_path)
        refused = descriptor_problems(descriptor)
        if refused:
            raise DataPackageError(Report(refused))
        yield descriptor_path, descriptor


