"""Find the data package and read its descriptor, schemas and CSV files.

The package ships inside the wheel (``china_internet_trends/_data``); in a checkout or an
editable install the repository root is used instead, so edits show up at once.

>>> descriptor = read_descriptor(find_descriptor())
>>> descriptor["name"]
'china-internet-trends'
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from . import scratch
from .dtypes import TEXT
from .errors import DataPackageError, Problem, ReadOnlyPackage, Report
from .files import read_inside
from .schema import MAX_LISTED, UnsupportedSchemaFeature, check_supported, header_problems

_HERE = Path(__file__).resolve().parent
_REPO_DESCRIPTOR = _HERE.parents[1] / "datapackage.json"
_WHEEL_DESCRIPTOR = _HERE / "_data" / "datapackage.json"


def find_descriptor(path: str | Path | None = None) -> Path:
    """The datapackage.json to use: ``path`` (a file or its folder), else the shipped one.

    >>> find_descriptor().name
    'datapackage.json'
    """
    if path is not None:
        path = Path(path)
        return (path / "datapackage.json" if path.is_dir() else path).resolve()
    if _REPO_DESCRIPTOR.is_file():
        return _REPO_DESCRIPTOR
    return _WHEEL_DESCRIPTOR


def check_writable(descriptor_path: Path) -> None:
    """Raise :class:`ReadOnlyPackage` if ``descriptor_path`` is the package installed with the library.

    The installed copy sits among the library's files (site-packages); changing it would change
    every user's data and be lost on the next upgrade. Work in a checkout, or on a copy named with
    ``--package``.
    """
    if descriptor_path.resolve().is_relative_to(_HERE):
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


def read_descriptor(descriptor_path: Path) -> dict[str, Any]:
    """Parse datapackage.json, raising :class:`DataPackageError` with a plain message if it is broken."""
    name = descriptor_path.name
    data = read_inside(descriptor_path.parent, name, missing=f"no data package here: {descriptor_path} does not exist")
    try:
        descriptor = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _error(name, None, "datapackage.json is not UTF-8 text; re-save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise _error(name, exc.lineno, f"datapackage.json is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise _error(name, None, "datapackage.json nests lists or objects too deeply to be a data package descriptor") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise _error(name, None, "datapackage.json must be a JSON object with a list of resources")
    for number, res in enumerate(descriptor["resources"], start=1):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            raise _error(name, None, f"resource {number} must be a JSON object with a name")
        if not res.get("path"):
            raise _error(name, None, f"resource {res['name']!r} needs a path: the file, or a list of its files")
    return descriptor


def resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    """The resource called ``name``; a :class:`DataPackageError` if the package has none."""
    for res in descriptor["resources"]:
        if isinstance(res, dict) and res.get("name") == name:
            return res
    raise _error("datapackage.json", None, f"the package has no resource named {name!r}")


def unsafe_path_reason(path: object) -> str | None:
    """Why a resource path may not be read, or None when it is a plain relative path.

    >>> unsafe_path_reason("../secrets.csv")
    "it climbs out of the package with '..'"
    >>> unsafe_path_reason("datasets/2017/events.csv") is None
    True
    """
    if not isinstance(path, str) or not path or "\0" in path:
        return "it is not a file name"
    if "://" in path:
        return "it is a URL; this package reads local files only"
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        return "it is an absolute path; paths must be relative to datapackage.json"
    if ".." in PurePosixPath(path.replace("\\", "/")).parts:
        return "it climbs out of the package with '..'"
    return None


def resource_paths(res: dict[str, Any]) -> list[str]:
    """The resource's file paths as a list (a multipart resource has several)."""
    paths = res.get("path", [])
    return list(paths) if isinstance(paths, list) else [paths]


PACKAGE_PROFILES = {"https://datapackage.org/profiles/2.0/datapackage.json", "https://datapackage.org/profiles/1.0/datapackage.json",
                    "data-package", "tabular-data-package"}
RESOURCE_PROFILES = {"https://datapackage.org/profiles/2.0/dataresource.json", "https://datapackage.org/profiles/1.0/dataresource.json",
                     "data-resource", "tabular-data-resource"}
"""The profiles frictionless knows without fetching them; any other would be downloaded to check the descriptor."""


def descriptor_problems(descriptor: dict[str, Any]) -> list[Problem]:
    """What in the descriptor may not be used: a profile that would be fetched, and in each resource
    what :func:`resource_problems` finds. Every command checks this before it reads a data file.

    >>> [p.message for p in descriptor_problems({"$schema": "https://example.org/p.json", "resources": []})]
    ['refused: a profile other than the Data Package standard would be fetched from the network to check the descriptor']
    """
    return _profile_problems(descriptor, "the package", PACKAGE_PROFILES) + [
        problem for res in descriptor["resources"] for problem in resource_problems(res)]


def resource_problems(res: dict[str, Any]) -> list[Problem]:
    """Unsafe paths (:func:`unsafe_paths`), and properties that would change how the files are read
    (this library reads UTF-8 CSV in the default dialect) or fetch something from the network.

    >>> [p.message for p in resource_problems({"name": "themes", "path": "t.csv", "dialect": {"delimiter": ";"}})]
    ["resource 'themes': refused: a dialect; this package reads CSV files with a comma, double quotes and a header row"]
    """
    problems = unsafe_paths(res) + _profile_problems(res, f"resource {res['name']!r}", RESOURCE_PROFILES)
    if "dialect" in res:
        problems.append(_descriptor_problem("dialect", res["dialect"], f"resource {res['name']!r}: refused: a dialect; this package reads "
                                            "CSV files with a comma, double quotes and a header row"))
    if "data" in res:
        problems.append(_descriptor_problem("data", None, f"resource {res['name']!r}: refused: inline data; the rows belong in a CSV file"))
    for key, allowed in (("format", {"csv"}), ("encoding", {"utf-8", "utf-8-sig"})):
        if key in res and str(res[key]).lower() not in allowed:
            problems.append(_descriptor_problem(key, res[key], f"resource {res['name']!r}: refused: this package reads UTF-8 CSV files"))
    return problems


def _profile_problems(item: dict[str, Any], what: str, known: set[str]) -> list[Problem]:
    return [_descriptor_problem(key, item[key], "refused: a profile other than the Data Package standard would be fetched "
                                                "from the network to check the descriptor")
            for key in ("$schema", "profile") if key in item and not (isinstance(item[key], str) and item[key] in known)]


def _descriptor_problem(key: str, value: object, message: str) -> Problem:
    shown = value if value is None or isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:200]
    return Problem("datapackage.json", None, key, shown, message, "package")


def unsafe_paths(res: dict[str, Any]) -> list[Problem]:
    """A problem for each path of the resource (its files and its schema file) that may not be read.

    >>> [str(p) for p in unsafe_paths({"name": "themes", "path": "/etc/passwd", "schema": "schemas/themes.json"})]
    ["datapackage.json, column path: value '/etc/passwd': resource 'themes': refused: it is an absolute path; paths must be relative to datapackage.json"]
    """
    return _unsafe(res, "path", resource_paths(res)) + _unsafe_schema_path(res)


def _unsafe_schema_path(res: dict[str, Any]) -> list[Problem]:
    schema = res.get("schema")
    return [] if schema is None or isinstance(schema, dict) else _unsafe(res, "schema", [schema])


def _unsafe(res: dict[str, Any], key: str, paths: list[Any]) -> list[Problem]:
    problems = []
    for rel in paths:
        reason = unsafe_path_reason(rel)
        if reason:
            problems.append(Problem("datapackage.json", None, key, str(rel), f"resource {res['name']!r}: refused: {reason}", "package"))
    return problems


def table_schema(descriptor_path: Path, res: dict[str, Any]) -> dict[str, Any]:
    """The resource's Table Schema, inline or read from the file it names.

    Raises :class:`DataPackageError` when it cannot be read or uses what this library cannot check.
    """
    _refuse(_unsafe_schema_path(res))
    schema = res.get("schema")
    if schema is None:
        raise _error("datapackage.json", None, f"resource {res['name']!r} has no schema; name its Table Schema file")
    if not isinstance(schema, dict):
        schema = _read_schema_file(descriptor_path, res)
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        raise _error(_schema_place(res), None, "the Table Schema needs a list of fields, each with a name")
    try:
        check_supported(schema)
    except UnsupportedSchemaFeature as exc:
        raise _error(_schema_place(res), None, f"the Table Schema uses what this library cannot check: {exc}") from None
    return schema


def _refuse(problems: list[Problem]) -> None:
    if problems:
        raise DataPackageError(Report(problems))


def _read_schema_file(descriptor_path: Path, res: dict[str, Any]) -> dict[str, Any]:
    schema = res.get("schema")
    data = read_inside(descriptor_path.parent, schema, missing="the Table Schema file listed in datapackage.json does not exist")
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _error(str(schema), None, f"the Table Schema cannot be read: {exc}") from None
    except RecursionError:
        raise _error(str(schema), None, "the Table Schema nests lists or objects too deeply to be a Table Schema") from None
    if not isinstance(loaded, dict):
        raise _error(str(schema), None, "the Table Schema must be a JSON object")
    return loaded


def _schema_place(res: dict[str, Any]) -> str:
    schema = res.get("schema")
    return schema if isinstance(schema, str) else "datapackage.json"


CHUNK_ROWS = 10_000


class Origins(Sequence[tuple[str, int]]):
    """Where each row of a table came from: its file and its row number in that file (header = row 1).

    Held as two integer arrays rather than a tuple per row, since a large table has hundreds of
    thousands of rows and validation keeps this while it checks every table.

    >>> origins = Origins(["a.csv", "b.csv"], [[2, 3], [2]])
    >>> len(origins), origins[2]
    (3, ('b.csv', 2))
    >>> Origins.join([origins, Origins(["c.csv"], [[7]])])[3]
    ('c.csv', 7)
    """

    def __init__(self, files: list[str], rows: list[list[int]]):
        self.files = list(files)
        self.part = np.repeat(np.arange(len(files), dtype=np.int32), [len(r) for r in rows])
        self.row = np.array([n for part_rows in rows for n in part_rows], dtype=np.int32)

    @classmethod
    def join(cls, pieces: list[Origins]) -> Origins:
        """The origins of consecutive chunks of one table as one sequence."""
        joined = cls([], [])
        if pieces:
            offsets = np.cumsum([0] + [len(piece.files) for piece in pieces[:-1]])
            joined.files = [file for piece in pieces for file in piece.files]
            joined.part = np.concatenate([piece.part + offset for piece, offset in zip(pieces, offsets)]).astype(np.int32)
            joined.row = np.concatenate([piece.row for piece in pieces])
        return joined

    def __len__(self) -> int:
        return len(self.row)

    def __getitem__(self, position: int) -> tuple[str, int]:  # type: ignore[override]  # one row, not slices
        return self.files[self.part[position]], int(self.row[position])


@dataclass(frozen=True)
class RawTable:
    """A resource's rows as text: a frame of strings whose columns are the header (an empty cell is
    missing, as Table Schema's default ``missingValues`` says), where each row came from, and how
    many records follow the header in each part."""

    header: list[str]
    text: pd.DataFrame
    origins: Origins
    part_sizes: dict[str, int]


@dataclass(frozen=True)
class RawChunk:
    """Consecutive rows of a resource as text (see :class:`RawTable`) and where each came from."""

    text: pd.DataFrame
    origins: Origins


class Reader:
    """Reads a resource's parts one after the other and hands out their rows in chunks of
    :data:`CHUNK_ROWS`, so that a caller holds one chunk at a time, not the whole table (nor a whole
    file: a part is parsed as it is handed out).

    Every part must have the header the Table Schema lists and rows as long as the header; each part
    of a multipart resource must end with a line break. What cannot be read so is in
    :attr:`problems` once :meth:`chunks` is exhausted (no rows are handed out after the first such
    problem, and a caller must then drop what it kept of the table); blank rows, which the loaders
    skip, are in :attr:`blank_rows`; :attr:`part_sizes` counts each part's records after the
    header, blank ones included, as frictionless counts them.

    >>> descriptor_path = find_descriptor()
    >>> reader = Reader(descriptor_path, resource(read_descriptor(descriptor_path), "themes"))
    >>> [len(chunk.text) for chunk in reader.chunks()], reader.problems
    ([13], [])
    """

    def __init__(self, descriptor_path: Path, res: dict[str, Any], chunk_rows: int = CHUNK_ROWS):
        _refuse(resource_problems(res))
        self.descriptor_path, self.res, self.chunk_rows = descriptor_path, res, chunk_rows
        self.header = [field["name"] for field in table_schema(descriptor_path, res)["fields"]]
        self.problems: list[Problem] = []
        self.blank_rows: list[tuple[str, int]] = []
        self.part_sizes: dict[str, int] = {}

    def chunks(self) -> Iterator[RawChunk]:
        """The rows of every part in order, :attr:`chunk_rows` or more at a time (fewer than twice as many)."""
        pending: list[list[str]] = []
        files: list[str] = []
        row_numbers: list[list[int]] = []
        handed_out = False
        for rel in resource_paths(self.res):
            for numbers, records in self._records(rel):
                if self.problems:
                    continue
                if files and files[-1] == rel:
                    row_numbers[-1] += numbers
                else:
                    files.append(rel)
                    row_numbers.append(numbers)
                pending += records
                if len(pending) >= self.chunk_rows:
                    yield RawChunk(_text_frame(pending, self.header), Origins(files, row_numbers))
                    pending, files, row_numbers, handed_out = [], [], [], True
        if not self.problems and (pending or not handed_out):  # a table without rows is one empty chunk
            yield RawChunk(_text_frame(pending, self.header), Origins(files, row_numbers))

    def _records(self, rel: str) -> Iterator[tuple[list[int], list[list[str]]]]:
        """One part's non-blank records in batches, each with its row numbers (as in a spreadsheet);
        the part's problems go to :attr:`problems`."""
        try:
            text = _read_text(self.descriptor_path.parent, rel)
            batches = _parse_csv(text, rel, self.chunk_rows)
            first = next(batches, [])
            if not first:
                raise _error(rel, 1, "the file is empty; it needs at least the header row")
            header = first.pop(0)
            header_problems = _part_header_problems(rel, header, self.header)
            self.problems += header_problems
            lengths = _RowLengths(rel, len(header))
            number = 1
            for batch in itertools.chain([first], batches):
                numbers = list(range(number + 1, number + 1 + len(batch)))
                number += len(batch)
                if not (set(map(len, batch)) <= {len(header)} and all(map(any, batch))):  # the common case needs no row-by-row look
                    numbers, batch = self._sort_out(rel, numbers, batch, lengths)
                if not header_problems:
                    yield numbers, batch
            ends_in_a_row = not text.endswith(("\n", "\r"))
            self.problems += lengths.problems(cut_off_row=number if ends_in_a_row else None)
            self.part_sizes[rel] = number - 1
            if isinstance(self.res.get("path"), list) and ends_in_a_row:
                self.problems.append(_missing_line_break(rel, number))
        except DataPackageError as exc:
            self.problems += exc.report.problems

    def _sort_out(self, rel: str, numbers: list[int], batch: list[list[str]],
                  lengths: _RowLengths) -> tuple[list[int], list[list[str]]]:
        """The records of ``batch`` as long as the header; blank ones go to :attr:`blank_rows`, and
        ``lengths`` notes the others."""
        kept_numbers, kept = [], []
        for number, record in zip(numbers, batch):
            if not any(record) and len(record) <= lengths.width:  # commas beyond the header make a longer row, not a blank one
                self.blank_rows.append((rel, number))
            elif lengths.fit(number, record):
                kept_numbers.append(number)
                kept.append(record)
        return kept_numbers, kept


def read_raw(descriptor_path: Path, res: dict[str, Any]) -> RawTable:
    """Every part of a resource as text, in one frame (see :class:`Reader` for what is checked).

    Raises :class:`DataPackageError` naming each file, row and column that cannot be read so.
    """
    reader = Reader(descriptor_path, res)
    chunks = list(reader.chunks())
    if reader.problems:
        raise DataPackageError(Report(reader.problems))
    return RawTable(reader.header, pd.concat([c.text for c in chunks], ignore_index=True),
                    Origins.join([c.origins for c in chunks]), reader.part_sizes)


def _text_frame(records: list[list[str]], header: list[str]) -> pd.DataFrame:
    """Records of equal length as string columns, an empty cell as missing.

    One comparison over the whole block marks the empty cells, instead of a replace per column.

    >>> _text_frame([["a", ""]], ["x", "y"]).iloc[0].tolist()
    ['a', <NA>]
    """
    block = np.array(records, dtype=object).reshape(len(records), len(header))
    block[block == ""] = None
    return pd.DataFrame(block, columns=header, dtype=TEXT)


def _read_text(root: Path, rel: str) -> str:
    """One CSV file of the package (see :func:`~china_internet_trends.files.read_inside`), decoded as
    UTF-8 (a byte-order mark is dropped)."""
    data = read_inside(root, rel)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise _error(rel, row, encoding_advice(data)) from None


MAX_CELL_CHARS = 131_072
"""The longest value a cell may hold, in characters (Python's csv default; the longest note is under 2,000)."""


def _parse_csv(text: str, rel: str, batch_rows: int) -> Iterator[list[list[str]]]:
    """The records of the CSV text, ``batch_rows`` at a time (the first holds the header too); a
    quote that is not closed properly is a problem (raised as :class:`DataPackageError` when the
    reader reaches it), not guessed at.

    A value longer than :data:`MAX_CELL_CHARS` is a problem whatever the csv module's process-wide
    limit is at the time (frictionless raises it when it is imported), so that the answer does not
    depend on what ran before.

    >>> [len(batch) for batch in _parse_csv("a,b\\n1,2\\n3,4\\n", "t.csv", 2)]
    [2, 1]
    """
    if csv.field_size_limit() <= MAX_CELL_CHARS:
        csv.field_size_limit(MAX_CELL_CHARS + 1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    long_cells = len(text) > MAX_CELL_CHARS
    count = 0
    try:
        while batch := list(itertools.islice(reader, batch_rows)):
            if long_cells:
                for offset, record in enumerate(batch):
                    if max(map(len, record), default=0) > MAX_CELL_CHARS:
                        raise _error(rel, count + offset + 1, _plain_csv_error("field larger than field limit"))
            count += len(batch)
            yield batch
    except csv.Error as exc:
        raise _error(rel, _failing_record(text), _plain_csv_error(str(exc))) from None


def _failing_record(text: str) -> int:
    """The number of the record (the header is 1) at which the csv module stops reading ``text``.

    >>> _failing_record('a,b\\n"1",2\\n"3"x,4\\n')
    3
    """
    count = 0
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            count += 1
    except csv.Error:
        pass
    return count + 1


def _plain_csv_error(message: str) -> str:
    if message == "unexpected end of data":
        return 'the file ends inside a quoted value that starts in this row: it looks cut off, or a closing quote " is missing'
    if "expected after" in message:
        return ('a quoted value does not end properly: a closing quote " must be followed by a comma or the end of the line '
                '(to put a quote inside a value, double it: "")')
    if "field larger than field limit" in message:
        return f'a value is longer than {MAX_CELL_CHARS:,} characters: most likely a quote " opens a value that never closes'
    return f"the row cannot be read as CSV: {message}"


def _part_header_problems(rel: str, header: list[str], expected: list[str]) -> list[Problem]:
    repeated = sorted(name for name, count in Counter(header).items() if count > 1)
    if repeated:
        return [Problem(rel, 1, name, name, "the column appears more than once in the header; keep one", "package") for name in repeated]
    return header_problems(header, {"fields": [{"name": name} for name in expected]}, rel)


class _RowLengths:
    """Counts the rows of one part that are longer or shorter than its header: a problem for each of
    the first :data:`~china_internet_trends.schema.MAX_LISTED`, then one that says how many more."""

    def __init__(self, rel: str, width: int):
        self.rel, self.width = rel, width
        self.wrong: list[tuple[int, int]] = []
        self.more = 0

    def fit(self, number: int, record: list[str]) -> bool:
        """Whether the row is as long as the header; a row that is not is noted."""
        if len(record) == self.width:
            return True
        if len(self.wrong) < MAX_LISTED:
            self.wrong.append((number, len(record)))
        else:
            self.more += 1
        return False

    def problems(self, cut_off_row: int | None) -> list[Problem]:
        """The problems; that of ``cut_off_row``, the row the file ends in when it ends without a line
        break, says the file looks cut off."""
        problems = []
        for number, length in self.wrong:
            if length > self.width:
                hint = "a value that contains a comma must be in double quotes, or there is a comma too many"
            elif number == cut_off_row:
                hint = "the file ends in the middle of this row: it looks cut off"
            else:
                hint = "a value or a comma is missing"
            message = f"the row has {length} values but the header has {self.width} columns: {hint}"
            problems.append(Problem(self.rel, number, None, None, message, "package"))
        if self.more:
            problems.append(Problem(self.rel, None, None, None, f"and {self.more:,} more rows longer or shorter than the header", "package"))
        return problems


def _missing_line_break(rel: str, last: int) -> Problem:
    message = ("the file does not end with a line break; add one after the last row (tools that join the parts of "
               "a table, frictionless among them, would run this row into the next file's first row)")
    return Problem(rel, last, None, None, message, "package")


def encoding_advice(data: bytes) -> str:
    """Explain a file that is not UTF-8, naming the likely encoding.

    >>> encoding_advice("中国".encode("gb18030"))
    'the file is not UTF-8; it looks like GB18030/GBK (as Excel saves Chinese text). Re-save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8) or convert it with: iconv -f GB18030 -t UTF-8'
    >>> encoding_advice("中国".encode("utf-8")[:-1])
    'the file ends in the middle of a character: it looks cut off; restore the whole file'
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            return "the file ends in the middle of a character: it looks cut off; restore the whole file"
    try:
        data.decode("gb18030")
        likely = "GB18030/GBK (as Excel saves Chinese text)"
        iconv = "iconv -f GB18030 -t UTF-8"
    except UnicodeDecodeError:
        likely = "an unknown 8-bit encoding"
        iconv = "iconv -f <encoding> -t UTF-8"
    return (
        f"the file is not UTF-8; it looks like {likely}. Re-save it as \"CSV UTF-8\" "
        f"(in Excel: Save As > CSV UTF-8) or convert it with: {iconv}"
    )


def _error(file: str, row: int | None, message: str) -> DataPackageError:
    return DataPackageError(Report([Problem(file, row, None, None, message, "package")]))
