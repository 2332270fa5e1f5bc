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
# # A tour of the 2017 edition
#
# The Internet Society of China's 2017 edition, released on 2018-01-09, reviews the year 2017 in
# five chapters, looks ahead to 2018 in six, and names the ten events that shaped China's internet
# industry. This notebook walks through the events, the figures by chapter (in base units) and the
# dated milestones. Charts use the English labels, so they render on any machine.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import china_internet_trends as cit

p = cit.open()  # the shipped package; cit.open("path/to/your/copy") reads a checkout or a copy you edit

# Charts use English labels; a Chinese glyph missing from the font would fail this notebook.
warnings.filterwarnings("error", message="Glyph .* missing from font")

pd.set_option("display.max_colwidth", 80)

# %% [markdown]
# ## The ten events

# %%
events = p.events(2017)
events[["rank", "title_zh", "title_en", "theme"]]

# %% [markdown]
# ## The outline: chapters and subsections

# %%
sections = p.sections(2017)
chapters = sections[sections["number"].isna()]
chapters[["section_id", "part", "heading_zh", "heading_en", "theme"]]

# %% [markdown]
# ## Figures by chapter
#
# Every figure keeps its value and unit exactly as printed; `with_base=True` adds the value in the
# base unit defined by the units table. Here: how many figures each chapter or event states, and
# the money figures (in CNY) of the review.

# %%
figures = p.indicators(2017, with_base=True)
figures["place"] = figures["section_id"].str.extract(r"^(\d{4}-[RT]\d+)")[0].fillna("events")
per_place = figures.groupby("place").size().rename("figures")
per_place

# %%
money = figures[(figures["base_unit"] == "cny") & (figures["measure"] == "level")]
money[["indicator_id", "place", "entity_id", "label_en", "value", "unit", "comparator", "base_value"]].sort_values("base_value", ascending=False)

# %%
ax = per_place.plot.barh(color="#4c72b0", figsize=(7, 4))
ax.set_xlabel("figures stated")
ax.set_ylabel("chapter (R review, T trends) or events")
ax.set_title("Figures stated by the 2017 edition, by chapter")
plt.tight_layout()

# %% [markdown]
# ## Whose figures? Entities other than China
#
# A company's figure is not China's: the package records who each figure is about.

# %%
figures[figures["entity_id"] != "china"].groupby("entity_id").size().sort_values(ascending=False).head(10)

# %% [markdown]
# ## Milestones: a timeline of 2017
#
# A milestone is dated only as precisely as the text dates it: to the day, or only to the month,
# the quarter or the year. `with_span=True` gives each date as the period it stands for, so a fact
# known to the month is drawn as a bar across that month and a fact known only to the year as a
# pale bar across the year, never as a point on 1 January.

# %%
milestones = p.milestones(2017, with_span=True)
dated = milestones[milestones["date_start"].dt.year == 2017].sort_values("date_start")
kinds = sorted(dated["kind"].unique())
looks = {"day": dict(alpha=1.0), "month": dict(alpha=0.7), "quarter": dict(alpha=0.45), "year": dict(alpha=0.2)}
colour = dict(zip(kinds, plt.get_cmap("tab10").colors))
fig, ax = plt.subplots(figsize=(10, 4.5))
for position, kind in enumerate(kinds):
    rows = dated[dated["kind"] == kind]
    days = rows[rows["date_precision"] == "day"]
    ax.scatter(days["date_start"], [position] * len(days), color=colour[kind], s=36, zorder=3)
    for row in rows[rows["date_precision"] != "day"].itertuples():
        width = row.date_end - row.date_start + pd.Timedelta(days=1)
        ax.barh(position, width, left=row.date_start, height=0.5, color=colour[kind], **looks[row.date_precision])
ax.set_yticks(range(len(kinds)), kinds)
handles = [plt.Line2D([], [], marker="o", linestyle="none", color="grey", label="dated to the day")]
handles += [plt.Rectangle((0, 0), 1, 1, color="grey", label=f"dated only to the {p}", **looks[p]) for p in ("month", "quarter", "year")]
ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
ax.set_xlim(pd.Timestamp("2017-01-01"), pd.Timestamp("2018-01-01"))
ax.set_title("Dated milestones reported by the 2017 edition, each at its precision")
fig.autofmt_xdate()
plt.tight_layout()

# %%
dated["date_precision"].value_counts()

# %%
dated[["date", "date_precision", "date_end", "actor_en", "kind", "name_zh", "description_en"]].head(15)
