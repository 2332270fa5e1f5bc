"""Convert printed values to base units, using the units table and nothing else.

The units table (``datasets/units.csv``) is the one place where a unit's scale and base unit are
defined; this module only applies it.

>>> import pandas as pd
>>> table = pd.DataFrame({"unit": ["万户"], "scale": [10000.0], "base_unit": ["households"]})
>>> with_base_values(pd.DataFrame({"value": [32115.7], "unit": ["万户"]}), table)["base_value"].round().tolist()
[321157000.0]
"""

from __future__ import annotations

import pandas as pd


def with_base_values(frame: pd.DataFrame, units: pd.DataFrame, value: str = "value", unit: str = "unit") -> pd.DataFrame:
    """Add ``base_value`` (value × scale) and ``base_unit`` columns, keeping rows and their order."""
    lookup = units.set_index("unit")
    scale = frame[unit].map(lookup["scale"])
    result = frame.copy()
    result["base_value"] = frame[value] * scale
    result["base_unit"] = frame[unit].map(lookup["base_unit"]).astype("string")
    return result
