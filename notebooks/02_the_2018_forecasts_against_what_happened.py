# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # The 2018 forecasts against what happened
#
# The 2017 edition's trends outlook makes 25 statements about 2018, quotes three projections for
# 2020 and 2030, and reports policy targets such as the IPv6 plan's 2亿 (200 million) active users
# by the end of 2018. Each forecast has an outcome with a verdict, evidence and a source.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import china_internet_trends as cit

p = cit.open()  # the shipped package; cit.open("path/to/your/copy") reads a checkout or a copy you edit

# Charts use English labels; a Chinese glyph missing from the font would fail this notebook.
warnings.filterwarnings("error", message="Glyph .* missing from font")

pd.set_option("display.max_colwidth", 100)

# %% [markdown]
# ## The scorecard
#
# Every forecast is judged against the rubric in DATA.md ("Outcomes: the verdict rubric"): a
# qualitative claim is judged on its observable parts, each verdict cites a primary or secondary
# source that states the fact, and `cannot_be_judged` is kept for a claim with no yardstick at all.

# %%
card = p.scorecard(2017)
card.heading

# %%
card.by_verdict

# %%
card.by_theme

# %%
card.forecasts[["forecast_id", "target_year", "claim_zh", "claim_en", "hedge", "verdict", "as_of", "evidence_source_id"]]

# %% [markdown]
# ## Calibration: how often "will" came true against "may"
#
# Each forecast keeps the hedge it was printed with (将, 预计, 有望, 或将, 可能…), mapped to a
# certainty level by the hedges table. Among the forecasts that could be decided (fulfilled, partly
# or not fulfilled), the share fulfilled per level says whether ISC's confidence meant something.

# %%
card.by_certainty

# %%
decided = card.by_certainty[card.by_certainty["decided"] > 0].set_index("certainty")
ax = decided[["fulfilled", "partly", "not_fulfilled"]].plot.barh(stacked=True, figsize=(8, 2.8), color=["#1b9e77", "#e6ab02", "#d95f02"])
ax.set_xlabel("forecasts decided")
ax.set_ylabel("certainty of the hedge")
ax.set_title("Verdicts of the 2017 edition's forecasts by how sure the text was")
ax.xaxis.get_major_locator().set_params(integer=True)
plt.tight_layout()

# %% [markdown]
# ## IPv6 active users against the 2亿 target
#
# The IPv6 action plan (November 2017) aimed at 200 million active IPv6 users by the end of 2018.
# The national monitoring platform published its first count only for June 2019.

# %%
target = p.forecasts(2017).query("series_id == 'ipv6_active_users'").iloc[0]
units = p.units().set_index("unit")
target_value = target["value"] * units.loc[target["unit"], "scale"]
target_date = pd.Timestamp(f"{target['target_year']}-12-31")

ipv6 = p.series("ipv6_active_users")
ipv6[["period_end", "value", "unit", "comparator", "base_value", "source_id", "reliability"]]

# %%
fig, ax = plt.subplots(figsize=(8, 4))
ax.plot(ipv6["period_end"], ipv6["base_value"] / 1e8, marker="o", label="IPv6 active users (observed)")
ax.axhline(target_value / 1e8, color="crimson", linestyle="--", label="target: 2 (hundred million) users")
ax.axvline(target_date, color="crimson", linestyle=":", label="target date: end of 2018")
ax.set_ylabel("hundred million users")
ax.set_title("IPv6 active users in China against the 2017 plan's end-2018 target")
ax.legend(loc="upper left")
plt.tight_layout()

# %%
card.forecasts.query("forecast_id in ['2017-F29', '2017-F30']")[["forecast_id", "claim_en", "verdict", "as_of", "evidence_en"]]
