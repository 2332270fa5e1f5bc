"""cit.figures(): every edition figure and every official observation in one tidy table."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

import china_internet_trends as cit
from conftest import ROOT, read_rows


def test_every_figure_and_observation_is_one_row_in_base_units():
    table = cit.figures()
    printed = read_rows(ROOT / "datasets" / "2017" / "indicators.csv")
    assert len(table) == len(cit.indicators()) + len(cit.observations())
    assert table["row_id"].is_unique
    scale = {row["unit"]: Decimal(row["scale"]) for row in read_rows(ROOT / "datasets" / "units.csv")}
    by_id = table.set_index("row_id")
    for row in printed:
        figure = by_id.loc[row["indicator_id"]]
        assert figure["origin"] == "edition" and figure["edition"] == 2017
        assert figure["base_value"] == float(Decimal(row["value"]) * scale[row["unit"]]), "the product of the numbers as written"
    assert by_id.loc["O0138", "origin"] == "observation" and pd.isna(by_id.loc["O0138", "edition"])


def test_series_columns_agree_with_cit_series():
    table = cit.figures()
    for series_id in cit.series_table()["series_id"]:
        points = cit.series(series_id)
        rows = table[table["series_id"] == series_id]
        assert rows["row_id"].tolist() == points["row_id"].tolist(), series_id
        assert rows["segment"].tolist() == points["segment"].tolist(), series_id
        assert (rows["counted_by"] == points["counted_by"].iloc[0]).all() if len(points) else rows.empty
    unlinked = table[table["series_id"].isna()]
    assert unlinked["segment"].isna().all() and unlinked["counted_by"].isna().all()
