"""Convert printed values to base units, using the units table and nothing else.

The units table (``datasets/units.csv``) is the one place where a unit's scale and base unit are
defined; this module only applies it.

>>> import pandas as pd
>>> table = pd.DataFrame({"unit": ["万户"], "scale": [10000.0], "base_unit": ["households"]})
>>> with_base_values(pd.DataFrame({"value": [32115.7], "unit": ["万户"]}), table)["base_value"].tolist()
[321157000.0]
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from .dtypes import TEXT


def with_base_values(frame: pd.DataFrame, units: pd.DataFrame, value: str = "value", unit: str = "unit") -> pd.DataFrame:
    """Add ``base_value`` (value × scale, ``float64``) and ``base_unit`` columns, keeping rows and their order.

    The product is taken in decimal on the numbers as written, so 5.02亿 is 502,000,000 and not
    the binary product 501,999,999.99999994. A frame with no rows gets the two columns with no
    rows; a unit missing from the table gives an empty base value (the foreign key to ``units``
    makes that a validation problem).
    """
    lookup = units.set_index("unit")
    scale = frame[unit].map(lookup["scale"]).astype("float64")
    result = frame.copy()
    result["base_value"] = pd.Series([_product(v, s) for v, s in zip(frame[value].astype("float64"), scale)],
                                     index=frame.index, dtype="float64")
    result["base_unit"] = frame[unit].map(lookup["base_unit"]).astype(TEXT)
    return result


def _product(value: float, scale: float) -> float:
    """``value × scale`` computed in decimal from each number's shortest written form; NaN stays NaN.

    >>> _product(5.02, 1e8), 5.02 * 1e8
    (502000000.0, 501999999.99999994)
    """
    if value != value or scale != scale:
        return float("nan")
    return float(Decimal(repr(value)) * Decimal(repr(scale)))


def difference(after: pd.Series, before: pd.Series) -> pd.Series:
    """``after − before``, element by element, in decimal as :func:`with_base_values` multiplies:
    72.5% to 85.4% is 12.9 points, not 12.900000000000006; NaN where either is missing.

    >>> difference(pd.Series([85.4, None]), pd.Series([72.5, 1.0])).tolist()
    [12.9, nan]
    """
    values = [float(Decimal(repr(b)) - Decimal(repr(a))) if a == a and b == b else float("nan")
              for b, a in zip(after.astype("float64"), before.astype("float64"))]
    return pd.Series(values, index=after.index, dtype="float64")
