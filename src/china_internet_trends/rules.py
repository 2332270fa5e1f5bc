"""Rules no Table Schema can say, checked across the loaded tables of a package.

- a full edition (``events_found`` = 10) has exactly ten events ranked 1–10 once each;
- coverage in ``editions`` matches the rows present: events found; review and trends are ``none``
  exactly when the package holds nothing of that part (its sections; for the review also figures
  held without a section, for the trends also outlook forecasts held without a section);
- ids agree with their row: an event, section or figure of edition 2017 has an id starting 2017-;
- a milestone sits in exactly one section or event; a figure or forecast in at most one, and in
  none only when its note says why (a partial edition may be known without its outline);
- trends forecasts target the edition's forecast year unless a note says why not;
- ``period_start`` ≤ ``period_end``;
- a section's parent is another section of the same edition, and following parents never comes
  back to where it started;
- a figure linked to a series is in a unit whose base unit is the series' (a bare number such as
  亿, base unit ``count``, fits any series that counts persons or accounts);
- every outcome cites a source (the foreign key checks that the source exists); a verdict other
  than ``cannot_be_judged`` cites a source of reliability primary or secondary, and a
  ``cannot_be_judged`` outcome has a note saying why;
- an outcome's ``as_of`` is on or after the release of the forecast's edition (1 January of the
  year after the edition when the release day is unknown);
- a forecast's ``certainty`` is the one the hedges table gives its ``hedge``;
- every id a note (or an outcome's evidence) cites exists in the package: a section, event,
  milestone, figure, forecast, outcome, observation or source id (see :data:`CITED_ID`);
- English keeps the glossary: where a Chinese headline, heading, label or name has a term of the
  ``glossary`` table, its English has the term's English form (terms the text keeps apart, such
  as 工业互联网 and 产业互联网, stay apart);
- English prose keeps the glossary too (code ``glossary-rendering``): where a note, an outcome's
  evidence, a summary or a description glosses a glossary term, as ``产业互联网 (industry internet)``,
  ``产业互联网 'industry internet'`` or ``industry internet (产业互联网)``, the gloss has the term's
  English form (see :func:`glosses`, :func:`gloss_misses`); and the library's keyword
  concepts (``resources/concepts.csv``) never contradict the glossary: a concept with a printed form
  that is a glossary term has one of that term's English forms in its ``name_en``;
- a figure linked to a series does not repeat, at another date, an observation of that series
  with the same value and unit (one of them is then probably misdated: an assumed period, or a
  figure repeated later by another body).

The rules read only the columns in :data:`COLUMNS`, and of a ``note`` only whether it is filled
and the ids it cites; :func:`project` keeps just that, so validation can let go of the rest of each
table early.

>>> import pandas as pd
>>> figures = pd.DataFrame({c: [pd.NA] for c in COLUMNS["indicators"]} | {"indicator_id": ["2017-I001"], "edition": [2017],
...     "section_id": ["2017-R1"], "period_start": pd.to_datetime(["2017-12-31"]), "period_end": pd.to_datetime(["2017-01-01"])})
>>> frames = {"indicators": project("indicators", figures)}
>>> [p.message for p in check(frames, {"indicators": [("datasets/2017/indicators.csv", 2)]})]
['period_start is after period_end (2017-01-01)']
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
from collections.abc import Sequence

import ahocorasick
import numpy as np
import pandas as pd

from .errors import Problem

TableOrigins = dict[str, Sequence[tuple[str, int]]]
"""Where each row of each table came from: (file, row number), by table name."""

COLUMNS = {
    "editions": ["edition", "forecast_year", "published", "events_found", "review_coverage", "trends_coverage"],
    "sources": ["source_id", "reliability"],
    "publications": ["publication_id", "note"],
    "hedges": ["hedge", "certainty"],
    "units": ["unit", "base_unit"],
    "series": ["series_id", "base_unit"],
    "observations": ["observation_id", "series_id", "value", "unit", "period_start", "period_end", "note"],
    "glossary": ["term_zh", "term_en"],
    "sections": ["section_id", "edition", "part", "parent_id", "note"],
    "events": ["event_id", "edition", "rank", "note"],
    "milestones": ["milestone_id", "edition", "section_id", "event_id", "note"],
    "indicators": ["indicator_id", "edition", "section_id", "event_id", "note", "series_id", "value", "unit", "period_start",
                   "period_end"],
    "forecasts": ["forecast_id", "edition", "section_id", "event_id", "note", "origin", "target_year", "hedge", "certainty",
                  "series_id", "unit"],
    "outcomes": ["outcome_id", "edition", "verdict", "as_of", "source_id", "evidence_en", "note"],
}
"""The columns each table's rules read (tables not named here are not read)."""

NEEDED = COLUMNS | {"themes": ["theme", "name_zh", "name_en", "order"], "entities": ["entity_id"]}
"""The tables and columns the library reads by name: the rules' (:data:`COLUMNS`) and the analyses'
codebook. A package that lacks one is invalid (code ``missing-table``), and the rules do not run on it."""

CITED_ID = re.compile(
    r"(?<![\w.-])(?:[0-9]{4}-(?:[RT][0-9]+(?:\.[0-9]+)?|E[0-9]{2}|I[0-9]{3}|M[0-9]{3}|F[0-9]{2}(?:-[a-z])?)"
    r"|O[0-9]{4}|(?:isc|stat|out|bda|ed[0-9]{4})-[a-z0-9]+(?:-[a-z0-9]+)*|[A-Z]-[0-9]{3})(?![\w-])"
)
"""What a note cites as an id: an edition's section, event, figure, milestone, forecast or outcome
id (2017-R1.2, 2017-E04, 2017-I022, 2017-M003, 2017-F29, 2017-F29-a), an observation (O0123), a
source or ISC July report (isc-cidr-2021) by the stems the package's ids use (isc-, stat-, out-, bda-, ed2016-), or an id of no
scheme of this package shaped like one (T-001), which can exist nowhere.

>>> CITED_ID.findall("as 2017-I022 (MIIT, stat-miit-2017-gucheng; not T-001), at 2017-12-31 in 2017-R1.2.")
['2017-I022', 'stat-miit-2017-gucheng', 'T-001', '2017-R1.2']
"""
NOTE_COLUMNS = ("note", "evidence_en")

TEXT_PAIRS = {"events": ("title_zh", "title_en"), "sections": ("heading_zh", "heading_en"), "indicators": ("label_zh", "label_en"),
              "milestones": ("name_zh", "description_en"), "forecasts": ("claim_zh", "claim_en"),
              "entities": ("name_zh", "name_en"), "series": ("name_zh", "name_en")}
"""Per table, the printed Chinese and the English that renders it, which the glossary rule reads."""

PROSE_COLUMNS = ("note", "evidence_en", "break_note", "summary_en", "description_en")
"""The columns of English prose, in any table, in which a Chinese term may be glossed (:func:`glosses`)."""

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_RUN = f"(?<![{_CJK}0-9+])[{_CJK}0-9+]+"  # from its start only, and once: linear in the text, however hostile
_GLOSSED_AFTER = re.compile(
    f"(?P<zh>{_RUN})[ ]?(?=[(（\"“‘'][ ]?[\"“‘']?[A-Za-z])"
    f"(?:\\((?P<p>[^(){_CJK}]+)\\)|（(?P<fp>[^（）{_CJK}]+)）|\"(?P<q>[^\"{_CJK}]+)\"|“(?P<cq>[^“”{_CJK}]+)”|‘(?P<cs>[^‘’{_CJK}]+)’"
    f"|'(?P<sq>[^'{_CJK}]+)')")
_BRACKETED = re.compile(f"[(（](?P<zh>[{_CJK}0-9+]+)[)）]")
_ENGLISH = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789' -")
"""What the English glossed by a bracketed term is made of, read back from the bracket to the last other character."""
_HAS_CJK = re.compile(f"[{_CJK}]")


def project(table: str, frame: pd.DataFrame, glossary: pd.DataFrame | None = None) -> pd.DataFrame:
    """What the rules read of a typed table: its :data:`COLUMNS`, with ``note`` turned into ``has_note``,
    notes into the ids they cite, and, given the ``glossary`` table, its text pairs
    (:data:`TEXT_PAIRS`) into the glossary terms their English lacks (``glossary_misses``).

    >>> project("outcomes", pd.DataFrame({"outcome_id": ["2017-F01-a"], "edition": [2017], "evidence_en": ["see 2017-I022"], "source_id": ["isc-2017-report"]})).columns.tolist()
    ['outcome_id', 'edition', 'source_id', 'cites_evidence_en']
    >>> project("forecasts", pd.DataFrame({c: [pd.NA] for c in COLUMNS["forecasts"]}))["has_note"].tolist()
    [False]
    """
    read = [c for c in COLUMNS.get(table, []) if c in frame]
    kept = frame[[c for c in read if c not in NOTE_COLUMNS]].copy()
    if "note" in read:
        kept["has_note"] = frame["note"].notna().to_numpy()
    for column in (c for c in NOTE_COLUMNS if c in read):
        kept[f"cites_{column}"] = pd.Series(_cited(frame[column]), index=frame.index, dtype=object)
    pair = TEXT_PAIRS.get(table)
    if glossary is not None and pair and set(pair) <= set(frame.columns):
        misses = glossary_misses(frame[pair[0]].tolist(), frame[pair[1]].tolist(), glossary)
        kept["glossary_misses"] = pd.Series([tuple(m) for m in misses], index=frame.index, dtype=object)  # () is one shared object
    if table == "glossary" and {"term_zh", "term_en"} <= set(frame.columns):
        glossary = frame  # the glossary's own notes gloss terms too
    prose = [column for column in PROSE_COLUMNS if column in frame.columns]
    if glossary is not None and prose:
        per_column = [gloss_misses(frame[column].tolist(), glossary) for column in prose]
        per_row = [tuple((column, *miss) for column, misses in zip(prose, row) for miss in misses) for row in zip(*per_column)]
        kept["gloss_misses"] = pd.Series(per_row, index=frame.index, dtype=object)
    return kept


def glosses(text: str) -> list[tuple[str, str]]:
    """The Chinese the English prose ``text`` glosses, each with its gloss: a run of Chinese followed by
    English in brackets or quotes (``产业互联网 (industry internet)``, ``('…')``, ``"…"``, ``'…'``, ``“…”``, ``‘…’``, ``（…）``),
    or English followed by a run of Chinese in brackets (``industry internet (产业互联网)``, the English
    taken back to the last punctuation). A bracket that holds Chinese, or English that does not
    start with a letter, is a comment, not a gloss.

    >>> glosses("Printed as 覆盖最好 (the best coverage); a connected-vehicle (车联网) plan; 双创 platforms; 逾十倍 (Chinese numeral 十).")
    [('覆盖最好', 'the best coverage'), ('车联网', 'a connected-vehicle')]
    """
    if not isinstance(text, str) or not _HAS_CJK.search(text):
        return []
    found = [(m["zh"], next(g for g in m.group("p", "fp", "q", "cq", "cs", "sq") if g is not None)) for m in _GLOSSED_AFTER.finditer(text)]
    for m in _BRACKETED.finditer(text):  # the English before each bracket, read back: brackets end each stretch, so linear
        start = m.start()
        while start and text[start - 1] in _ENGLISH:
            start -= 1
        english = re.sub("^[^A-Za-z]+", "", text[start:m.start()]).rstrip()
        if english:
            found.append((m["zh"], english))
    return [(zh, en) for zh, en in found if _HAS_CJK.search(zh)]


def gloss_misses(texts: list[object], glossary: pd.DataFrame) -> list[list[tuple[str, str]]]:
    """For each English text, the glossary terms (term_zh, term_en) that a gloss of them in the text
    lacks: :func:`glossary_misses` on each of its :func:`glosses` whose Chinese is a term of the
    glossary (one automaton lookup). A note's brackets after a longer printed phrase are often a
    comment on it ("printed as 网民数量达5910万 (no measure word)"), not its translation, so only a
    term glossed on its own is held to the glossary.

    >>> glossary = pd.DataFrame({"term_zh": ["产业互联网", "网民"], "term_en": ["industry internet", "internet users"]})
    >>> gloss_misses(["ISC's 产业互联网 (industrial internet) count", "产业互联网 'industry internet'", "网民数量达5910万 (no measure word)", None], glossary)
    [[('产业互联网', 'industry internet')], [], [], []]
    """
    _, automaton = _terms(*(tuple(glossary[column].to_numpy(dtype=object)) for column in ("term_zh", "term_en")))
    result = []
    for text in texts:
        pairs = [(zh, en) for zh, en in glosses(text) if zh in automaton] if isinstance(text, str) and automaton is not None else []
        if not pairs:
            result.append([])
            continue
        misses = glossary_misses([zh for zh, _ in pairs], [en for _, en in pairs], glossary)
        result.append([term for missed in misses for term in missed])
    return result


CONCEPTS = "resources/concepts.csv"
"""The library's keyword concepts (:mod:`~china_internet_trends.keywords`), which must agree with the glossary."""


def concept_conflicts(glossary: pd.DataFrame, concepts: pd.DataFrame) -> list[tuple[int, str, str, str]]:
    """The concepts whose English name contradicts the glossary: for each concept (by its place in
    ``concepts``) with a printed form (``forms``, joined by "|") that is a glossary term, and whose
    ``name_en`` has none of that term's English forms, (place, name_en, term_zh, term_en).

    >>> glossary = pd.DataFrame({"term_zh": ["智能制造", "大数据"], "term_en": ["smart manufacturing", "big data"]})
    >>> concepts = pd.DataFrame({"concept": ["m", "b"], "name_en": ["intelligent manufacturing", "big data"], "forms": ["智能制造", "大数据"]})
    >>> concept_conflicts(glossary, concepts)
    [(0, 'intelligent manufacturing', '智能制造', 'smart manufacturing')]
    """
    english = dict(zip(glossary["term_zh"].tolist(), glossary["term_en"].tolist()))
    conflicts = []
    for place, (name, forms) in enumerate(zip(concepts["name_en"].tolist(), concepts["forms"].tolist())):
        for form in (forms.split("|") if isinstance(forms, str) else []):
            term_en = english.get(form)
            if isinstance(term_en, str) and not (isinstance(name, str) and _english_forms(term_en).search(name)):
                conflicts.append((place, name, form, term_en))
    return conflicts


@functools.lru_cache(maxsize=1)
def _concepts() -> pd.DataFrame:
    """The library's concepts file, every cell as text (see :data:`CONCEPTS`)."""
    from importlib import resources

    text = (resources.files(__package__) / CONCEPTS).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def glossary_misses(chinese: list[object], english: list[object], glossary: pd.DataFrame) -> list[list[tuple[str, str]]]:
    """For each (Chinese, English) pair, the glossary terms the Chinese has and the English lacks.

    A term inside a longer glossary term the Chinese also has is not required on its own (网络安全
    inside 网络安全法); the English forms of a term are alternatives joined by "|", matched as
    whole words in any case.

    >>> glossary = pd.DataFrame({"term_zh": ["工业互联网", "网络安全", "网络安全法"],
    ...                          "term_en": ["industrial internet", "cybersecurity", "Cybersecurity Law"]})
    >>> glossary_misses(["工业互联网与网络安全法", "网络安全"], ["The industrial internet", "Network safety"], glossary)
    [[('网络安全法', 'Cybersecurity Law')], [('网络安全', 'cybersecurity')]]
    """
    terms, automaton = _terms(*(tuple(glossary[column].to_numpy(dtype=object)) for column in ("term_zh", "term_en")))
    result = []
    for zh, en in zip(chinese, english):
        found = _found(zh, terms, automaton) if isinstance(zh, str) and automaton is not None else []
        result.append([terms[rank] for rank in found if not (isinstance(en, str) and _english_forms(terms[rank][1]).search(en))])
    return result


@functools.lru_cache(maxsize=1)
def _terms(term_zh: tuple[str, ...], term_en: tuple[str, ...]) -> tuple[list[tuple[str, str]], ahocorasick.Automaton | None]:
    """The glossary's terms, longest Chinese first (in glossary order among equals), and one
    Aho–Corasick automaton over their Chinese (None when there is none), whose value for a word is the
    place of its first term in that order. Built once per glossary: validation asks for each chunk
    of each table, so the glossary's columns are passed as tuples, which are quick to compare.

    >>> terms, automaton = _terms(("网络安全", "网络安全法"), ("cybersecurity", "Cybersecurity Law"))
    >>> terms[0][0], automaton.get("网络安全")
    ('网络安全法', 1)
    """
    terms = sorted(zip(term_zh, term_en), key=lambda term: -len(term[0]))
    automaton = ahocorasick.Automaton()
    for rank, (chinese, _) in enumerate(terms):
        if chinese not in automaton:  # a repeated term is never found again: its first took all its places
            automaton.add_word(chinese, rank)
    if not len(automaton):
        return terms, None
    automaton.make_automaton()
    return terms, automaton


def _found(text: str, terms: list[tuple[str, str]], automaton: ahocorasick.Automaton) -> list[int]:
    """The places in ``terms`` of the terms ``text`` has, in order. Taking the terms in order, a term
    is found where it occurs clear of the characters the terms found before it took; its clear
    occurrences, left to right and not overlapping, then take theirs (as cutting it out would).

    One pass of the automaton finds every occurrence of every term, so the time grows with the text
    and what it holds, not with the size of the glossary.

    >>> terms, automaton = _terms(("网络安全", "网络安全法", "安全"), ("cybersecurity", "Cybersecurity Law", "security"))
    >>> [terms[rank][0] for rank in _found("网络安全法与安全", terms, automaton)]
    ['网络安全法', '安全']
    """
    starts: dict[int, list[int]] = {}
    for end, rank in automaton.iter(text):  # by end, so each term's occurrences come left to right
        starts.setdefault(rank, []).append(end + 1 - len(terms[rank][0]))
    taken = bytearray(len(text))
    found = []
    for rank in sorted(starts):
        length = len(terms[rank][0])
        clear = False
        for start in starts[rank]:
            if taken.find(1, start, start + length) < 0:
                taken[start:start + length] = b"\1" * length
                clear = True
        if clear:
            found.append(rank)
    return found


@functools.cache
def _english_forms(term_en: str) -> re.Pattern[str]:
    """The English forms of a glossary term ("|" between alternatives) as whole words in any case,
    compiled once and only for terms some Chinese text has."""
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(f) for f in term_en.split("|")) + r")(?![A-Za-z])", re.IGNORECASE)


def _cited(column: pd.Series) -> list[str]:
    """The ids each cell cites, joined by spaces ('' when none)."""
    return [" ".join(CITED_ID.findall(text)) if isinstance(text, str) else "" for text in column.tolist()]


def check(frames: dict[str, pd.DataFrame], origins: TableOrigins) -> list[Problem]:
    """Every cross-table problem, given the :func:`project` of each typed table (each must already match its schema),
    each coded by its rule (:data:`RULES`)."""
    return [dataclasses.replace(problem, code=code) for code, rule in RULES.items() for problem in rule(frames, origins)]


def _problem(origins: TableOrigins, table: str, position: int, column: str | None, value: object, message: str) -> Problem:
    file, row = origins[table][position]
    shown = None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return Problem(file, row, column, shown, message, "rules")  # check() gives it its rule's code


def _rows(frame: pd.DataFrame, mask: pd.Series) -> list[int]:
    return list(mask.fillna(False).to_numpy().nonzero()[0])


ID_COLUMNS = {"sections": "section_id", "events": "event_id", "milestones": "milestone_id",
              "indicators": "indicator_id", "forecasts": "forecast_id", "outcomes": "outcome_id"}


def _starts_with_edition(ids: pd.Series, editions: pd.Series) -> np.ndarray:
    """For each row, whether its id starts with its edition, compared as fixed-width numpy text
    (no new string per row, which at a million rows is memory the rules would otherwise spike by).

    >>> _starts_with_edition(pd.Series(["2017-E01", "2016-E01"]), pd.Series([2017, 2017])).tolist()
    [True, False]
    """
    codes, distinct = pd.factorize(editions)
    texts = np.array([str(edition) for edition in distinct])
    return ids.to_numpy(dtype=object).astype(texts.dtype) == texts[codes]


def _ids_match_edition(frames, origins):
    problems = []
    for table, id_column in ID_COLUMNS.items():
        frame = frames.get(table)
        if frame is None or frame.empty:
            continue
        for i in (~_starts_with_edition(frame[id_column], frame["edition"])).nonzero()[0]:
            problems.append(_problem(origins, table, i, id_column, frame[id_column].iloc[i],
                                     f"the id must start with the row's edition {frame['edition'].iloc[i]}"))
    events = frames.get("events")
    if events is not None and not events.empty:
        number = pd.to_numeric(events["event_id"].str.slice(6), errors="coerce")
        bad = events["rank"].notna() & (number != events["rank"])
        for i in _rows(events, bad):
            problems.append(_problem(origins, "events", i, "event_id", events["event_id"].iloc[i],
                                     f"a ranked event's id must end in its rank ({int(events['rank'].iloc[i]):02d})"))
    return problems


def _one_place(frames, origins):
    problems = []
    for table in ("indicators", "milestones", "forecasts"):
        frame = frames.get(table)
        if frame is None or frame.empty:
            continue
        placed = frame["section_id"].notna().astype(int) + frame["event_id"].notna().astype(int)
        may_explain = table != "milestones"
        unexplained = (placed == 0) & (~frame["has_note"] if may_explain else True)
        for i in _rows(frame, (placed > 1) | unexplained):
            wanted = ("one of section_id and event_id, or neither with a note saying why" if may_explain
                      else "exactly one of section_id and event_id")
            problems.append(_problem(origins, table, i, "section_id", frame["section_id"].iloc[i], f"the row needs {wanted}"))
    return problems


def _periods(frames, origins):
    problems = []
    for table in ("indicators", "observations"):
        frame = frames.get(table)
        if frame is None or frame.empty:
            continue
        for i in _rows(frame, frame["period_start"] > frame["period_end"]):
            end = frame["period_end"].iloc[i].date()
            problems.append(_problem(origins, table, i, "period_start", frame["period_start"].iloc[i].date(),
                                     f"period_start is after period_end ({end})"))
    return problems


COUNTS = {"count", "persons", "accounts"}


def _series_units(frames, origins):
    units, series = frames.get("units"), frames.get("series")
    if units is None or series is None:
        return []
    unit_base = units.set_index("unit")["base_unit"]
    series_base = series.set_index("series_id")["base_unit"]
    problems = []
    for table in ("indicators", "observations", "forecasts"):
        frame = frames.get(table)
        if frame is None or frame.empty:
            continue
        have = frame["unit"].map(unit_base)
        want = frame["series_id"].map(series_base)
        fits = (have == want) | ((have == "count") & want.isin(COUNTS))
        bad = frame["series_id"].notna() & have.notna() & want.notna() & ~fits
        for i in _rows(frame, bad):
            problems.append(_problem(origins, table, i, "unit", frame["unit"].iloc[i],
                                     f"series {frame['series_id'].iloc[i]} is measured in {want.iloc[i]}, but this unit converts to {have.iloc[i]}"))
    return problems


def _full_editions(frames, origins):
    editions, events = frames.get("editions"), frames.get("events")
    if editions is None or events is None:
        return []
    ranked = events.dropna(subset=["rank"])
    ranks = ranked.groupby("edition")["rank"].agg(["count", "nunique", "min", "max"])
    one_to_ten = (ranks["count"] == 10) & (ranks["nunique"] == 10) & (ranks["min"] == 1) & (ranks["max"] == 10)
    complete = editions["edition"].map(one_to_ten).fillna(False).astype(bool)
    problems = []
    for i in _rows(editions, (editions["events_found"] == 10) & ~complete):
        edition = editions["edition"].iloc[i]
        found = sorted(ranked.loc[ranked["edition"] == edition, "rank"].astype(int))
        problems.append(_problem(origins, "editions", i, "events_found", 10,
                                 f"edition {edition} is marked complete, so its events must be ranked 1 to 10 once each; found ranks {found}"))
    return problems


def _coverage(frames, origins):
    editions = frames.get("editions")
    if editions is None:
        return []
    events = frames.get("events", pd.DataFrame(columns=["edition"]))
    sections = frames.get("sections", pd.DataFrame(columns=["edition", "part"]))
    forecasts = frames.get("forecasts", pd.DataFrame(columns=["edition", "origin"]))
    indicators = frames.get("indicators", pd.DataFrame(columns=["edition", "section_id", "event_id"]))
    unplaced = indicators["section_id"].isna() & indicators["event_id"].isna()
    held = {
        "review": set(indicators.loc[unplaced, "edition"]) | set(sections.loc[sections["part"] == "review", "edition"]),
        "trends": set(forecasts.loc[forecasts["origin"] == "trends_outlook", "edition"]) | set(sections.loc[sections["part"] == "trends", "edition"]),
    }
    problems = []
    event_counts = events["edition"].value_counts().to_dict()
    for i, edition in enumerate(editions["edition"]):
        found = event_counts.get(edition, 0)
        if found != editions["events_found"].iloc[i]:
            problems.append(_problem(origins, "editions", i, "events_found", editions["events_found"].iloc[i],
                                     f"events_found says {editions['events_found'].iloc[i]} but the package holds {found} events of {edition}"))
        for part in ("review", "trends"):
            coverage = editions[f"{part}_coverage"].iloc[i]
            present = edition in held[part]
            if (coverage == "none") == present:
                holds = "holds" if present else "holds no"
                problems.append(_problem(origins, "editions", i, f"{part}_coverage", coverage,
                                         f"{part}_coverage is {coverage!r} but the package {holds} {part} rows of {edition}"))
    return problems


def _trends_target_year(frames, origins):
    editions, forecasts = frames.get("editions"), frames.get("forecasts")
    if editions is None or forecasts is None or forecasts.empty:
        return []
    expected = forecasts["edition"].map(editions.set_index("edition")["forecast_year"])
    bad = (forecasts["origin"] == "trends_outlook") & (forecasts["target_year"] != expected) & ~forecasts["has_note"]
    return [
        _problem(origins, "forecasts", i, "target_year", forecasts["target_year"].iloc[i],
                 f"a trends forecast targets the edition's forecast year ({expected.iloc[i]}) unless a note says why")
        for i in _rows(forecasts, bad)
    ]


def _certainty(frames, origins):
    hedges, forecasts = frames.get("hedges"), frames.get("forecasts")
    if hedges is None or forecasts is None or forecasts.empty:
        return []
    expected = forecasts["hedge"].map(hedges.set_index("hedge")["certainty"])
    bad = (expected.notna() & (forecasts["certainty"] != expected).fillna(True)) | (forecasts["hedge"].isna() & forecasts["certainty"].notna())
    return [
        _problem(origins, "forecasts", i, "certainty", forecasts["certainty"].iloc[i],
                 f"the hedge {forecasts['hedge'].iloc[i]} has certainty {expected.iloc[i]} in the hedges table"
                 if pd.notna(expected.iloc[i]) else "a forecast whose hedge is not known has no certainty either")
        for i in _rows(forecasts, bad)
    ]


JUDGED_ON_EVIDENCE = {"primary", "secondary"}


def _outcome_sources(frames, origins):
    outcomes = frames.get("outcomes")
    if outcomes is None or outcomes.empty:
        return []
    problems = [
        _problem(origins, "outcomes", i, "source_id", None, "a verdict needs a source: fill source_id")
        for i in _rows(outcomes, outcomes["source_id"].isna())
    ]
    unjudged = outcomes["verdict"] == "cannot_be_judged"
    problems += [
        _problem(origins, "outcomes", i, "note", None, "a cannot_be_judged outcome needs a note saying why the claim has no observable yardstick")
        for i in _rows(outcomes, unjudged & ~outcomes["has_note"])
    ]
    sources = frames.get("sources")
    if sources is not None:
        reliability = outcomes["source_id"].map(sources.set_index("source_id")["reliability"])
        weak = ~unjudged & reliability.notna() & ~reliability.isin(JUDGED_ON_EVIDENCE)
        problems += [
            _problem(origins, "outcomes", i, "source_id", outcomes["source_id"].iloc[i],
                     f"a {outcomes['verdict'].iloc[i]} verdict rests on a source of reliability {reliability.iloc[i]}; "
                     "cite a primary or secondary source that states the fact (a low one may only corroborate, in the note)")
            for i in _rows(outcomes, weak)
        ]
    return problems


def _outcome_dates(frames, origins):
    """An outcome's ``as_of`` is not before its edition's release (1 January of the next year when the
    release date is not known; compared by year, so no date is built that pandas cannot hold)."""
    editions, outcomes = frames.get("editions"), frames.get("outcomes")
    if editions is None or outcomes is None or outcomes.empty:
        return []
    published = editions.set_index("edition")["published"].reindex(outcomes["edition"]).set_axis(outcomes.index)
    early = (published.notna() & (outcomes["as_of"] < published)) | (published.isna() & (outcomes["as_of"].dt.year <= outcomes["edition"]))
    problems = []
    for i in _rows(outcomes, early):
        edition = outcomes["edition"].iloc[i]
        earliest = published.iloc[i].date() if pd.notna(published.iloc[i]) else f"{edition + 1}-01-01"
        problems.append(_problem(origins, "outcomes", i, "as_of", outcomes["as_of"].iloc[i].date(),
                                 f"as_of is before the release of edition {edition} ({earliest}); "
                                 "it is the date of the evidence, which comes after the forecast"))
    return problems


KEYS = ID_COLUMNS | {"observations": "observation_id", "sources": "source_id", "publications": "publication_id"}
"""The key column of every table whose ids a note may cite."""


def _cited_ids_exist(frames, origins):
    """Every id a note cites exists. The few ids cited are looked up in the key columns, rather than
    every id of the package gathered in one set."""
    cites = {(table, column): frame[column].tolist() for table, frame in frames.items() for column in frame.columns if column.startswith("cites_")}
    wanted = {cited for texts in cites.values() for text in texts for cited in text.split()}
    known = set()
    for table, key in KEYS.items():
        if wanted and table in frames and key in frames[table]:
            ids = frames[table][key]
            known |= set(ids[ids.isin(wanted)])
    problems = []
    for (table, column), texts in cites.items():
        for i, text in enumerate(texts):
            for cited in dict.fromkeys(text.split()):
                if cited not in known:
                    problems.append(_problem(origins, table, i, column.removeprefix("cites_"), cited,
                                             "the text cites an id that exists nowhere in the package; cite an existing id or say it in words"))
    return problems


def _glossary(frames, origins):
    problems = []
    for table, frame in frames.items():
        if "glossary_misses" not in frame:
            continue
        english = TEXT_PAIRS[table][1]
        for i, misses in enumerate(frame["glossary_misses"]):
            for term_zh, term_en in misses:
                problems.append(_problem(origins, table, i, english, None,
                                         f"the Chinese has {term_zh}, which the glossary renders as {term_en.replace('|', ' or ')}; "
                                         "use that form (see DATA.md, Glossary)"))
    return problems


def _glossary_rendering(frames, origins):
    """Glosses in English prose that depart from the glossary, and concepts that contradict it."""
    problems = []
    for table, frame in frames.items():
        if "gloss_misses" not in frame:
            continue
        for i, misses in enumerate(frame["gloss_misses"]):
            for column, term_zh, term_en in misses:
                problems.append(_problem(origins, table, i, column, term_zh,
                                         f"the text glosses {term_zh} without the glossary's English for it, "
                                         f"{term_en.replace('|', ' or ')}; use that form (see DATA.md, Glossary)"))
    glossary = frames.get("glossary")
    if glossary is not None and {"term_zh", "term_en"} <= set(glossary.columns):
        file = f"{__package__}/{CONCEPTS}"
        for place, name, term_zh, term_en in concept_conflicts(glossary, _concepts()):
            problems.append(Problem(file, place + 2, "name_en", name,
                                    f"the concept's printed form {term_zh} is a glossary term, which the glossary renders as "
                                    f"{term_en.replace('|', ' or ')}; the concept's English name must use that form", "rules"))
    return problems


def _misdated_figures(frames, origins):
    figures, observations = frames.get("indicators"), frames.get("observations")
    if figures is None or observations is None or figures.empty or observations.empty:
        return []
    linked = figures.rename_axis("position").reset_index().dropna(subset=["series_id"])
    same = linked.merge(observations, on=["series_id", "value", "unit"], suffixes=("", "_observed"))
    same = same[same["period_end"] != same["period_end_observed"]]
    return [
        _problem(origins, "indicators", row.position, "period_end", row.period_end.date(),
                 f"observation {row.observation_id} of {row.series_id} has the same value, {row.value:g} {row.unit}, "
                 f"at {row.period_end_observed.date()}: one of the two periods is probably wrong (an assumed date, "
                 "or a figure repeated later by another body)")
        for row in same.drop_duplicates("position").itertuples()
    ]


def _section_parents(frames, origins):
    """A section is not its own parent, its parent is of its own edition, and no chain of parents is a cycle."""
    sections = frames.get("sections")
    if sections is None or sections.empty:
        return []
    parent = dict(zip(sections["section_id"], sections["parent_id"]))
    edition = dict(zip(sections["section_id"], sections["edition"]))
    cycles = in_cycles(parent)
    problems = []
    for i, (section, up) in enumerate(zip(sections["section_id"], sections["parent_id"])):
        if pd.isna(up):
            continue
        if up == section:
            why = "a section cannot be its own parent"
        elif up in edition and edition[up] != edition[section]:
            why = f"the parent is a section of edition {edition[up]}, not of this section's edition {edition[section]}"
        elif section in cycles:
            why = "following the parents from this section comes back to it: the parents form a cycle"
        else:
            continue
        problems.append(_problem(origins, "sections", i, "parent_id", up, why))
    return problems


def in_cycles(parent: dict[str, object]) -> set[str]:
    """The nodes that following ``parent`` from them comes back to; each node is walked once.

    >>> sorted(in_cycles({"a": "b", "b": "a", "c": "a", "d": pd.NA}))
    ['a', 'b']
    """
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    cycles: set[str] = set()
    for start in parent:
        walk, node = [], start
        while isinstance(node, str) and node in parent and node not in state:
            state[node] = 1
            walk.append(node)
            node = parent[node]
        if isinstance(node, str) and state.get(node) == 1:  # the walk came back to a node of its own
            cycles.update(walk[walk.index(node):])
        for visited in walk:
            state[visited] = 2
    return cycles


RULES = {"id-edition": _ids_match_edition, "one-place": _one_place, "period-order": _periods, "series-unit": _series_units,
         "ten-events": _full_editions, "coverage": _coverage, "target-year": _trends_target_year, "certainty": _certainty,
         "outcome-source": _outcome_sources, "outcome-date": _outcome_dates, "cited-id": _cited_ids_exist,
         "glossary": _glossary, "glossary-rendering": _glossary_rendering, "misdated-figure": _misdated_figures, "section-parent": _section_parents}
"""Every rule by the code of the problems it finds (:data:`~china_internet_trends.errors.CODES`), in the order they run."""
