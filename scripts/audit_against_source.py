"""Check the 2017 edition against its source text: every figure, heading, title and printed claim.

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
    """Headings, event titles, document names and printed claims of the edition that ``text`` lacks."""
    named = [("heading", name) for name in p.sections(EDITION)["heading_zh"]]
    named += [("event title", name) for name in p.events(EDITION)["title_zh"]]
    named += [("document name", name) for name in p.milestones(EDITION)["name_zh"]]
    named += [("claim", name) for name in p.forecasts(EDITION)["claim_zh"]]
    return [f"{kind} not printed in the source: {name}" for kind, name in named
            if not isinstance(name, str) or squeezed(name) not in text]


def long_claims(p: cit.Package) -> list[str]:
    """Printed claims longer than 40 characters: a claim_zh is the key phrase, not a paragraph."""
    claims = p.forecasts(EDITION)
    return [f"claim {row.forecast_id} is {len(row.claim_zh)} characters, more than a key phrase (40)"
            for row in claims.itertuples() if isinstance(row.claim_zh, str) and len(row.claim_zh) > 40]


def audit(p: cit.Package, source_text: str) -> list[str]:
    """Every finding of the audit of package ``p``'s 2017 edition against ``source_text``."""
    text = squeezed(source_text)
    return missing_figures(_as_written(p, "indicators"), text) + missing_names(p, text) + long_claims(p)


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
