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
    return frame.astype({name: dtype_of(frame[name]) for name in frame.columns})


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
