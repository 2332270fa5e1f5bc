"""Find a data package's descriptor and read it and its Table Schemas, refusing what may not be used.

The package ships inside the wheel (``china_internet_trends/_data``); in a checkout or an
editable install the repository root is used instead, so edits show up at once. A descriptor may
come from an untrusted pull request: :func:`descriptor_problems` refuses paths that leave the
package, profiles that would be fetched, dialects, inline data and other encodings before any file
is read.

>>> descriptor = read_descriptor(find_descriptor())
>>> descriptor["name"]
'china-internet-trends'
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import DataPackageError, Problem, Report
from .files import read_inside
from .schema import UnsupportedSchemaFeature, check_supported

LIBRARY_FOLDER = Path(__file__).resolve().parent
_REPO_DESCRIPTOR = LIBRARY_FOLDER.parents[1] / "datapackage.json"
_WHEEL_DESCRIPTOR = LIBRARY_FOLDER / "_data" / "datapackage.json"


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
    data = read_inside(descriptor_path.parent, name, missing=f"no data package here: {descriptor_path} does not exist")
    try:
        descriptor = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise single_problem(name, None, "datapackage.json is not UTF-8 text; re-save it as UTF-8", "descriptor") from None
    except json.JSONDecodeError as exc:
        raise single_problem(name, exc.lineno, f"datapackage.json is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", "descriptor") from None
    except RecursionError:
        raise single_problem(name, None, "datapackage.json nests lists or objects too deeply to be a data package descriptor", "descriptor") from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise single_problem(name, None, "datapackage.json must be a JSON object with a list of resources", "descriptor")
    for number, res in enumerate(descriptor["resources"], start=1):
        if not isinstance(res, dict) or not isinstance(res.get("name"), str):
            raise single_problem(name, None, f"resource {number} must be a JSON object with a name", "descriptor")
        if not res.get("path"):
            raise single_problem(name, None, f"resource {res['name']!r} needs a path: the file, or a list of its files", "descriptor")
    return descriptor


def resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    """The resource called ``name``; a :class:`DataPackageError` if the package has none."""
    for res in descriptor["resources"]:
        if isinstance(res, dict) and res.get("name") == name:
            return res
    raise single_problem("datapackage.json", None, f"the package has no resource named {name!r}", "descriptor")


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
    return package_problems(descriptor) + [problem for res in descriptor["resources"] for problem in resource_problems(res)]


def package_problems(descriptor: dict[str, Any]) -> list[Problem]:
    """What in the descriptor, outside its resources, may not be used: a profile that would be fetched,
    and metadata of another shape than the standard gives it (the exports write it out).

    >>> [p.message for p in package_problems({"title": ["a"], "licenses": "CC-BY-4.0", "resources": []})]
    ['title must be text, not a list', 'licenses must be a list of objects, not text']
    """
    problems = _profile_problems(descriptor, "the package", PACKAGE_PROFILES)
    for key in TEXT_PROPERTIES:
        if key in descriptor and not isinstance(descriptor[key], str):
            problems.append(_shape_problem(key, descriptor[key], f"{key} must be text, not {_json_kind(descriptor[key])}"))
    for key, kind in LIST_PROPERTIES.items():
        items = descriptor.get(key, [])
        if not (isinstance(items, list) and all(isinstance(item, kind) for item in items)):
            noun = "objects" if kind is dict else "text"
            wrong = _json_kind(items) if not isinstance(items, list) else \
                f"a list holding {_json_kind(next(item for item in items if not isinstance(item, kind)))}"
            problems.append(_shape_problem(key, items, f"{key} must be a list of {noun}, not {wrong}"))
    return problems


TEXT_PROPERTIES = ("name", "title", "description", "version", "created", "homepage", "id", "image")
LIST_PROPERTIES = {"licenses": dict, "sources": dict, "contributors": dict, "keywords": str}
"""Data Package properties and the JSON type the standard gives them."""


def _json_kind(value: object) -> str:
    """What JSON calls the kind of ``value``: text, a number, an object, a list, true/false or null."""
    kinds = {str: "text", bool: "true or false", int: "a number", float: "a number", dict: "an object", list: "a list"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


def _shape_problem(key: str, value: object, message: str) -> Problem:
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, allow_nan=True)[:200]
    return Problem("datapackage.json", None, key, shown, message, "package", "descriptor")


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
    return Problem("datapackage.json", None, key, shown, message, "package", "descriptor-refused")


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
            problems.append(Problem("datapackage.json", None, key, str(rel), f"resource {res['name']!r}: refused: {reason}", "package", "unsafe-path"))
    return problems


def table_schema(descriptor_path: Path, res: dict[str, Any]) -> dict[str, Any]:
    """The resource's Table Schema, inline or read from the file it names.

    Raises :class:`DataPackageError` when it cannot be read or uses what this library cannot check.
    """
    refuse(_unsafe_schema_path(res))
    schema = res.get("schema")
    if schema is None:
        raise single_problem("datapackage.json", None, f"resource {res['name']!r} has no schema; name its Table Schema file", "schema-file")
    if not isinstance(schema, dict):
        schema = _read_schema_file(descriptor_path, res)
    fields = schema.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        raise single_problem(_schema_place(res), None, "the Table Schema needs a list of fields, each with a name", "schema-file")
    try:
        check_supported(schema)
    except UnsupportedSchemaFeature as exc:
        raise single_problem(_schema_place(res), None, f"the Table Schema uses what this library cannot check: {exc}", "schema-unsupported") from None
    return schema


def refuse(problems: list[Problem]) -> None:
    """Raise the ``problems`` as a :class:`DataPackageError`, if there are any."""
    if problems:
        raise DataPackageError(Report(problems))


def _read_schema_file(descriptor_path: Path, res: dict[str, Any]) -> dict[str, Any]:
    schema = res.get("schema")
    data = read_inside(descriptor_path.parent, schema, missing="the Table Schema file listed in datapackage.json does not exist")
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise single_problem(str(schema), None, f"the Table Schema cannot be read: {exc}", "schema-file") from None
    except RecursionError:
        raise single_problem(str(schema), None, "the Table Schema nests lists or objects too deeply to be a Table Schema", "schema-file") from None
    if not isinstance(loaded, dict):
        raise single_problem(str(schema), None, "the Table Schema must be a JSON object", "schema-file")
    return loaded


def _schema_place(res: dict[str, Any]) -> str:
    schema = res.get("schema")
    return schema if isinstance(schema, str) else "datapackage.json"


def single_problem(file: str, row: int | None, message: str, code: str) -> DataPackageError:
    """A :class:`DataPackageError` holding one problem of ``file`` (at ``row``, if given), of kind ``code``."""
    return DataPackageError(Report([Problem(file, row, None, None, message, "package", code)]))
