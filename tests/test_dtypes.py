"""Every loader and comparison returns the same dtypes with or without pyarrow, as documented.

pandas 3 backs text and the results of ``Series.map`` with Arrow arrays when pyarrow is installed;
pandas 2 does not. The answers are computed twice in fresh interpreters, once as installed and once
with pyarrow hidden from pandas, and must agree column by column and use only the documented dtypes:
numbers ``float64``/``Int64`` (``int64`` where no value can be missing), text ``string`` with Python
storage and ``pd.NA``, dates ``datetime64[ns]``, flags ``bool``. The suite itself runs against the
lowest and the newest versions pyproject.toml allows (see the README's test command).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SNAPSHOT = r"""
import json, sys
class HidePyarrow:
    # An import hook under which pyarrow looks not installed (a sys.modules entry of None confuses pandas 2.2's check).

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "pyarrow":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

if "--without-pyarrow" in sys.argv:
    sys.meta_path.insert(0, HidePyarrow())
import pandas as pd
import china_internet_trends as cit
from china_internet_trends import compare, tables

answers = {name: tables.load(name) for name in tuple(cit.open().tables)}
card = cit.scorecard(2017)
answers |= {
    "indicators_with_base": cit.indicators(2017, with_base=True), "milestones_with_span": cit.milestones(2017, with_span=True),
    "coverage": cit.coverage(), "events": compare.events(2016, 2017), "events_not_held": compare.events(2015, 2018),
    "theme_shifts": compare.theme_shifts(2014, 2017), "themes": compare.themes().reset_index(),
    "indicators": compare.indicators(2017, "observations"),
    "indicators_empty": compare.indicators(2014, "observations").rename(columns=lambda c: c.replace("_2014", "_2017")),
    "review_vs_trends": compare.review_vs_trends(2017), "scorecard": card.forecasts, "by_verdict": card.by_verdict,
    "by_theme": card.by_theme, "series": cit.series("users_4g"), "keywords": cit.keywords.trend(["5G", "人工智能"]),
}
def name(dtype):
    return f"{dtype}[{dtype.storage}, {dtype.na_value}]" if isinstance(dtype, pd.StringDtype) else str(dtype)
print(json.dumps({key: {str(c): name(d) for c, d in frame.dtypes.items()} for key, frame in answers.items()}))
"""

TEXT = "string[python, <NA>]"
DOCUMENTED = {"float64", "Int64", "int64", "datetime64[ns]", "bool", TEXT}


def snapshot(*flags: str) -> dict[str, dict[str, str]]:
    result = subprocess.run([sys.executable, "-c", SNAPSHOT, *flags], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def as_installed() -> dict[str, dict[str, str]]:
    return snapshot()


def test_answers_have_the_same_dtypes_with_and_without_pyarrow(as_installed):
    assert snapshot("--without-pyarrow") == as_installed


def test_answers_use_only_the_documented_dtypes(as_installed):
    for answer, dtypes in as_installed.items():
        assert set(dtypes.values()) <= DOCUMENTED, (answer, dtypes)


def test_text_columns_are_text_and_derived_numbers_float64(as_installed):
    assert as_installed["events"]["title_zh_2017"] == TEXT
    assert as_installed["events_not_held"]["title_zh_2015"] == TEXT  # a side with no events is still text, empty
    assert as_installed["indicators_with_base"]["base_value"] == "float64"
    assert as_installed["indicators_with_base"]["base_unit"] == TEXT
    assert as_installed["indicators_empty"] == as_installed["indicators"]  # no rows, same columns and dtypes
    assert as_installed["milestones_with_span"]["date_end"] == "datetime64[ns]"
    assert as_installed["theme_shifts"]["events_2014"] == "Int64"
