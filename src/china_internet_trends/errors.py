"""Problems found in a data package, the report that collects them, and the one exception type.

Every check in the project (frictionless on the raw files, pandera on the loaded frames, the
cross-table rules) speaks the same language: a :class:`Problem` names the file, the row (the
header is row 1, as in a spreadsheet), the column, the bad value and what was expected.

>>> report = Report([Problem("datasets/2017/events.csv", 3, "rank", "11", "rank must be 10 or less", "schema")])
>>> report.valid
False
>>> print(report.problems[0])
datasets/2017/events.csv, row 3, column rank: value '11': rank must be 10 or less
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the package, in plain words."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str
    layer: str = "package"
    code: str = ""
    """A stable name for the kind of problem (``web-address``…), for tests and tools to match on
    rather than the message text; empty for the kinds not yet named."""

    def __str__(self) -> str:
        """One line, whatever the file name, column name, value or message hold (see :func:`printable`)."""
        place = [printable(self.file or "datapackage")]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column:
            place.append(f"column {printable(self.column)}")
        shown = "" if self.value is None else f"value {printable(repr(self.value))}: "
        return f"{', '.join(place)}: {shown}{printable(self.message)}"


def printable(text: str) -> str:
    """``text`` with every character that could break a line or drive a terminal written as an escape.

    Characters Python does not count as printable (newlines, ESC, which starts terminal escape
    sequences, line and paragraph separators, the bidirectional controls that can reorder what a
    reader sees) become ``\\n``, ``\\x1b``, ``\\u202e``…, so a problem is always one line that says
    what the file holds.

    >>> printable("events.csv\\n  forged, row 2: fine\\x1b[31m")
    'events.csv\\\\n  forged, row 2: fine\\\\x1b[31m'
    >>> printable("头条 ok")
    '头条 ok'
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


@dataclass
class Report:
    """The merged outcome of every validation layer; never raised, always returned."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_frame(self) -> pd.DataFrame:
        """The problems as a DataFrame with columns file, row, column, value, message, layer, code."""
        import pandas as pd

        columns = ["file", "row", "column", "value", "message", "layer", "code"]
        return pd.DataFrame([asdict(p) for p in self.problems], columns=columns).astype({"row": "Int64"})

    def __str__(self) -> str:
        if self.valid:
            return "valid: no problems found"
        lines = [f"invalid: {len(self.problems)} problem(s)"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class Error(Exception):
    """The base of every error this library raises on purpose; ``except cit.Error`` catches them all."""


class QueryError(Error, ValueError):
    """A question the package cannot answer as asked (the same edition on both sides, an empty term);
    the message says what is accepted. The CLI prints it and exits 1."""


class NotInPackage(QueryError, LookupError):
    """An edition, table, field or series the package does not have was asked for; the message names
    those it has. The one class every function raises for an unknown name (it is a ``LookupError``)."""


class UnknownEdition(NotInPackage):
    """An edition the package does not have was asked for; the message names those it has."""


class UnsafePath(Error):
    """A command that writes was given, or found, a path it may not write through: a link, a device,
    a FIFO or a folder where a regular file or a real folder must be. Nothing was written."""


class ReadOnlyPackage(Error):
    """A command that writes was pointed at the installed package, which is read-only; nothing was changed."""


class DataPackageError(Error):
    """Raised by the loaders when the package cannot be read as its schemas say.

    The :attr:`report` carries every problem found, as :func:`china_internet_trends.validate` would.
    """

    def __init__(self, report: Report):
        self.report = report
        super().__init__(str(report))
