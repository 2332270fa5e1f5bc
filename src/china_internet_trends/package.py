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
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from .dtypes import TEXT
from .errors import DataPackageError, Problem, Report
from .schema import UnsupportedSchemaFeature, check_supported, header_problems

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


def read_descriptor(descriptor_path: Path) -> dict[str, Any]:
    """Parse datapackage.json, raising :class:`DataPackageError` with a plain message if it is broken."""
    name = descriptor_path.name
    try:
        text = descriptor_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _error(name, None, f"no data package here: {descriptor_path} does not exist") from None
    except OSError as exc:
        raise _error(name, None, f"datapackage.json cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise _error(name, None, "datapackage.json is not UTF-8 text; re-save it as UTF-8") from None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(name, exc.lineno, f"datapackage.json is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
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
    try:
        loaded = json.loads((descriptor_path.parent / schema).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _error(str(schema), None, f"the Table Schema cannot be read: {exc}") from None
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
    :data:`CHUNK_ROWS`, so that a caller holds one chunk at a time, not the whole table.

    Every part must have the header the Table Schema lists and rows as long as the header; each part
    of a multipart resource must end with a line break. What cannot be read so is in
    :attr:`problems` once :meth:`chunks` is exhausted (a part with a problem yields no rows, and a
    caller must then drop what it kept of the table); blank rows, which the loaders skip, are in
    :attr:`blank_rows`; :attr:`part_sizes` counts each part's records after the header, blank ones
    included, as frictionless counts them.

    >>> descriptor_path = find_descriptor()
    >>> reader = Reader(descriptor_path, resource(read_descriptor(descriptor_path), "themes"))
    >>> [len(chunk.text) for chunk in reader.chunks()], reader.problems
    ([13], [])
    """

    def __init__(self, descriptor_path: Path, res: dict[str, Any], chunk_rows: int = CHUNK_ROWS):
        _refuse(unsafe_paths(res))
        self.descriptor_path, self.res, self.chunk_rows = descriptor_path, res, chunk_rows
        self.header = [field["name"] for field in table_schema(descriptor_path, res)["fields"]]
        self.problems: list[Problem] = []
        self.blank_rows: list[tuple[str, int]] = []
        self.part_sizes: dict[str, int] = {}

    def chunks(self) -> Iterator[RawChunk]:
        """The rows of every part in order, :attr:`chunk_rows` or a few more at a time (a part is never split)."""
        pending: list[list[str]] = []
        files: list[str] = []
        row_numbers: list[list[int]] = []
        for rel in resource_paths(self.res):
            part = self._part(rel)
            if part is None or self.problems:
                continue
            pending += [record for _, record in part.records]
            files.append(rel)
            row_numbers.append([number for number, _ in part.records])
            if len(pending) >= self.chunk_rows:
                yield RawChunk(_text_frame(pending, self.header), Origins(files, row_numbers))
                pending, files, row_numbers = [], [], []
        if not self.problems and (pending or files):
            yield RawChunk(_text_frame(pending, self.header), Origins(files, row_numbers))

    def _part(self, rel: str) -> _Part | None:
        """One part read and checked; None (and its problems noted) when it cannot be read."""
        try:
            part = _read_csv(self.descriptor_path.parent / rel, rel)
        except DataPackageError as exc:
            self.problems += exc.report.problems
            return None
        self.problems += _part_header_problems(part, self.header) + _row_length_problems(part)
        if isinstance(self.res.get("path"), list) and not part.ends_with_newline:
            self.problems.append(_missing_line_break(part))
        self.part_sizes[rel] = part.size
        self.blank_rows += [(rel, number) for number in part.blank_rows]
        return part


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


@dataclass(frozen=True)
class _Part:
    """One CSV file of a resource: its header, non-blank records numbered like a spreadsheet, and
    ``size``, the number of records after the header (blank ones included, as frictionless counts)."""

    file: str
    header: list[str]
    records: list[tuple[int, list[str]]]
    size: int
    ends_with_newline: bool
    blank_rows: list[int]


def _read_csv(file: Path, rel: str) -> _Part:
    """One CSV file, decoded as UTF-8 (a byte-order mark is dropped) and parsed strictly."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise _error(rel, None, "the file listed in datapackage.json does not exist") from None
    except OSError as exc:
        raise _error(rel, None, f"the file cannot be read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise _error(rel, row, encoding_advice(data)) from None
    records = _parse_csv(text, rel)
    if not records:
        raise _error(rel, 1, "the file is empty; it needs at least the header row")
    numbered = list(enumerate(records[1:], start=2))
    kept = [(number, r) for number, r in numbered if any(r)]
    blank = [number for number, r in numbered if not any(r)]
    return _Part(rel, records[0], kept, len(records) - 1, text.endswith(("\n", "\r")), blank)


def _parse_csv(text: str, rel: str) -> list[list[str]]:
    """Every record of the CSV text; a quote that is not closed properly is a problem, not guessed at."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        raise _error(rel, len(records) + 1, _plain_csv_error(str(exc))) from None
    return records


def _plain_csv_error(message: str) -> str:
    if message == "unexpected end of data":
        return 'the file ends inside a quoted value that starts in this row: it looks cut off, or a closing quote " is missing'
    if "expected after" in message:
        return ('a quoted value does not end properly: a closing quote " must be followed by a comma or the end of the line '
                '(to put a quote inside a value, double it: "")')
    if "field larger than field limit" in message:
        return f'a value is longer than {csv.field_size_limit()} characters: most likely a quote " opens a value that never closes'
    return f"the row cannot be read as CSV: {message}"


def _part_header_problems(part: _Part, header: list[str]) -> list[Problem]:
    repeated = sorted({name for name in part.header if part.header.count(name) > 1})
    if repeated:
        return [Problem(part.file, 1, name, name, "the column appears more than once in the header; keep one", "package") for name in repeated]
    return header_problems(part.header, {"fields": [{"name": name} for name in header]}, part.file)


def _row_length_problems(part: _Part) -> list[Problem]:
    """A problem for each row with more or fewer values than the header has columns."""
    problems = []
    width = len(part.header)
    last = part.records[-1][0] if part.records else None
    for number, record in part.records:
        if len(record) == width:
            continue
        if len(record) > width:
            hint = "a value that contains a comma must be in double quotes, or there is a comma too many"
        elif number == last and not part.ends_with_newline:
            hint = "the file ends in the middle of this row: it looks cut off"
        else:
            hint = "a value or a comma is missing"
        message = f"the row has {len(record)} values but the header has {width} columns: {hint}"
        problems.append(Problem(part.file, number, None, None, message, "package"))
    return problems


def _missing_line_break(part: _Part) -> Problem:
    last = part.records[-1][0] if part.records else 1
    message = ("the file does not end with a line break; add one after the last row (tools that join the parts of "
               "a table, frictionless among them, would run this row into the next file's first row)")
    return Problem(part.file, last, None, None, message, "package")


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
