"""The Parquet export: one file per table, with the dtypes the loaders give and the Table Schema's
words in the Arrow schema.

Each field's metadata holds its ``title`` and ``description``; the schema's metadata holds the
table's ``title`` and ``description`` beside pandas' own entry, so pandas reads the frame back
with its dtypes and any Arrow reader shows what each column means.

>>> import tempfile, pathlib, pyarrow.parquet as pq
>>> from . import read_contents
>>> file = pathlib.Path(tempfile.mkdtemp()) / "units.parquet"
>>> write_parquet(read_contents(), "units", file)
>>> pq.read_schema(file).field("scale").metadata[b"title"]
b'Scale'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Contents


def write_parquet(contents: Contents, name: str, file: Path) -> None:
    """Write the table ``name`` to ``file``, described by its Table Schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = contents.schemas[name]
    table = pa.Table.from_pandas(contents.frames[name], preserve_index=False)
    words = {field["name"]: _described(field) for field in schema["fields"]}
    described = pa.schema(
        [field.with_metadata(words[field.name]) for field in table.schema],
        metadata={**(table.schema.metadata or {}), **_described(schema)},
    )
    pq.write_table(pa.Table.from_arrays(table.columns, schema=described), file)


def _described(item: dict) -> dict[str, str]:
    """The ``title`` and ``description`` of a field or a Table Schema, those it has."""
    return {key: item[key] for key in ("title", "description") if item.get(key)}
