# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
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

# Charts use English labels; a Chinese glyph missing from the font would fail this notebook.
warnings.filterwarnings("error", message="Glyph .* missing from font")

pd.set_option("display.max_colwidth", 100)

# %% [markdown]
# ## The scorecard

# %%
card = cit.scorecard(2017)
card.by_verdict

# %%
card.by_theme

# %%
judged = card.forecasts[card.forecasts["verdict"] != "cannot_be_judged"]
judged[["forecast_id", "target_year", "claim_en", "verdict", "as_of", "evidence_en"]]

# %% [markdown]
# Most of the outlook is qualitative ("will accelerate", "will become the norm"): without a
# measurable threshold and a later source, those statements are recorded as *cannot be judged*
# rather than guessed.

# %% [markdown]
# ## IPv6 active users against the 2亿 target
#
# The IPv6 action plan (November 2017) aimed at 200 million active IPv6 users by the end of 2018.
# The national monitoring platform published its first count only for June 2019.

# %%
target = cit.forecasts(2017).query("series_id == 'ipv6_active_users'").iloc[0]
units = cit.units().set_index("unit")
target_value = target["value"] * units.loc[target["unit"], "scale"]
target_date = pd.Timestamp(f"{target['target_year']}-12-31")

ipv6 = cit.series("ipv6_active_users")
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
