"""Count domain terms in ISC's own printed words, edition by edition.

**What is counted.** Only what ISC printed: the event titles (``title_zh``) and the section
headings (``heading_zh``) exactly as published. The package's own English titles, headings and
summaries are never counted: they are our words, and counting them would mix our translation
choices into ISC's agenda. ``5G`` and ``IPv6`` are counted where ISC printed them, inside the
Chinese titles.

**Concepts.** A term may be printed in Chinese or in Latin letters (人工智能, AI). The explicit
mapping in ``resources/concepts.csv`` (see :func:`concepts`) lists, for each concept, every printed
form; a term that names a concept (one of its forms, its English name or its id, letters in any
case) counts every form of it, so ``trend(["AI"])`` and ``trend(["人工智能"])`` give the same
counts. A term in no concept is counted as printed. The mapping joins the same term in two
languages only, never two different Chinese terms (分享经济 and 共享经济 stay apart).

**How.** Chinese is normalised to simplified characters with OpenCC and cut with a private
``jieba.Tokenizer`` that loads the package's user dictionary of domain terms (十九大, 区块链,
工业互联网, 网络安全法…) plus every form asked for, so the counts do not depend on jieba's global
state or on earlier calls; a Chinese form counts as a whole token (网络安全 is not counted inside
网络安全法). A form in Latin letters and digits counts as a whole word, case-insensitively (5G in
5G商用 and 5G-Advanced, not in 15G).

**Amount of text.** Editions are held very unequally (1 heading of one, 62 of another), so each
count comes with the amount of printed text held (``texts``, ``characters``) and a rate per
10,000 characters, which is what charts should show. An edition of which the package holds no
printed title or heading has empty counts and rates (``<NA>``), never 0.

>>> counts = trend(["AI", "人工智能"], editions=[2017, 2018]).set_index(["term", "edition"])
>>> int(counts.loc[("AI", 2017), "count"]) == int(counts.loc[("人工智能", 2017), "count"]) > 0
True
>>> counts.loc[("AI", 2018), "count"] is pd.NA
True
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .dtypes import TEXT, stable
from .errors import QueryError
from .holdings import check_editions
from .package import opened

if TYPE_CHECKING:
    from .package import Package

USER_DICTIONARY = "resources/userdict.txt"
CONCEPTS = "resources/concepts.csv"
RATE_PER = 10_000
COLUMNS = ["term", "concept", "forms", "edition", "count", "texts", "characters", "rate_per_10k"]


def trend(terms: str | Iterable[str], editions: Iterable[int] | None = None, *, path: str | Path | None = None) -> pd.DataFrame:
    """:meth:`Keywords.trend` on the package at ``path`` (keyword-only; default: the shipped one)."""
    return opened(path).keywords.trend(terms, editions)


class Keywords:
    """Term counts of one opened package: ``p.keywords.trend(["5G"])``."""

    def __init__(self, package: Package):
        self._p = package

    def trend(self, terms: str | Iterable[str], editions: Iterable[int] | None = None) -> pd.DataFrame:
        """How often each term (or its concept) is printed in each edition's titles and headings.

        One row per term and edition (default: every edition in the package), with columns
        ``term`` (as given), ``concept`` (its id in :func:`concepts`, empty if none), ``forms`` (what
        was counted, joined by " | "), ``edition``, ``count``, ``texts`` and ``characters`` (printed
        titles and headings held, and their characters without spaces), and ``rate_per_10k``
        (occurrences per 10,000 characters). ``count`` and ``rate_per_10k`` are empty for an edition
        whose printed text the package does not hold.

        ``terms`` is a list of terms (a single string is one term). Traditional characters and
        full-width letters, digits and signs are normalised, in the terms and in the texts alike:
        ``trend(["區塊鏈"])`` counts 区块链, ``trend(["５Ｇ"])`` counts 5G (see :func:`_simplified`).
        """
        terms = _terms(terms)
        editions = self._p.editions_held() if editions is None else check_editions(self._p, editions)
        forms = {term: _forms(term) for term in terms}
        cut = _tokenizer(tuple(sorted({form for term in terms for form in forms[term][1] if not _latin(form)})))
        rows = []
        for edition in editions:
            texts = [_simplified(text) for text in _printed(self._p, edition)]
            characters = sum(len(re.sub(r"\s", "", text)) for text in texts)
            tokens = [token for text in texts for token in cut(text)]
            for term in terms:
                concept, counted = forms[term]
                count = sum(_occurrences(form, texts, tokens) for form in counted) if texts else pd.NA
                rate = count / characters * RATE_PER if characters else float("nan")
                rows.append([term, concept, " | ".join(counted), edition, count, len(texts), characters, rate])
        frame = pd.DataFrame(rows, columns=COLUMNS).astype({"concept": TEXT, "count": "Int64", "edition": "int64",
                                                           "texts": "int64", "characters": "int64", "rate_per_10k": "float64"})
        return stable(frame)

    def concepts(self) -> pd.DataFrame:
        """The concept mapping (:func:`concepts`)."""
        return concepts()


def concepts() -> pd.DataFrame:
    """The concept mapping: ``concept`` (id), ``name_en``, ``forms`` (printed forms joined by "|"), ``note``.

    >>> concepts().set_index("concept").loc["ai", "forms"]
    '人工智能|AI'
    """
    return stable(pd.DataFrame(_concept_rows(), columns=["concept", "name_en", "forms", "note"]).replace("", pd.NA))


def _terms(terms: str | Iterable[str]) -> list[str]:
    """The terms as a list of non-empty strings; a clear error for anything else."""
    if not isinstance(terms, (str, Iterable)):
        raise QueryError(f"terms are a word or phrase, or a list of them, such as '5G' or ['5G', '人工智能']; got {terms!r}")
    terms = [terms] if isinstance(terms, str) else list(terms)
    for term in terms:
        if not isinstance(term, str) or not term.strip():
            raise QueryError(f"a term is a non-empty word or phrase such as '5G' or '人工智能'; got {term!r}")
    if not terms:
        raise QueryError("give at least one term, such as ['5G', '人工智能']")
    return terms


def _forms(term: str) -> tuple[str | None, list[str]]:
    """The concept a term names, and the printed forms to count (the term itself when it names none).

    >>> _forms("ai"), _forms("區塊鏈"), _forms("元宇宙")
    (('ai', ['人工智能', 'AI']), ('blockchain', ['区块链']), (None, ['元宇宙']))
    """
    wanted = _simplified(term.strip())
    key = wanted.casefold()
    for row in _concept_rows():
        forms = row["forms"].split("|")
        if key in {row["concept"].casefold(), row["name_en"].casefold()} | {form.casefold() for form in forms}:
            return row["concept"], forms
    return None, [wanted]


@lru_cache(maxsize=1)
def _concept_rows() -> tuple[dict[str, str], ...]:
    text = (resources.files(__package__) / CONCEPTS).read_text(encoding="utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def _printed(p: Package, edition: int) -> list[str]:
    """The edition's titles and headings as ISC printed them."""
    return p.events(edition)["title_zh"].tolist() + p.sections(edition)["heading_zh"].tolist()


def _latin(form: str) -> bool:
    return form.isascii()


def _occurrences(form: str, texts: list[str], tokens: list[str]) -> int:
    """A Latin-letter form as a whole word in the texts (any case); a Chinese form as a whole jieba token."""
    if _latin(form):
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(form)}(?![A-Za-z0-9])", re.IGNORECASE)
        return sum(len(pattern.findall(text)) for text in texts)
    return sum(token == form for token in tokens)


@lru_cache(maxsize=8)
def _tokenizer(forms: tuple[str, ...]):
    """A fresh jieba tokenizer with the user dictionary and ``forms`` added (one per distinct set of forms)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with resources.as_file(resources.files(__package__) / USER_DICTIONARY) as dictionary:
        tokenizer.load_userdict(str(dictionary))
    for form in forms:
        tokenizer.add_word(form, freq=1000)
    return lambda text: tokenizer.lcut(text, HMM=False)


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


FULL_WIDTH = {code: code - 0xFF01 + 0x21 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
"""Full-width ASCII (U+FF01–U+FF5E) to ASCII, and the ideographic space U+3000 to a space: NFKC for
these characters only, as the rest of NFKC would change Chinese text itself (⼈ to 人, ㈠ to (一))."""


def _simplified(text: str) -> str:
    """``text`` as counted: full-width letters, digits and signs in ASCII (:data:`FULL_WIDTH`),
    traditional characters in simplified ones.

    >>> _simplified("５Ｇ商用，互联网＋　區塊鏈")
    '5G商用,互联网+ 区块链'
    """
    return _converter().convert(text.translate(FULL_WIDTH))
