"""Count domain terms per edition over headlines, headings and summaries.

Chinese text (event titles, section headings) is normalised to simplified characters with OpenCC
and cut with a private ``jieba.Tokenizer`` that loads the package's user dictionary of domain
terms (十九大, 区块链, 工业互联网, 网络安全法…) and the queried terms, so the counts do not depend on
jieba's global state or on earlier calls. English text (titles, headings and summaries in
English) is searched for ASCII terms such as 5G or IPv6 as whole words. Counting is exact
matching of whole tokens, hence deterministic.

>>> counts = trend(["互联网", "5G"], editions=[2017])
>>> int(counts.loc["互联网", 2017]) > 0
True
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

from . import tables

USER_DICTIONARY = "resources/userdict.txt"


def trend(terms: list[str], editions: list[int] | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """Occurrences of each term per edition: rows are terms (as given), columns editions.

    Traditional-character terms are normalised too: ``trend(["區塊鏈"])`` counts 区块链.
    """
    editions = editions or tables.editions(path)["edition"].tolist()
    normalised = tuple(_simplified(term) for term in terms)
    cut = _tokenizer(normalised)
    counts = {}
    for edition in editions:
        chinese, english = _texts(edition, path)
        tokens = [token for text in chinese for token in cut(_simplified(text))]
        counts[edition] = [_count(term, tokens, english) for term in normalised]
    frame = pd.DataFrame(counts, index=pd.Index(list(terms), name="term"))
    return frame.rename_axis(columns="edition")


def _texts(edition: int, path: str | Path | None) -> tuple[list[str], list[str]]:
    events = tables.events(edition, path=path)
    sections = tables.sections(edition, path=path)
    chinese = events["title_zh"].tolist() + sections["heading_zh"].tolist()
    english = events["title_en"].tolist() + events["summary_en"].dropna().tolist() + sections["heading_en"].tolist()
    return chinese, english


def _count(term: str, tokens: list[str], english: list[str]) -> int:
    count = sum(token == term for token in tokens)
    if term.isascii():
        pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(term)}(?![A-Za-z0-9])", re.IGNORECASE)
        count += sum(len(pattern.findall(text)) for text in english)
    return count


@lru_cache(maxsize=8)
def _tokenizer(terms: tuple[str, ...]):
    """A fresh jieba tokenizer with the user dictionary and ``terms`` added (one per distinct term set)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with resources.as_file(resources.files(__package__) / USER_DICTIONARY) as dictionary:
        tokenizer.load_userdict(str(dictionary))
    for term in terms:
        tokenizer.add_word(term, freq=1000)
    return lambda text: tokenizer.lcut(text, HMM=False)


@lru_cache(maxsize=1)
def _converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def _simplified(text: str) -> str:
    return _converter().convert(text)
