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

# Charts use English labels; a Chinese glyph missing from the font would fail this notebook.
warnings.filterwarnings("error", message="Glyph .* missing from font")

pd.set_option("display.max_colwidth", 80)

# %% [markdown]
# ## The ten events

# %%
events = cit.events(2017)
events[["rank", "title_zh", "title_en", "theme"]]

# %% [markdown]
# ## The outline: chapters and subsections

# %%
sections = cit.sections(2017)
chapters = sections[sections["number"].isna()]
chapters[["section_id", "part", "heading_zh", "heading_en", "theme"]]

# %% [markdown]
# ## Figures by chapter
#
# Every figure keeps its value and unit exactly as printed; `with_base=True` adds the value in the
# base unit defined by the units table. Here: how many figures each chapter or event states, and
# the money figures (in CNY) of the review.

# %%
figures = cit.indicators(2017, with_base=True)
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

# %%
milestones = cit.milestones(2017)
dated = milestones[milestones["date"].dt.year == 2017].sort_values("date")
kinds = sorted(dated["kind"].unique())
fig, ax = plt.subplots(figsize=(9, 3.5))
for position, kind in enumerate(kinds):
    points = dated[dated["kind"] == kind]
    ax.scatter(points["date"], [position] * len(points), label=kind, s=40)
ax.set_yticks(range(len(kinds)), kinds)
ax.set_title("Dated milestones reported by the 2017 edition")
fig.autofmt_xdate()
plt.tight_layout()

# %%
dated[["date", "date_precision", "actor_en", "kind", "name_zh", "description_en"]].head(15)
