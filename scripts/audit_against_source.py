"""Check the 2017 edition against its source text: every figure, heading, title and printed claim, and group rankings.

The source text (the full text of the 2017 edition) is not part of this repository; contributors
who have it pass its path. CI runs this script when the text lies beside the checkout, in
``../shared/seeds/``; the unit tests never need it.

    python scripts/audit_against_source.py ../shared/seeds/000_15c73210e1fd1c9a.txt

It prints one line per finding and exits 1 when there is any, 0 when every check passes. The
checks compare after removing white space (the text is extracted from a PDF, with line breaks
inside words) and reading the full-width ％ as %.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

import china_internet_trends as cit

EDITION = 2017
DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_15c73210e1fd1c9a.txt"


def squeezed(text: str) -> str:
    """The text as the checks compare it: no white space, the full-width ％ read as %.

    >>> squeezed("互联网 普及率\\n达到55.8％")
    '互联网普及率达到55.8%'
    """
    return re.sub(r"\s", "", text).replace("％", "%")


def missing_figures(figures: pd.DataFrame, text: str) -> list[str]:
    """Figures printed in digits whose value and unit are not in ``text`` (余/多 may stand between them).

    ``figures`` holds the indicators file as text, so a value is searched exactly as the file
    writes it (7.50 stays 7.50). Rows whose note says the figure is printed in words
    ("printed as …") are not searched.

    >>> rows = pd.DataFrame({"indicator_id": ["a", "b"], "value": ["7.72", "3"], "unit": ["亿", "%"], "note": ["", ""]})
    >>> missing_figures(rows, "网民规模达7.72亿")
    ['figure b: 3% is not in the source']
    """
    found = []
    for row in figures.itertuples():
        if "printed as" in row.note.lower():
            continue
        if not re.search(rf"(?<![0-9.]){re.escape(row.value)}[余多]?{re.escape(row.unit)}", text):
            found.append(f"figure {row.indicator_id}: {row.value}{row.unit} is not in the source")
    return found


def missing_names(p: cit.Package, text: str) -> list[str]:
    """Headings, event titles, document names, printed claims and forecast clauses of the edition that ``text`` lacks."""
    named = [("heading", name) for name in p.sections(EDITION)["heading_zh"]]
    named += [("event title", name) for name in p.events(EDITION)["title_zh"]]
    named += [("document name", name) for name in p.milestones(EDITION)["name_zh"]]
    named += [("claim", name) for name in p.forecasts(EDITION)["claim_zh"]]
    if "forecast_clauses" in p.tables:
        named += [("clause", name) for name in p.load("forecast_clauses", EDITION)["clause_zh"]]
    return [f"{kind} not printed in the source: {name}" for kind, name in named
            if not isinstance(name, str) or squeezed(name) not in text]


NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NAME = "[^、，。；：]"
GROUPS = (
    # 在全球市值排名前十的互联网公司中，阿里、腾讯、百度、京东四家中国公司入列
    re.compile(f"前(?P<n>[一二三四五六七八九十]|[0-9]+)[^。，]*?中，(?P<members>(?:{_NAME}+、)+{_NAME}+?)"
               "(?:[一二两三四五六七八九十0-9]+家[^。，]*?)?入列"),
    # 2017年爱奇艺、腾讯视频、优酷视频月用户活跃度位居前三
    re.compile(f"(?P<members>(?:{_NAME}+、)+{_NAME}+?)位居前(?P<n>[一二三四五六七八九十]|[0-9]+)"),
)
"""A ranking printed as a group of members within the first N (DATA.md: each member has a rank row ``lte`` N)."""


def group_ranks(p: cit.Package, text: str) -> list[str]:
    """Members of a group ranking in ``text`` (位居前三, 前十…入列) without their rank row: a figure of the
    edition with measure ``rank``, comparator ``lte`` and value N whose entity's Chinese name is the
    member as printed, or begins with it (阿里 for 阿里巴巴), or is inside it (2017年爱奇艺).

    >>> group_ranks(cit.open(), "在全球市值排名前十的互联网公司中，阿里、腾讯、网易三家入列。")
    ['group ranking 前十: no rank row lte 10 for 网易']
    """
    figures = p.indicators(EDITION)
    names = p.load("entities").set_index("entity_id")["name_zh"]
    ranked = figures[(figures["measure"] == "rank") & (figures["comparator"] == "lte")]
    held = [(float(row.value), str(names.get(row.entity_id, ""))) for row in ranked.itertuples()]
    found = []
    for pattern in GROUPS:
        for match in pattern.finditer(text):
            n = NUMERALS.get(match["n"]) or int(match["n"])
            for member in match["members"].split("、"):
                if not any(value == n and name and (name.startswith(member) or name in member) for value, name in held):
                    found.append(f"group ranking 前{match['n']}: no rank row lte {n} for {member}")
    return found


def long_claims(p: cit.Package) -> list[str]:
    """Printed claims longer than 40 characters: a claim_zh is the key phrase, not a paragraph."""
    claims = p.forecasts(EDITION)
    return [f"claim {row.forecast_id} is {len(row.claim_zh)} characters, more than a key phrase (40)"
            for row in claims.itertuples() if isinstance(row.claim_zh, str) and len(row.claim_zh) > 40]


def audit(p: cit.Package, source_text: str) -> list[str]:
    """Every finding of the audit of package ``p``'s 2017 edition against ``source_text``."""
    text = squeezed(source_text)
    return missing_figures(_as_written(p, "indicators"), text) + missing_names(p, text) + long_claims(p) + group_ranks(p, text)


def _as_written(p: cit.Package, table: str) -> pd.DataFrame:
    """The edition's file of ``table``, every cell as the text the file holds."""
    [path] = [path for path in p.resource(table).paths if f"/{EDITION}/" in path]
    return pd.read_csv(p.root / path, dtype=str, keep_default_na=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="the 2017 edition's full text")
    parser.add_argument("--package", type=Path, help="the package to audit (default: this checkout's)")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"error: the source text is not at {args.source}", file=sys.stderr)
        return 1
    findings = audit(cit.open(args.package), args.source.read_text(encoding="utf-8"))
    for finding in findings:
        print(finding)
    print(f"audit of the {EDITION} edition against {args.source.name}: {len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
