"""Why a file is not UTF-8 and what to do about it: its likely encoding, how sure that is, and how to convert it.

A CSV file of the package must be UTF-8. One that is not was most often saved by Excel: as GB18030/GBK
on simplified-Chinese Windows, as Big5/CP950 on traditional-Chinese Windows, as Windows-1252 on
Western Windows, or as UTF-16 ("Unicode Text"). Converting from the wrong one gives text that looks
like Chinese but is not (mojibake) and then validates, so :func:`advice` gives a command only when it
is sure, and otherwise lists the candidates with how each reads the file.

UTF-16 and UTF-32 are told by their byte-order mark or by where their NUL bytes fall; any other
encoding by charset-normalizer, which reads the file in each candidate encoding and measures how
messy the text comes out.

>>> print(advice("theme,name_zh\\nsecurity,网络安全\\n".encode("utf-16")))
the file is not UTF-8; it is UTF-16, as Excel saves "Unicode Text" (sure: it starts with the byte-order mark of UTF-16). Re-save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8) or convert it with: iconv -f UTF-16 -t UTF-8
>>> print(advice("网络安全".encode("utf-8")[:-1]))
the file ends in the middle of a character: it looks cut off; restore the whole file
"""

from __future__ import annotations

import codecs
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from charset_normalizer import CharsetMatch

NOT_UTF8 = "the file is not UTF-8; "
RESAVE = 'Re-save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8)'
CUT_OFF = "the file ends in the middle of a character: it looks cut off; restore the whole file"

CLOSE, FAR = 0.05, 0.1
"""When the next best reading's mess (charset-normalizer's share of odd characters, 0 to 1) is within
``CLOSE`` of the cleanest one's, the encoding is unclear; beyond ``FAR``, it is sure (between the
two, fairly sure). An unclear advice lists the readings within ``FAR`` of the cleanest."""
FEW_BYTES = 16
"""With fewer non-ASCII bytes than this (eight Chinese characters), the encoding is unclear."""
MAX_LISTED = 5
"""The most candidates an unclear advice lists."""

BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"), (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
"""Byte-order marks and the encoding they start (UTF-32's first: its little-endian mark starts with UTF-16's)."""
UNMARKED = (("UTF-32LE", 4, 3, 0), ("UTF-32BE", 4, 0, 3), ("UTF-16LE", 2, 1, 0), ("UTF-16BE", 2, 0, 1))
"""UTF-16 and UTF-32 without a mark: the encoding, its code unit in bytes, the offset in a unit of a
byte that is NUL in every ASCII character (a comma, a digit, a line break), and of one that rarely is."""
MANY_NULS, FEW_NULS = 0.1, 0.02
"""The share of a unit's bytes at one offset that are NUL for the data to be taken as UTF-16 or
UTF-32: at least the first at the offset ASCII leaves NUL, at most the second at the other."""

NAMES = {
    **dict.fromkeys(("gb18030", "gbk", "gb2312"), ("GB18030", "GBK, simplified Chinese, as Excel saves it on Chinese Windows")),
    **dict.fromkeys(("big5", "cp950"), ("CP950", "Big5, traditional Chinese")),
    "big5hkscs": ("BIG5-HKSCS", "Big5 with Hong Kong characters, traditional Chinese"),
    **dict.fromkeys(("cp932", "shift_jis"), ("CP932", "Shift-JIS, Japanese")),
    **dict.fromkeys(("shift_jis_2004", "shift_jisx0213"), ("SHIFT_JISX0213", "Shift-JIS, Japanese")),
    "euc_jp": ("EUC-JP", "Japanese"),
    **dict.fromkeys(("euc_jis_2004", "euc_jisx0213"), ("EUC-JISX0213", "EUC-JP, Japanese")),
    **dict.fromkeys(("cp949", "euc_kr"), ("CP949", "EUC-KR, Korean")),
    **dict.fromkeys(("cp1252", "iso8859-1"), ("CP1252", "Windows-1252 or Latin-1, Western European")),
    **{f"utf-{bits}-{order}": (f"UTF-{bits}{order.upper()}", "Unicode") for bits in (16, 32) for order in ("le", "be")},
}
"""By Python codec name, iconv's name for the encodings most often met and what they are; any other
is named by its codec name upper-cased, as iconv mostly takes it."""


def advice(data: bytes) -> str:
    """Explain why ``data``, which does not decode as UTF-8, cannot be read, and how to fix it.

    >>> advice(b"name\\nM\\xfcller, J\\xfcrgen\\n")[:65]
    'the file is not UTF-8; its encoding is unclear (too little text t'
    """
    if _cut_off(data):
        return CUT_OFF
    wide = _utf16_or_32(data)
    if wide:
        return _unicode_advice(data, *wide)
    return _detected_advice(data)


def _cut_off(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 that ends in the middle of a character.

    >>> _cut_off("中国".encode("utf-8")[:-1]), _cut_off("中国".encode("gb18030"))
    (True, False)
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.reason == "unexpected end of data" and exc.end == len(data)
    return False


def _utf16_or_32(data: bytes) -> tuple[str, str] | None:
    """The UTF-16 or UTF-32 encoding ``data`` is in and what shows it, or None.

    >>> _utf16_or_32("a,b\\n1,2\\n".encode("utf-16-le"))
    ('UTF-16LE', 'every second byte is NUL where the text is ASCII, as in UTF-16LE')
    """
    for bom, name in BOMS:
        if data.startswith(bom) and _decodes(data, name):
            return name, f"it starts with the byte-order mark of {name}"
    for name, unit, ascii_nul, other in UNMARKED:
        if (len(data) % unit == 0 and _nul_share(data[ascii_nul::unit]) >= MANY_NULS
                and _nul_share(data[other::unit]) <= FEW_NULS and _decodes(data, name)):
            return name, f"every {'second' if unit == 2 else 'fourth'} byte is NUL where the text is ASCII, as in {name}"
    return None


def _nul_share(part: bytes) -> float:
    """The share of NUL bytes in ``part``.

    >>> _nul_share(b"a\\0b\\0")
    0.5
    """
    return part.count(0) / len(part) if part else 0.0


def _decodes(data: bytes, name: str) -> bool:
    """Whether ``data`` decodes in the encoding ``name``."""
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return False
    return True


def _unicode_advice(data: bytes, name: str, evidence: str) -> str:
    """Advice for a UTF-16 or UTF-32 file; one whose columns are separated by tabs (Excel's "Unicode
    Text" is) must be re-saved, not converted.

    >>> print(_unicode_advice("a\\tb\\n".encode("utf-16"), "UTF-16", "it starts with the byte-order mark of UTF-16"))
    the file is not UTF-8; it is UTF-16, as Excel saves "Unicode Text" (sure: it starts with the byte-order mark of UTF-16), and its columns are separated by tabs, not commas: Re-save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8)
    """
    excel = ', as Excel saves "Unicode Text"' if name in ("UTF-16", "UTF-16LE") else ""
    header = data.decode(name).lstrip("\ufeff").partition("\n")[0]
    if "\t" in header and "," not in header:
        return f"{NOT_UTF8}it is {name}{excel} (sure: {evidence}), and its columns are separated by tabs, not commas: {RESAVE}"
    return f"{NOT_UTF8}it is {name}{excel} (sure: {evidence}). {RESAVE} or convert it with: iconv -f {name} -t UTF-8"


def _detected_advice(data: bytes) -> str:
    """Advice from charset-normalizer's readings of ``data``: one encoding and an iconv command when
    its reading is clearly the cleanest and the file has enough non-ASCII text to tell; otherwise the
    candidates, each with how it reads the file."""
    from charset_normalizer import from_bytes

    readings = list(from_bytes(data))
    if not readings:
        return f"{NOT_UTF8}no common encoding reads it as text (is it a CSV file?). {RESAVE} from the program that made it"
    best, others = readings[0], sorted(readings[1:], key=lambda reading: reading.chaos)
    few = len(data.translate(None, bytes(range(128)))) < FEW_BYTES
    winner = None if few else _common_winner([r for r in readings if r.chaos - best.chaos < CLOSE])
    if winner is not None:
        iconv, shown = _name(winner.encoding)
        runner = next(r for r in readings if r is not winner)
        return (f"{NOT_UTF8}it looks like {shown} (fairly sure: read so, its Chinese characters are the common ones of "
                f"that encoding; other readings, such as {_name(runner.encoding)[0]}, give rare characters or none). "
                f"{RESAVE} or convert it with: iconv -f {iconv} -t UTF-8")
    if few or (others and others[0].chaos - best.chaos < CLOSE):
        why = "too little text that is not ASCII to tell" if few else "several encodings read it about as cleanly"
        candidates = [r for r in readings if r.chaos - best.chaos <= FAR][:MAX_LISTED]
        texts = _excerpts([str(r) for r in candidates])
        listed = "; ".join(f'{_name(r.encoding)[1]}, which reads "{text}"' for r, text in zip(candidates, texts))
        return (f"{NOT_UTF8}its encoding is unclear ({why}): it may be {listed}. {RESAVE} from the program that made it, "
                "or find out which of these reads right and convert it with: iconv -f <that encoding> -t UTF-8")
    iconv, shown = _name(best.encoding)
    return f"{NOT_UTF8}it looks like {shown} ({_sureness(best, others)}). {RESAVE} or convert it with: iconv -f {iconv} -t UTF-8"


COMMON = {
    **dict.fromkeys(("gb18030", "gbk", "gb2312"), ("gb2312", 0xB0, 0xD7)),
    **dict.fromkeys(("big5", "cp950", "big5hkscs"), ("big5", 0xA4, 0xC6)),
    **dict.fromkeys(("euc_jp", "euc_jis_2004", "euc_jisx0213", "shift_jis", "cp932", "shift_jis_2004"), ("euc_jp", 0xB0, 0xCF)),
}
"""For each CJK encoding, the character set whose first level holds its most common characters and
the lead bytes of that level: GB2312's 3,755 most common hanzi, Big5's 5,401 common ones, JIS X 0208's level 1."""
COMMON_SHARE, COMMON_LEAD = 0.9, 0.15
"""A CJK reading wins a close call when at least this share of its characters are common, and that
share leads every close reading's by this much."""


def _common_share(reading: CharsetMatch) -> float:
    """The share of the reading's CJK ideographs that are among its encoding's common ones (0 without any or outside CJK).

    >>> _common_share_of("网络安全与规划", "gb18030"), _common_share_of("忽社媾待嚥号皿", "euc_jis_2004") < 0.9
    (1.0, True)
    """
    return _common_share_of(str(reading), codecs.lookup(reading.encoding).name)


def _common_share_of(text: str, codec: str) -> float:
    family = COMMON.get(codecs.lookup(codec).name.replace("-", "_"))
    ideographs = [char for char in text if "\u4e00" <= char <= "\u9fff"]
    if family is None or not ideographs:
        return 0.0
    charset, low, high = family
    return sum(low <= char.encode(charset, "replace")[0] <= high for char in ideographs) / len(ideographs)


def _common_winner(close: list[CharsetMatch]) -> CharsetMatch | None:
    """Among readings about as clean as each other, the CJK reading of mostly common characters whose
    share of them clearly leads every other's; None when there is no such reading (or only one reading)."""
    if len(close) < 2:
        return None
    shares = sorted(((_common_share(reading), index) for index, reading in enumerate(close)), reverse=True)
    (first, index), (second, _) = shares[0], shares[1]
    return close[index] if first >= COMMON_SHARE and first - second >= COMMON_LEAD else None


def _sureness(best: CharsetMatch, others: list[CharsetMatch]) -> str:
    """How sure the reading ``best`` is, against the next best of ``others`` (sorted by mess).

    >>> from types import SimpleNamespace as Reading
    >>> _sureness(Reading(encoding="big5", chaos=0.0), [Reading(encoding="iso8859_13", chaos=0.07)])
    'fairly sure: read as CP950, 0% of the text looks garbled; as ISO8859-13, the next best, 7%'
    """
    if not others:
        return "sure: no other common encoding reads it as text"
    sure = "sure" if others[0].chaos - best.chaos > FAR else "fairly sure"
    return (f"{sure}: read as {_name(best.encoding)[0]}, {best.chaos:.0%} of the text looks garbled; "
            f"as {_name(others[0].encoding)[0]}, the next best, {others[0].chaos:.0%}")


def _name(codec: str) -> tuple[str, str]:
    """iconv's name for a Python codec, and the name to show.

    >>> _name("big5"), _name("iso8859_10")
    (('CP950', 'CP950 (Big5, traditional Chinese)'), ('ISO8859-10', 'ISO8859-10'))
    """
    name = codecs.lookup(codec).name
    iconv, what = NAMES.get(name, (name.upper().replace("_", "-"), ""))
    return iconv, f"{iconv} ({what})" if what else iconv


def _excerpts(texts: list[str]) -> list[str]:
    """Each reading on one line around the first character where the readings differ (for one
    reading, its first non-ASCII character).

    >>> _excerpts(["price: 5 \\u20ac each", "price: 5 \\u0080 each"])
    ['price: 5 € each', 'price: 5 \\x80 each']
    """
    if len(texts) > 1:
        start = len(os.path.commonprefix(texts))
    else:
        start = next((i for i, char in enumerate(texts[0]) if not char.isascii()), 0)
    return [" ".join(text[max(start - 12, 0):start + 24].split()) for text in texts]
