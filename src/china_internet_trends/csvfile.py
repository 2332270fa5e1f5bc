"""Read a resource's CSV files as text: every part, its header, each row's file and row number.

Reading checks what the Table Schema cannot: UTF-8 (with advice naming the likely encoding when a
file is not), quoting, the header against the schema's fields, the length of every row, blank
rows, cells over :data:`MAX_CELL_CHARS` and a multipart part that does not end with a line break.
Typing the text is :func:`~china_internet_trends.schema.coerce`'s job.

>>> from china_internet_trends.descriptor import find_descriptor, read_descriptor, resource, table_schema
>>> descriptor_path = find_descriptor()
>>> res = resource(read_descriptor(descriptor_path), "themes")
>>> [len(chunk.text) for chunk in Reader(descriptor_path, res, table_schema(descriptor_path, res)).chunks()]
[13]
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .descriptor import refuse, resource_paths, resource_problems, single_problem
from .dtypes import TEXT
from .encoding import advice
from .errors import DataPackageError, Problem, Report
from .files import read_inside
from .schema import MAX_LISTED, header_problems

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

    >>> from china_internet_trends.descriptor import find_descriptor, read_descriptor, resource, table_schema
    >>> descriptor_path = find_descriptor()
    >>> res = resource(read_descriptor(descriptor_path), "themes")
    >>> reader = Reader(descriptor_path, res, table_schema(descriptor_path, res))
    >>> [len(chunk.text) for chunk in reader.chunks()], reader.problems
    ([13], [])
    """

    def __init__(self, descriptor_path: Path, res: dict[str, Any], table_schema: dict[str, Any], chunk_rows: int = CHUNK_ROWS):
        refuse(resource_problems(res))
        self.descriptor_path, self.res, self.chunk_rows = descriptor_path, res, chunk_rows
        self.header = [field["name"] for field in table_schema["fields"]]
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
                raise single_problem(rel, 1, "the file is empty; it needs at least the header row", "empty-file")
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


def read_raw(descriptor_path: Path, res: dict[str, Any], table_schema: dict[str, Any]) -> RawTable:
    """Every part of a resource as text, in one frame (see :class:`Reader` for what is checked).

    Raises :class:`DataPackageError` naming each file, row and column that cannot be read so.
    """
    reader = Reader(descriptor_path, res, table_schema)
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
        raise single_problem(rel, row, advice(data), "encoding") from None


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
                        raise single_problem(rel, count + offset + 1, _plain_csv_error("field larger than field limit"), "cell-size")
            count += len(batch)
            yield batch
    except csv.Error as exc:
        raise single_problem(rel, _failing_record(text), _plain_csv_error(str(exc)), "csv-syntax") from None


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
        return [Problem(rel, 1, name, name, "the column appears more than once in the header; keep one", "package", "duplicate-column") for name in repeated]
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
            problems.append(Problem(self.rel, number, None, None, message, "package", "row-length"))
        if self.more:
            problems.append(Problem(self.rel, None, None, None, f"and {self.more:,} more rows longer or shorter than the header", "package", "row-length"))
        return problems


def _missing_line_break(rel: str, last: int) -> Problem:
    message = ("the file does not end with a line break; add one after the last row (tools that join the parts of "
               "a table, frictionless among them, would run this row into the next file's first row)")
    return Problem(rel, last, None, None, message, "package", "line-break")
