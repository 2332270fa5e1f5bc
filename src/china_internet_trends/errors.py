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
    """The kind of problem, one of :data:`CODES` (or ``frictionless/<type>`` for a problem only
    frictionless reports): stable, for tests and tools to match on rather than the message text."""

    def __post_init__(self) -> None:
        if self.code and self.code not in CODES and not self.code.startswith("frictionless/"):
            raise ValueError(f"a problem's code must be one of errors.CODES, not {self.code!r}")

    def __str__(self) -> str:
        """One line, whatever the file name, column name, value or message hold (see :func:`printable`)."""
        place = [printable(self.file or "datapackage")]
        if self.row is not None:
            place.append(f"row {self.row}")
        if self.column:
            place.append(f"column {printable(self.column)}")
        shown = "" if self.value is None else f"value {printable(repr(self.value))}: "
        return f"{', '.join(place)}: {shown}{printable(self.message)}"


CODES: dict[str, str] = {
    # reading the descriptor, the schemas and the files
    "descriptor": "datapackage.json cannot be read: not UTF-8, not JSON, too deeply nested, or not shaped as a descriptor",
    "descriptor-refused": "the descriptor asks for what this library refuses: a profile fetched from the network, a dialect, inline data, another format or encoding",
    "unsafe-path": "a resource or schema path that leaves the package: absolute, a URL, '..'",
    "missing-file": "a file the descriptor lists does not exist",
    "file-refused": "a listed file may not be read: a link leaving the package, a FIFO, a device, a folder, a file over 256 MiB, unreadable",
    "schema-file": "a Table Schema cannot be read or is not shaped as one",
    "schema-unsupported": "a Table Schema uses what this library cannot check (see schema.check_supported)",
    "foreign-key-target": "a foreign key names a resource or field the target schema lacks",
    "encoding": "a file is not UTF-8; the message names the likely encoding",
    "empty-file": "a CSV file has not even a header row",
    "csv-syntax": "a row cannot be read as CSV (a quote not closed, text after a closing quote)",
    "cell-size": "a value longer than 131,072 characters",
    "row-length": "a row with more or fewer values than the header has columns",
    "line-break": "a part of a multipart resource does not end with a line break",
    "blank-row": "an empty row",
    "duplicate-column": "a column appears twice in a header",
    "missing-column": "a column of the schema is missing from the header",
    "unexpected-column": "a header column the schema does not have",
    "column-order": "the header's columns are not in the schema's order",
    # cells: types and constraints
    "type": "a value that does not convert to the field's type (number, whole number, date)",
    "required": "an empty cell where the schema requires a value",
    "dtype": "a loaded text column is not of the string dtype (a library fault, not the data's)",
    "enum": "a value outside the field's enum",
    "pattern": "a value that does not match the field's pattern",
    "minimum": "a value below the field's minimum",
    "maximum": "a value above the field's maximum",
    "web-address": "a uri field that is not an http(s) address without spaces or control characters",
    "key-text": "a key or id with surrounding whitespace, a zero-width or a bidi control character",
    "control-character": "a text cell holding a control character or a bidi override",
    # keys
    "duplicate-key": "a primary key that repeats an earlier row's (after NFC normalisation)",
    "empty-key": "a primary key with every cell empty",
    "foreign-key": "a reference to a row that does not exist",
    # rules across tables (rules.py)
    "id-edition": "an id that does not start with its row's edition, or a ranked event's id that does not end in its rank",
    "one-place": "a row placed in no section or event (without a note saying why), or in both",
    "period-order": "period_start after period_end",
    "series-unit": "a figure in a unit whose base unit is not its series'",
    "ten-events": "an edition said to be complete without ten events ranked 1 to 10",
    "coverage": "coverage in editions that does not match the rows held",
    "target-year": "a trends forecast that targets another year than the edition's forecast year, without a note",
    "certainty": "a forecast's certainty that is not the one its hedge gives",
    "outcome-source": "a verdict without a source, on a weak source, or cannot_be_judged without a note",
    "outcome-date": "an outcome dated before the release of the forecast's edition",
    "cited-id": "a note that cites an id the package does not have",
    "glossary": "English that does not use the glossary's rendering of a term its Chinese has",
    "glossary-rendering": "a gloss in a note, evidence, summary or description that departs from the glossary's English, or a keyword concept whose English name contradicts the glossary",
    "misdated-figure": "a figure that repeats an observation of its series at another date",
    "section-parent": "a section that is its own parent, whose parent is of another edition, or whose parents form a cycle",
    "missing-table": "a table the library reads (rules.NEEDED) is not in the package, or lacks a column it reads",
    # files against their records, and outputs
    "hash-missing": "datapackage.json records no size and hash for a file",
    "hash-drift": "a file whose size or hash differs from its record",
    "frictionless-failed": "frictionless could not check the package at all",
    "left-out": "how many problems of a file and column were not shown (--max-problems)",
    "sqlite-constraint": "a row the SQLite export's constraints refuse",
}
"""Every kind of problem, by its code: the one table of them (DATA.md and docs/design.md point here)."""


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
    those it has. The one class every function raises for an unknown name (it is a ``LookupError``).
    ``what`` says what was asked for (``"table"``, ``"series"``, ``"edition"``; empty when unsaid), so
    that the CLI can name the command that lists them.

    >>> NotInPackage("the package has no series 'x'", what="series").what
    'series'
    """

    def __init__(self, message: str, what: str = ""):
        super().__init__(message)
        self.what = what


class UnknownEdition(NotInPackage):
    """An edition the package does not have was asked for; the message names those it has."""

    def __init__(self, message: str, what: str = "edition"):
        super().__init__(message, what)


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
