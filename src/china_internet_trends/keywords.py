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

**Rising terms.** :func:`rising` finds the terms for an analyst who does not know which to ask
for: it cuts both editions' printed text with the same tokenizer (the glossary's Chinese terms
added), keeps domain terms and other words (see :func:`_kept`), and ranks the terms whose rate per
10,000 characters rose by an exact test of the rise (:func:`_rise_p_value`). A text of fewer than
:data:`MIN_CHARACTERS` characters is flagged ``too_small`` and never shows a rise.
"""

from __future__ import annotations

import csv
import io
import logging
import math
import numbers
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .dtypes import TEXT, stable
from .errors import QueryError
from .holdings import check_edition, check_editions
from .package import opened

if TYPE_CHECKING:
    from .package import Package

USER_DICTIONARY = "resources/userdict.txt"
CONCEPTS = "resources/concepts.csv"
RATE_PER = 10_000
COLUMNS = ["term", "concept", "forms", "edition", "count", "texts", "characters", "rate_per_10k"]
MIN_CHARACTERS = 1_000
"""Below this many printed characters (without spaces) a text is ``too_small`` for :func:`rising`.
One occurrence of a term in 1,000 characters is already 10 per 10,000, and one heading more or less
moves a rate by more than the differences worth reporting; an edition ISC printed whole, its ten
events and every heading (2017: 72 texts, 1,258 characters), passes, a fragment does not (2016:
267 characters, 2014: 155, 2022: 60)."""
ALPHA = 0.05
"""A rise is significant (``rise``) when its one-sided p-value is below this, unadjusted for the
number of terms ranked: of 20 terms that did not change, one may pass by chance."""
CHINESE_STOP_WORDS = frozenset("""
以及 并且 而且 或者 但是 然而 因此 所以 因为 由于 如果 虽然 不但 不仅 还是
对于 关于 通过 随着 根据 按照 为了 作为 除了 其中 之一 之间 以来 以上 以下
我们 我国 他们 这些 那些 这个 那个 这样 一个 一些 一切 各种 各类 有关 相关 其他
已经 正在 将要 更加 进一步 不断 继续 依然 仍然 逐步 日益 越来越 十分 非常 特别
可以 能够 应该 应当 需要 必须 可能 有望 成为
""".split())
"""Chinese function words of two or more characters (conjunctions, prepositions, pronouns, adverbs,
modal verbs), from the common Chinese stop lists; shorter tokens are not kept anyway (:func:`_kept`).
jieba's own stop list (``jieba.analyse``) is English only, and is used for Latin tokens."""


def trend(terms: str | Iterable[str], editions: Iterable[int] | None = None, *, path: str | Path | None = None) -> pd.DataFrame:
    """:meth:`Keywords.trend` on the package at ``path`` (keyword-only; default: the shipped one)."""
    return opened(path).keywords.trend(terms, editions)


def rising(a: int, b: int, top: int | None = 20, *, path: str | Path | None = None) -> pd.DataFrame:
    """:meth:`Keywords.rising` on the package at ``path`` (keyword-only; default: the shipped one)."""
    return opened(path).keywords.rising(a, b, top)


class Keywords:
    """Term counts of one opened package: ``p.keywords.trend(["5G"])``, ``p.keywords.rising(2016, 2017)``."""

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

    def rising(self, a: int, b: int, top: int | None = 20) -> pd.DataFrame:
        """The terms whose rate in ISC's printed titles and headings rose most surely from edition ``a`` to ``b``.

        Both editions' printed text (what :meth:`trend` counts) is cut into terms by :func:`_rising`;
        the ``top`` terms (``None``: every one) whose rate rose, or whose change cannot be told
        because a side holds no printed text, come first by ``p_value``, then by ``change_per_10k``,
        domain terms before others, then by term. Columns, suffixed by edition as in
        :mod:`~china_internet_trends.compare`: ``term``; ``domain`` (a glossary term or a word of the
        user dictionary); ``count_{a}``, ``count_{b}``; ``characters_{a}``, ``characters_{b}``;
        ``rate_per_10k_{a}``, ``rate_per_10k_{b}``; ``change_per_10k`` (b minus a); ``p_value`` (of the
        rise, :func:`_rise_p_value`); ``too_small`` (a side has fewer than :data:`MIN_CHARACTERS`
        characters); ``rise`` (``p_value`` below :data:`ALPHA` and not ``too_small``). A side that
        holds no printed text has empty counts, rates and p-values, never 0.
        ``frame.attrs["coverage"]`` gives each edition's ``texts`` and ``characters``.

        Raises :class:`~china_internet_trends.errors.UnknownEdition` for an edition the package
        lacks and :class:`~china_internet_trends.errors.QueryError` for the same edition twice.

        >>> rises = rising(2016, 2017, top=None).set_index("term")
        >>> rises.loc["工业互联网", ["count_2016", "count_2017", "characters_2016", "characters_2017"]].tolist()
        [0, 4, 267, 1258]
        >>> bool(rises.loc["工业互联网", "too_small"]), bool(rises["rise"].any())  # 2016 holds 13 headings
        (True, False)
        """
        a, b = check_edition(self._p, a), check_edition(self._p, b)
        if a == b:
            raise QueryError(f"compare two different editions; both are {a}")
        if top is not None and (isinstance(top, bool) or not isinstance(top, numbers.Integral)):
            raise TypeError(f"top is a whole number of terms, such as 20, or None for every term; got {top!r}")
        if top is not None and top < 1:
            raise QueryError(f"top is at least 1 term; got {top}")
        domain = tuple(sorted({_simplified(term) for term in self._p.glossary()["term_zh"]}))
        frame = _rising(_printed(self._p, a), _printed(self._p, b), (a, b), domain)
        return frame.head(top) if top is not None else frame

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


def _rising(texts_a: list[str], texts_b: list[str], editions: tuple[int, int], domain: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every term of the two editions' texts whose rate rose (or cannot be compared), ranked, as :meth:`Keywords.rising` returns.

    The texts are cut by the package's tokenizer with the ``domain`` terms added; a term is kept as
    :func:`_kept` says. Texts without a character (an empty list) are an edition whose printed text
    is not held.

    >>> ranked = _rising(["互联网" * 400], ["互联网" * 390 + "区块链" * 10], (2016, 2017)).set_index("term")
    >>> row = ranked.loc["区块链"]
    >>> int(row["count_2016"]), int(row["count_2017"]), round(float(row["rate_per_10k_2017"]), 1)  # 10 in 1,200 characters
    (0, 10, 83.3)
    >>> float(row["p_value"]) == 0.5 ** 10, bool(row["rise"])  # equal texts: each occurrence in either with probability 1/2
    (True, True)
    """
    cut = _tokenizer(domain)
    domain_terms = set(domain) | _user_words()
    counted: list[Counter | None] = []
    characters: list[int] = []
    for texts in (texts_a, texts_b):
        texts = [_simplified(text) for text in texts]
        characters.append(sum(len(re.sub(r"\s", "", text)) for text in texts))
        counted.append(Counter(token for text in texts for token in cut(text) if _kept(token, domain_terms)) if characters[-1] else None)
    terms = sorted(set().union(*(found for found in counted if found is not None)))
    rows = [_compared(term, counted, characters, term in domain_terms) for term in terms]
    a, b = editions
    columns = ["term", "domain", f"count_{a}", f"count_{b}", f"characters_{a}", f"characters_{b}",
               f"rate_per_10k_{a}", f"rate_per_10k_{b}", "change_per_10k", "p_value", "too_small", "rise"]
    frame = pd.DataFrame(rows, columns=columns).astype({"term": TEXT, "domain": "bool", f"count_{a}": "Int64", f"count_{b}": "Int64",
                                                       f"characters_{a}": "int64", f"characters_{b}": "int64", "change_per_10k": "float64",
                                                       f"rate_per_10k_{a}": "float64", f"rate_per_10k_{b}": "float64",
                                                       "p_value": "float64", "too_small": "bool", "rise": "bool"})
    frame = frame[~(frame["change_per_10k"] <= 0)]
    frame = frame.sort_values(["p_value", "change_per_10k", "domain", "term"], ascending=[True, False, False, True],
                              na_position="last", kind="stable").reset_index(drop=True)
    frame = stable(frame)
    frame.attrs["coverage"] = {edition: {"texts": len(texts), "characters": size}
                               for edition, texts, size in zip(editions, (texts_a, texts_b), characters)}
    return frame


def _compared(term: str, counted: list[Counter | None], characters: list[int], domain: bool) -> list:
    """One row of :func:`_rising`: the term's counts, sizes, rates, change, p-value and flags."""
    held = all(found is not None for found in counted)
    counts = [pd.NA if found is None else found[term] for found in counted]
    rates = [float("nan") if found is None else found[term] / size * RATE_PER for found, size in zip(counted, characters)]
    p_value = _rise_p_value(*counts, *characters) if held else float("nan")
    too_small = min(characters) < MIN_CHARACTERS
    return [term, domain, *counts, *characters, *rates, rates[1] - rates[0], p_value, too_small,
            held and p_value < ALPHA and not too_small]


def _rise_p_value(count_a: int, count_b: int, characters_a: int, characters_b: int) -> float:
    """How likely a rise at least as large is if the term's rate were the same in both texts: the exact
    one-sided conditional (binomial) test of two Poisson counts.

    Given the ``n = count_a + count_b`` occurrences, each falls in text b with probability
    ``characters_b / (characters_a + characters_b)`` under an unchanged rate; the p-value is the chance
    of ``count_b`` or more there. It is computed exactly, in whole numbers with :func:`math.comb`:
    scipy is not a dependency of the package, and the normal approximation (a two-proportion z-test)
    is wrong for the few occurrences a heading holds.

    >>> _rise_p_value(0, 30, 1000, 1000) == 0.5 ** 30, _rise_p_value(1, 2, 1000, 1000)
    (True, 0.5)
    """
    n, total = count_a + count_b, characters_a + characters_b
    tail = sum(math.comb(n, k) * characters_b ** k * characters_a ** (n - k) for k in range(count_b, n + 1))
    return tail / total ** n


def _kept(token: str, domain: set[str]) -> bool:
    """Whether a token is a term :func:`rising` ranks: a domain term (glossary, user dictionary); else
    a word of two or more Chinese characters not in :data:`CHINESE_STOP_WORDS`, or a Latin token of two
    or more letters, digits and signs with a letter, not in jieba's stop list. Punctuation, numbers and
    single characters (的, 将, 新) are not kept.

    >>> [token for token in ["网络安全", "5G", "更加", "将", "2017", "the", "，"] if _kept(token, {"网络安全"})]
    ['网络安全', '5G']
    """
    if token in domain:
        return True
    if re.fullmatch(r"[\u4e00-\u9fff]{2,}", token):
        return token not in CHINESE_STOP_WORDS
    latin = re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9+#&._%-]+", token) is not None and re.search("[A-Za-z]", token) is not None
    return latin and token.lower() not in _latin_stop_words()


@lru_cache(maxsize=1)
def _latin_stop_words() -> frozenset[str]:
    """jieba's stop list (``jieba.analyse``: English words such as "the", "and")."""
    from jieba.analyse.tfidf import KeywordExtractor

    return frozenset(KeywordExtractor.STOP_WORDS)


@lru_cache(maxsize=1)
def _user_words() -> frozenset[str]:
    """The words of the user dictionary (:data:`USER_DICTIONARY`), each line's first field."""
    text = (resources.files(__package__) / USER_DICTIONARY).read_text(encoding="utf-8")
    return frozenset(line.split()[0] for line in text.splitlines() if line.strip())


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
