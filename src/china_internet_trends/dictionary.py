"""The column dictionary: every column of every table as its Table Schema describes it.

The Table Schemas in ``schemas/`` are the only place a column is defined; :func:`fields` lays them
out as one DataFrame (the exports write the same frame as the xlsx ``fields`` sheet).

>>> columns = fields("sections").set_index("name")
>>> columns.loc["parent_id", "foreign_key"]
'sections.section_id'
>>> columns.loc["part", "constraints"]
'enum: review, trends'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from . import package
from .dtypes import TEXT
from .errors import QueryError
from .tables import EDITION_TABLES, REFERENCE_TABLES

TABLES = REFERENCE_TABLES + EDITION_TABLES
"""Every table of the package, reference tables first (the order of the exports)."""

COLUMNS = {
    "table": TEXT,
    "name": TEXT,
    "type": TEXT,
    "title": TEXT,
    "description": TEXT,
    "required": "bool",
    "constraints": TEXT,
    "primary_key": "bool",
    "foreign_key": TEXT,
}
"""The columns of :func:`fields` and their dtypes."""


def table_schemas(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The Table Schema of every table of the package at ``path``, in :data:`TABLES` order.

    >>> schemas = table_schemas()
    >>> schemas["editions"]["primaryKey"]
    ['edition']
    """
    descriptor_path = package.find_descriptor(path)
    descriptor = package.read_descriptor(descriptor_path)
    return {name: package.table_schema(descriptor_path, package.resource(descriptor, name)) for name in TABLES}


def fields(table: str | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """One row per column of every table, or of ``table``: its name, type, title and description,
    whether it is required, its other constraints as text, whether it is (part of) the primary key,
    and the ``table.column`` its foreign key points to.

    Raises :class:`~china_internet_trends.errors.QueryError` for a table the package does not have.

    >>> editions = fields("editions")
    >>> first = editions.iloc[0]
    >>> first["name"], first["type"], bool(first["primary_key"])
    ('edition', 'integer', True)
    >>> editions.set_index("name").loc["source_id", "foreign_key"]
    'sources.source_id'
    """
    schemas = table_schemas(path)
    if table is not None and table not in schemas:
        raise QueryError(f"the package has no table {table!r}; it has {', '.join(schemas)}")
    chosen = {name: schema for name, schema in schemas.items() if table in (None, name)}
    return dictionary_frame(chosen)


def dictionary_frame(schemas: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """The frame :func:`fields` returns, for the Table Schemas given (table name → schema)."""
    rows = []
    for table, schema in schemas.items():
        key = as_list(schema.get("primaryKey", []))
        targets = foreign_key_targets(table, schema)
        for field in schema["fields"]:
            constraints = field.get("constraints", {})
            rows.append({
                "table": table,
                "name": field["name"],
                "type": field.get("type", "string"),
                "title": field.get("title"),
                "description": field.get("description"),
                "required": bool(constraints.get("required", False)),
                "constraints": constraints_text(constraints),
                "primary_key": field["name"] in key,
                "foreign_key": targets.get(field["name"]),
            })
    return pd.DataFrame(rows, columns=list(COLUMNS)).astype(COLUMNS)


def constraints_text(constraints: dict[str, Any]) -> str | None:
    """A field's constraints other than ``required`` (a column of its own), as Table Schema names them.

    >>> constraints_text({"required": True, "minimum": 1, "enum": [1, 2]})
    'minimum: 1; enum: 1, 2'
    >>> constraints_text({"required": True}) is None
    True
    """
    parts = [f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
             for key, value in constraints.items() if key != "required"]
    return "; ".join(parts) or None


def foreign_key_targets(table: str, schema: dict[str, Any]) -> dict[str, str]:
    """Each column with a foreign key and the ``table.column`` it refers to (an empty ``resource``
    is the table itself).

    >>> foreign_key_targets("sections", {"foreignKeys": [{"fields": "parent_id", "reference": {"resource": "", "fields": "section_id"}}]})
    {'parent_id': 'sections.section_id'}
    """
    targets = {}
    for key in schema.get("foreignKeys", []):
        reference = key["reference"]
        parent = reference.get("resource") or table
        for column, referred in zip(as_list(key["fields"]), as_list(reference["fields"])):
            targets[column] = f"{parent}.{referred}"
    return targets


def as_list(names: str | list[str]) -> list[str]:
    """Table Schema allows one column name as a string wherever it allows a list of them."""
    return [names] if isinstance(names, str) else list(names)
