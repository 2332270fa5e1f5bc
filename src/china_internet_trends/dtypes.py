"""The dtypes of every frame the package returns, the same on every pandas it allows.

pandas 3 gives text its ``str`` dtype and, when pyarrow is installed, backs ``"string"`` columns
and the results of ``Series.map`` with Arrow arrays (``double[pyarrow]``); pandas 2 does neither.
So loaders and comparisons name their dtypes exactly, and an analyst's code sees the same frame
whatever is installed:

- text: :data:`TEXT`, pandas' ``string`` dtype with Python storage, missing as ``pd.NA``;
- numbers: ``float64``, missing as NaN; whole numbers: ``int64``, or ``Int64`` when one may be missing;
- dates: ``datetime64[ns]``;
- flags: ``bool``, or ``boolean`` when one may be missing.

>>> frame = pd.DataFrame({"t": ["a", None], "x": pd.array([1.5, None], dtype="Float64"), "n": [1, 2]})
>>> stable(frame).dtypes.astype(str).tolist()
['string', 'float64', 'int64']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api import types

TEXT = pd.StringDtype("python")
"""Text columns: Python storage, so the dtype does not depend on whether pyarrow is installed."""


def stable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every column in one of the dtypes above; raises ``TypeError`` for a column that fits none.

    >>> stable(pd.DataFrame({"d": pd.to_datetime(["2017-12-31"]).astype("datetime64[s]")}))["d"].dtype
    dtype('<M8[ns]')
    """
    current = dict(zip(frame.columns, frame.dtypes))
    wanted = {name: dtype_of(column) for name, column in frame.items()}
    changed = {name: dtype for name, dtype in wanted.items() if current[name] != dtype}
    if not frame.columns.is_unique:
        return frame.astype(changed)
    # Only the columns not yet right are converted, one by one: astype with a dict rebuilds the whole frame
    # (a concat of every column), which cost more than the conversions on the package's small frames.
    result = frame.copy()
    for name, dtype in changed.items():
        result[name] = result[name].astype(dtype)
    return result


def dtype_of(column: pd.Series) -> object:
    """The package's dtype for ``column``: its kind (text, number, whole number, date, flag) kept, its storage fixed.

    >>> dtype_of(pd.Series([1, None], dtype="Int32"))
    'Int64'
    """
    dtype = column.dtype
    numpy_dtype = isinstance(dtype, np.dtype)  # no missing values possible, unlike the extension dtypes
    if types.is_bool_dtype(dtype):
        return "bool" if numpy_dtype else "boolean"
    if types.is_integer_dtype(dtype):
        return "int64" if numpy_dtype else "Int64"
    if types.is_float_dtype(dtype):
        return "float64"
    if types.is_datetime64_any_dtype(dtype):
        return "datetime64[ns]"
    if types.is_string_dtype(dtype) and _text_or_missing(column):
        return TEXT
    raise TypeError(f"column {column.name!r} of dtype {dtype} is none of text, number, whole number, date or flag")


def _text_or_missing(column: pd.Series) -> bool:
    """Whether every value is a str or missing (an ``object`` column may hold anything)."""
    if column.dtype != object:
        return True
    return bool(column.dropna().map(lambda value: isinstance(value, str)).all())


def cross_counts(rows: pd.Series, columns: pd.Series) -> pd.DataFrame:
    """What ``pd.crosstab(rows, columns)`` counts (rows with a missing value left out, both axes sorted, named
    as the two Series), counted by one ``groupby``: crosstab goes through ``pivot_table``, which cost several
    times as much on the small frames of the package.

    >>> themes, editions = pd.Series(["a", "b", "a", None], name="theme"), pd.Series([2017, 2016, 2017, 2017], name="edition")
    >>> cross_counts(themes, editions).to_dict("index")
    {'a': {2016: 0, 2017: 2}, 'b': {2016: 1, 2017: 0}}
    >>> pd.testing.assert_frame_equal(cross_counts(themes, editions), pd.crosstab(themes, editions))
    """
    pairs = pd.DataFrame({"rows": rows, "columns": columns}).dropna()
    if pairs.empty:
        return pd.crosstab(rows, columns)
    counts = pairs.groupby(["rows", "columns"], sort=True).size().unstack("columns", fill_value=0)
    return counts.rename_axis(index=rows.name, columns=columns.name)
