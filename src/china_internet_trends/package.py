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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import DataPackageError, Problem, Report

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
    except UnicodeDecodeError:
        raise _error(name, None, "datapackage.json is not UTF-8 text; re-save it as UTF-8") from None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(name, exc.lineno, f"datapackage.json is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise _error(name, None, "datapackage.json must be a JSON object with a list of resources")
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
    if not isinstance(path, str) or not path:
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


def table_schema(descriptor_path: Path, res: dict[str, Any]) -> dict[str, Any]:
    """The resource's Table Schema, inline or read from the file it names."""
    schema = res.get("schema")
    if isinstance(schema, dict):
        return schema
    reason = unsafe_path_reason(schema)
    if reason:
        raise _error("datapackage.json", None, f"schema of resource {res.get('name')!r} cannot be read: {reason}")
    schema_file = descriptor_path.parent / schema
    try:
        return json.loads(schema_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _error(str(schema), None, f"the Table Schema cannot be read: {exc}") from None


@dataclass(frozen=True)
class RawTable:
    """A resource's rows as text, with the file and row each came from (header = row 1)."""

    header: list[str]
    rows: list[list[str]]
    origins: list[tuple[str, int]]


def read_raw(descriptor_path: Path, res: dict[str, Any]) -> RawTable:
    """Read every part of a resource as text, checking encoding and headers on the way.

    Raises :class:`DataPackageError` naming the file and row when a part cannot be read.
    """
    header: list[str] | None = None
    rows: list[list[str]] = []
    origins: list[tuple[str, int]] = []
    for rel in resource_paths(res):
        reason = unsafe_path_reason(rel)
        if reason:
            raise _error(str(rel), None, f"refused to read this resource path: {reason}")
        part_header, numbered = _read_csv(descriptor_path.parent / rel, rel)
        if header is None:
            header = part_header
        elif part_header != header:
            raise _error(rel, 1, f"header {part_header} differs from the first part's {header}")
        rows += [record for _, record in numbered]
        origins += [(rel, number) for number, _ in numbered]
    return RawTable(header or [], rows, origins)


def _read_csv(file: Path, rel: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank records, each with its row number (header = row 1)."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise _error(rel, None, "the file listed in datapackage.json does not exist") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise _error(rel, row, encoding_advice(data)) from None
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        raise _error(rel, 1, "the file is empty; it needs at least the header row")
    return records[0], [(number, r) for number, r in enumerate(records[1:], start=2) if any(r)]


def encoding_advice(data: bytes) -> str:
    """Explain a file that is not UTF-8, naming the likely encoding.

    >>> encoding_advice("中国".encode("gb18030"))
    'the file is not UTF-8; it looks like GB18030/GBK (as Excel saves Chinese text). Re-save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8) or convert it with: iconv -f GB18030 -t UTF-8'
    """
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
