"""Print DataFrames as terminal tables with Chinese text aligned.

tabulate measures East Asian wide characters with wcwidth, so columns holding Chinese line up.

>>> import pandas as pd
>>> print(table(pd.DataFrame({"rank": [1], "title_zh": ["十九大报告"]})))
  rank  title_zh
------  ----------
     1  十九大报告
"""

from __future__ import annotations

import pandas as pd
from tabulate import tabulate


def table(frame: pd.DataFrame, max_width: int = 60) -> str:
    """A plain-text table of ``frame`` without its index; long cells are cut to ``max_width`` columns."""
    shown = frame.astype(object).where(frame.notna(), "")
    shown = shown.map(lambda cell: _clip(cell, max_width) if isinstance(cell, str) else cell)
    return tabulate(shown.values.tolist(), headers=list(frame.columns), tablefmt="simple", showindex=False)


def _clip(text: str, width: int) -> str:
    from wcwidth import wcswidth

    if wcswidth(text) <= width:
        return text
    cut = text
    while wcswidth(cut) > width - 1:
        cut = cut[:-1]
    return cut + "…"


def percent(share: float) -> str:
    """A growth or share given as a fraction, printed as a percentage; empty when missing.

    >>> percent(0.347339), percent(-0.05), percent(float("nan"))
    ('+34.7%', '-5.0%', '')
    """
    return "" if pd.isna(share) else f"{share * 100:+.1f}%"
