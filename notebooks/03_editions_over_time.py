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
# # Editions over time
#
# What the package holds of each edition, how the agenda shifts between editions (themes), the
# 2016 and 2017 events side by side, series followed past 2017, and keyword trends.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import china_internet_trends as cit

# Charts use English labels; a Chinese glyph missing from the font would fail this notebook.
warnings.filterwarnings("error", message="Glyph .* missing from font")

pd.set_option("display.max_colwidth", 60)

# %%
cit.editions()[["edition", "published", "events_found", "review_coverage", "trends_coverage"]]

# %% [markdown]
# ## Theme heatmap
#
# Counts of events, sections and forecasts per theme of the codebook. Editions held only in part
# have few rows: read their columns as what is known, not as the edition's agenda.

# %%
themes = cit.compare.themes()
names = cit.themes().set_index("theme")["name_en"]
fig, ax = plt.subplots(figsize=(8, 6))
image = ax.imshow(themes.to_numpy(), cmap="Blues", aspect="auto")
ax.set_xticks(range(len(themes.columns)), themes.columns)
ax.set_yticks(range(len(themes.index)), [names[t] for t in themes.index])
for (row, column), count in pd.DataFrame(themes.to_numpy()).stack().items():
    ax.text(column, row, int(count), ha="center", va="center", fontsize=8)
fig.colorbar(image, label="events + sections + forecasts")
ax.set_title("Themes by edition")
plt.tight_layout()

# %% [markdown]
# ## The 2016 and 2017 events side by side

# %%
cit.compare.events(2016, 2017)[["rank", "title_en_2016", "theme_2016", "title_en_2017", "theme_2017"]]

# %%
cit.compare.theme_shifts(2016, 2017)

# %% [markdown]
# ## Series followed past the edition
#
# Each series keeps one definition; breaks (household against all fixed broadband, ICP-filing
# against CNNIC website counts…) are separate series, so no line joins two definitions.

# %%
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, series_id in zip(axes, ["fixed_broadband_households", "internet_users"]):
    points = cit.series(series_id)
    for origin, part in points.groupby("origin"):
        ax.plot(part["period_end"], part["base_value"] / 1e8, marker="o", linestyle="-" if origin == "observation" else "none", label=origin)
    ax.set_title(cit.series_table().set_index("series_id").loc[series_id, "name_en"])
    ax.set_ylabel(f"hundred million {points['base_unit'].iloc[0]}")
    ax.legend()
fig.autofmt_xdate()
plt.tight_layout()

# %%
cit.compare.indicators(2017, "observations")[["series_id", "value_a", "unit_a", "period_end_a", "value_b", "unit_b", "period_end_b", "growth", "caveat"]]

# %% [markdown]
# ## Keyword trends
#
# Term counts over headlines, headings and summaries, cut with jieba and a user dictionary of
# domain terms (the English romanisation labels the chart).

# %%
terms = {"人工智能": "AI", "区块链": "blockchain", "5G": "5G", "IPv6": "IPv6", "工业互联网": "industrial internet", "网络安全": "cybersecurity"}
counts = cit.keywords.trend(list(terms), editions=[2014, 2016, 2017])
counts

# %%
ax = counts.rename(index=terms).T.plot.bar(figsize=(8, 4))
ax.set_ylabel("mentions")
ax.set_title("Terms in headlines, headings and summaries")
plt.tight_layout()
