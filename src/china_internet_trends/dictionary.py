"""The column dictionary: every column of every table as its Table Schema describes it.

The Table Schemas in ``schemas/`` are the only place a column is defined; ``Package.fields`` lays
them out as one DataFrame with :func:`dictionary_frame` (the exports write the same frame as the
xlsx ``fields`` sheet), for every table the descriptor lists.

>>> from china_internet_trends import open
>>> columns = open().fields("sections").set_index("name")
>>> columns.loc["parent_id", "foreign_key"]
'sections.section_id'
>>> columns.loc["part", "constraints"]
'enum: review, trends'
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .dtypes import TEXT

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
"""The columns of :func:`dictionary_frame` and their dtypes."""


def dictionary_frame(schemas: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One row per column of each Table Schema given (table name → schema): its name, type, title and
    description, whether it is required, its other constraints as text, whether it is (part of) the
    primary key, and the ``table.column`` its foreign key points to.

    >>> frame = dictionary_frame({"t": {"fields": [{"name": "a", "type": "integer"}], "primaryKey": ["a"]}})
    >>> frame.loc[0, ["table", "name", "type"]].tolist(), bool(frame.loc[0, "primary_key"])
    (['t', 'a', 'integer'], True)
    """
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
