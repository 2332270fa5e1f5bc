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
# # Editions over time
#
# What the package holds of each edition, how the agenda shifts between editions (themes), the
# 2016 and 2017 events side by side, series followed past 2017, and keyword trends.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import china_internet_trends as cit

p = cit.open()  # the shipped package; cit.open("path/to/your/copy") reads a checkout or a copy you edit

# Charts use English labels; a Chinese glyph missing from the font would fail this notebook.
warnings.filterwarnings("error", message="Glyph .* missing from font")

pd.set_option("display.max_colwidth", 60)

# %% [markdown]
# ## What the package holds of each edition
#
# ISC's documents survive unevenly. Every comparison below is read against this table: a part the
# package does not hold is missing, not zero.

# %%
held = p.coverage()
held[["edition", "events_text", "review_text", "trends_text"]]

# %% [markdown]
# ## Theme heatmap
#
# Counts of events, sections and forecasts per theme of the codebook, one column per year from
# the first edition to the last. Hatched cells are not held: years the package has no row of
# (2012 and 2019–2021 were never found) and editions of which it holds none of these parts.
# Editions held only in part have few rows: read their columns as what is known, not as the
# edition's agenda (the column labels say what is held).

# %%
from matplotlib.patches import Patch, Rectangle

themes = p.compare.themes()
counts = cit.compare.counts_by_year(themes)  # themes() gives count_<year> and share_<year>: the counts, a column per year
years = list(counts.columns)
names = p.themes().set_index("theme")["name_en"]
values = counts.astype("float64").to_numpy()
per_year = held.set_index("edition")
labels = [f"{year}\n{per_year.loc[year, 'events']} ev\n{per_year.loc[year, 'review_headings'] + per_year.loc[year, 'trends_headings']} hd\n"
          f"{per_year.loc[year, 'forecasts']} fc" if year in per_year.index else f"{year}\nno row" for year in years]
cmap = plt.get_cmap("Blues").copy()
cmap.set_bad("white")
fig, ax = plt.subplots(figsize=(10, 6.5))
image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, aspect="auto")
for row, column in zip(*np.where(np.isnan(values))):
    ax.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, hatch="///", edgecolor="#bbbbbb", linewidth=0))
for row, column in zip(*np.where(~np.isnan(values))):
    ax.text(column, row, int(values[row, column]), ha="center", va="center", fontsize=8)
ax.set_xticks(range(len(years)), labels, fontsize=8)
ax.set_yticks(range(len(themes.index)), [names[t] for t in themes.index])
ax.legend(handles=[Patch(facecolor="white", edgecolor="#bbbbbb", hatch="///", label="not held / no row")],
          loc="upper left", bbox_to_anchor=(1.18, 1), fontsize=8)
fig.colorbar(image, label="events + sections + forecasts")
ax.set_title("Themes by edition (ev: events, hd: headings, fc: forecasts held)")
plt.tight_layout()

# %% [markdown]
# ## The 2016 and 2017 events side by side

# %%
p.compare.events(2016, 2017)[["rank", "title_en_2016", "theme_2016", "title_en_2017", "theme_2017"]]

# %%
p.compare.theme_shifts(2016, 2017)

# %% [markdown]
# ## Series followed past the edition
#
# Each series keeps one definition; breaks (household against all fixed broadband, ICP-filing
# against CNNIC website counts…) are separate series. Where a statistic changed what it counts
# under the same name, the observation after the change carries a `break_note`, and the line
# restarts (`segment`), so no line joins two definitions. `counted_by` says who counts each series.
# The charts draw ISC's editions as circles, ISC's July reports (origin `publication`) as triangles
# and official statistics as squares joined by a line, which restarts where the definition changes.

# %%
from china_internet_trends.html_report import COLOUR  # the HTML report's colour of each origin

STYLE = {  # origin: its name in the legend, marker and line (the HTML report's shapes)
    "edition": ("figure printed by an ISC edition", "o", "none"),
    "publication": ("figure in ISC's July report", "^", "none"),
    "observation": ("official statistics (CNNIC, MIIT…)", "s", "-"),
}
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
for ax, series_id in zip(axes, ["mobile_broadband_users", "internet_users"]):
    points = p.series(series_id)
    for (origin, segment), part in points.groupby(["origin", "segment"]):  # one line per definition: never joined across a break
        name, marker, line = STYLE[origin]
        ax.plot(part["period_end"], part["base_value"] / 1e8, color=COLOUR[origin], marker=marker, linestyle=line, markersize=4,
                label=name, zorder=2 if origin == "observation" else 3)
    handles, legend_names = ax.get_legend_handles_labels()
    per_origin = dict(zip(legend_names, handles))  # one entry per origin, not one per segment
    ax.legend(per_origin.values(), per_origin.keys(), fontsize=8, loc="upper left")
    ax.set_title(p.series_table().set_index("series_id").loc[series_id, "name_en"])
    ax.set_ylabel(f"hundred million {points['base_unit'].iloc[0]}")
fig.autofmt_xdate()
plt.tight_layout()

# %%
p.compare.indicators(2017, "observations")[["series_id", "value_2017", "unit_2017", "period_end_2017", "value_observations",
                                           "unit_observations", "period_end_observations", "growth", "caveat"]]

# %% [markdown]
# ## Keyword trends
#
# Terms counted in ISC's own printed words only: the event titles and section headings as
# published, never the English this package wrote. A term and its translation are one concept
# (人工智能 and AI; see `p.keywords.concepts()`). The package holds very different amounts of
# printed text per edition, so the chart shows occurrences per 10,000 printed characters; an edition
# with no printed text held is left out of the chart, not drawn as zero.

# %%
terms = ["人工智能", "区块链", "5G", "IPv6", "工业互联网", "网络安全"]
counts = p.keywords.trend(terms)
english = p.keywords.concepts().set_index("concept")["name_en"]
counts["label"] = counts["concept"].map(english).fillna(counts["term"])
counts.pivot(index="label", columns="edition", values="count")

# %%
counts.drop_duplicates("edition")[["edition", "texts", "characters"]]

# %%
from matplotlib.ticker import MaxNLocator

shown = counts[counts["texts"] > 0]
fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4))
shown.pivot(index="edition", columns="label", values="rate_per_10k").plot.bar(ax=left)
left.set_ylabel("occurrences per 10,000 printed characters")
left.set_title("Terms in ISC's printed titles and headings (rate)")
shown.pivot(index="edition", columns="label", values="count").astype("float64").plot.bar(ax=right, legend=False)
right.yaxis.set_major_locator(MaxNLocator(integer=True))
right.set_ylabel("occurrences")
right.set_title("The same, as raw counts")
not_held = sorted(set(counts["edition"]) - set(shown["edition"]))
fig.text(0.01, -0.02, f"No printed text held for {', '.join(map(str, not_held))}: left out, not zero.", fontsize=9)
plt.tight_layout()
