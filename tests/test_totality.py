"""Every comparison, for every pair of editions, in every package: the answers, not only no exception.

Three kinds of package are walked: the shipped one (all 42 ordered pairs of its seven editions), a
copy with an edition just made by ``new-edition`` (no rows, no ``editions`` row yet), and synthetic
packages drawn by hypothesis with random holdings (none, some or all ten events, ranked or not,
chapters, forecasts, figures). For each pair, every compare function, ``scorecard``, ``keywords``
and the CLI commands are checked against answers worked out here from the raw CSV rows, with the
rules stated in the issue: a side that holds nothing of a part gives ``<NA>``, never 0; a theme is
gained or dropped only against a side that holds all ten events; growth is empty where the figures
are not like for like; coverage columns repeat what ``editions`` says.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import math
import re
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings

import china_internet_trends as cit
from china_internet_trends import cli, compare
from china_internet_trends.dtypes import TEXT
from china_internet_trends.edition import scaffold
from china_internet_trends.package import opened
from conftest import ROOT, examples, read_rows
from synthetic import Holding, build, holdings

ALLOWED_DTYPES = {"float64", "Int64", "int64", "datetime64[ns]", "bool", "boolean"}


class Raw:
    """The package's rows as plain dicts, read with the csv module: the oracle the library is checked against."""

    def __init__(self, root: Path):
        descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
        self.rows = {}
        folders = set()
        for res in descriptor["resources"]:
            paths = res["path"] if isinstance(res["path"], list) else [res["path"]]
            self.rows[res["name"]] = [row for rel in paths for row in read_rows(root / rel)]
            folders |= {int(m.group(1)) for rel in paths if (m := re.match(r"datasets/(\d{4})/", rel))}
        self.editions = {int(r["edition"]): r for r in self.rows["editions"]}
        self.known = sorted(set(self.editions) | folders)
        self.scale = {r["unit"]: float(r["scale"]) for r in self.rows["units"]}
        self.base_unit = {r["unit"]: r["base_unit"] for r in self.rows["units"]}

    def of(self, table: str, edition: int) -> list[dict[str, str]]:
        return [r for r in self.rows[table] if int(r["edition"]) == edition]

    def events_found(self, edition: int):
        return int(self.editions[edition]["events_found"]) if edition in self.editions else pd.NA

    def complete(self, edition: int, part: str) -> bool:
        row = self.editions.get(edition)
        if row is None:
            return False
        if part == "events":
            return row["events_found"] == "10" and len(self.of("events", edition)) == 10
        return row[f"{part}_coverage"] == "full"


def is_na(value) -> bool:
    return value is pd.NA or (isinstance(value, float) and math.isnan(value))


def check_events(raw: Raw, root: Path, a: int, b: int) -> None:
    side = opened(root).compare.events(a, b)
    for edition in (a, b):
        held = raw.of("events", edition)
        assert set(side[f"event_id_{edition}"].dropna()) == {r["event_id"] for r in held}
        rank_of = {r["event_id"]: int(r["rank"]) if r["rank"] else None for r in held}
        for event_id, rank in zip(side[f"event_id_{edition}"], side["rank"]):
            if not is_na(event_id):
                assert (None if is_na(rank) else int(rank)) == rank_of[event_id]
        found = side[f"events_found_{edition}"].unique().tolist()
        assert all(is_na(v) for v in found) if is_na(raw.events_found(edition)) else found in ([raw.events_found(edition)], [])
    unranked = side["rank"].isna()
    assert not (side.loc[unranked, f"event_id_{a}"].notna() & side.loc[unranked, f"event_id_{b}"].notna()).any()


def expected_shifts(raw: Raw, a: int, b: int) -> dict[str, tuple]:
    held = {e: raw.of("events", e) for e in (a, b)}
    count = {e: (lambda theme, e=e: sum(r["theme"] == theme for r in held[e]) if held[e] else None) for e in (a, b)}
    result = {}
    for theme in {r["theme"] for e in (a, b) for r in held[e]}:
        in_a, in_b = count[a](theme), count[b](theme)
        status = None
        if in_a and in_b:
            status = "persisting"
        elif in_a == 0 and in_b and raw.complete(a, "events"):
            status = "gained"
        elif in_b == 0 and in_a and raw.complete(b, "events"):
            status = "dropped"
        result[theme] = (in_a, in_b, status)
    return result


def check_theme_shifts(raw: Raw, root: Path, a: int, b: int) -> None:
    shifts = opened(root).compare.theme_shifts(a, b).set_index("theme")
    expected = expected_shifts(raw, a, b)
    assert set(shifts.index) == set(expected)
    for theme, (in_a, in_b, status) in expected.items():
        row = shifts.loc[theme]
        for edition, count in ((a, in_a), (b, in_b)):
            assert (is_na(row[f"events_{edition}"]) if count is None else row[f"events_{edition}"] == count), (theme, edition)
        assert (is_na(row["status"]) if status is None else row["status"] == status), theme
        assert is_na(row["caveat"]) == (status is not None), theme
        for edition in (a, b):
            assert is_na(row[f"events_found_{edition}"]) if is_na(raw.events_found(edition)) else row[f"events_found_{edition}"] == raw.events_found(edition)


def side_figures(raw: Raw, side) -> list[dict[str, str]]:
    if side == "observations":
        return [r for r in raw.rows["observations"]]
    return [r for r in raw.of("indicators", side) if r["series_id"] and r["measure"] != "target"]


def check_indicators(raw: Raw, root: Path, a, b) -> None:
    matched = opened(root).compare.indicators(a, b)
    figures = {side: side_figures(raw, side) for side in (a, b)}
    by_id = {r.get("indicator_id") or r.get("observation_id"): r for side in (a, b) for r in figures[side]}
    assert set(matched["series_id"]) == {r["series_id"] for r in figures[a]} | {r["series_id"] for r in figures[b]}
    for _, row in matched.iterrows():
        for side in (a, b):
            candidates = [r for r in figures[side] if r["series_id"] == row.series_id]
            if not candidates:
                assert is_na(row[f"row_id_{side}"]) and not is_na(row["caveat"])
                continue
            latest = max(candidates, key=lambda r: (r["period_end"], r.get("indicator_id") or r.get("observation_id")))
            assert row[f"row_id_{side}"] == (latest.get("indicator_id") or latest.get("observation_id"))
            assert row[f"figures_{side}"] == len(figures[side])
            coverage = pd.NA if side == "observations" else raw.editions.get(side, {}).get("review_coverage", pd.NA)
            assert is_na(row[f"review_coverage_{side}"]) if is_na(coverage) else row[f"review_coverage_{side}"] == coverage
        if is_na(row["caveat"]):
            first, second = by_id[row[f"row_id_{a}"]], by_id[row[f"row_id_{b}"]]
            base_a = float(first["value"]) * raw.scale[first["unit"]]
            base_b = float(second["value"]) * raw.scale[second["unit"]]
            assert row.change == pytest.approx(base_b - base_a)
            if raw.base_unit[first["unit"]] in ("percent", "percentage_points"):  # a share changes in points, not by growth
                assert row.change_pp == pytest.approx(base_b - base_a) and is_na(row.growth)
            else:
                assert row.growth == pytest.approx(base_b / base_a - 1) and is_na(row.change_pp)
        else:
            assert is_na(row.growth) and is_na(row.change) and is_na(row.change_pp)


def check_review_vs_trends(raw: Raw, root: Path, edition: int) -> None:
    table = opened(root).compare.review_vs_trends(edition).set_index("theme")
    sections = raw.of("sections", edition)
    parents = {r["parent_id"] for r in sections if r["parent_id"]}
    leaves = [r for r in sections if r["section_id"] not in parents]
    assert set(table.index) == {r["theme"] for r in leaves}
    for theme, row in table.iterrows():
        counts = {}
        for part in ("review", "trends"):
            held = any(r["part"] == part for r in sections)
            counts[part] = sum(r["part"] == part and r["theme"] == theme for r in leaves) if held else None
            assert is_na(row[part]) if counts[part] is None else row[part] == counts[part]
        review, trends = counts["review"], counts["trends"]
        expected = ("carried_on" if review and trends else "added" if review == 0 and trends and raw.complete(edition, "review")
                    else "dropped" if trends == 0 and review and raw.complete(edition, "trends") else None)
        assert is_na(row["status"]) if expected is None else row["status"] == expected


def check_themes(raw: Raw, root: Path) -> None:
    matrix = compare.themes(path=root)
    years = list(range(raw.known[0], raw.known[-1] + 1))
    assert matrix.columns.tolist() == [f"{kind}_{year}" for year in years for kind in ("count", "share")]
    for year in years:
        parts = {table: [r for r in raw.rows[table] if int(r["edition"]) == year] for table in ("events", "sections", "forecasts")}
        rows = [r for held in parts.values() for r in held]
        for theme in matrix.index:
            cell, share = matrix.loc[theme, f"count_{year}"], matrix.loc[theme, f"share_{year}"]
            count = sum(r["theme"] == theme for r in rows)
            unknown = not rows or (count == 0 and not all(parts.values()))  # a 0 where a part is not held is not a zero
            assert is_na(cell) if unknown else cell == count, (theme, year)
            assert is_na(share) if unknown else share == pytest.approx(count / len(rows)), (theme, year)


def check_scorecard(raw: Raw, root: Path, edition: int) -> None:
    card = opened(root).scorecard(edition)
    forecasts = raw.of("forecasts", edition)
    assert len(card.forecasts) == len(forecasts)
    counts = card.by_verdict.set_index("verdict")["forecasts"]
    if not forecasts:
        assert counts.isna().all()
    else:
        assert counts.sum() == len(forecasts)
    outcomes = raw.rows["outcomes"]
    for row in card.forecasts.itertuples():
        judged = sorted((o["as_of"], o["outcome_id"], o["verdict"]) for o in outcomes if o["forecast_id"] == row.forecast_id)
        assert row.verdict == (judged[-1][2] if judged else "not_judged")


def check_keywords(raw: Raw, root: Path, editions: list[int]) -> pd.DataFrame:
    counts = cit.keywords.trend(["AI", "5G", "区块链"], editions=editions, path=root)
    for row in counts.itertuples():
        printed = [r["title_zh"] for r in raw.of("events", row.edition)] + [r["heading_zh"] for r in raw.of("sections", row.edition)]
        assert row.texts == len(printed)
        assert row.characters == sum(len(re.sub(r"\s", "", t)) for t in printed)
        assert is_na(row.count) == (not printed) and is_na(row.rate_per_10k) == (not printed)
        if row.term == "5G" and printed:
            assert row.count == sum(len(re.findall(r"(?<![A-Za-z0-9])5G(?![A-Za-z0-9])", t, re.IGNORECASE)) for t in printed)
    return counts


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def events_heading(raw: Raw, edition: int) -> str:
    if edition not in raw.editions:
        return f"no events of {edition} (the edition is not yet registered in editions.csv)"
    held = raw.of("events", edition)
    if not held:
        return f"none of the ten events of {edition} (not held)"
    return f"the ten events of {edition}" if raw.complete(edition, "events") else f"{len(held)} of the ten events of {edition} ("


def check_cli(raw: Raw, root: Path, a: int, b: int) -> None:
    code, out, err = run("--package", str(root), "compare", str(a), str(b))
    assert code == 0, err
    for edition in (a, b):
        assert events_heading(raw, edition) in out


def check_everything(root: Path, editions: list[int] | None = None, with_cli: bool = True) -> None:
    """Every check on every ordered pair of ``editions`` (default: every edition of the package)."""
    raw = Raw(root)
    editions = editions or raw.known
    for a, b in itertools.permutations(editions, 2):
        check_events(raw, root, a, b)
        check_theme_shifts(raw, root, a, b)
        check_indicators(raw, root, a, b)
        if with_cli:
            check_cli(raw, root, a, b)
    for edition in editions:
        check_review_vs_trends(raw, root, edition)
        check_scorecard(raw, root, edition)
        check_indicators(raw, root, edition, "observations")
        check_indicators(raw, root, "observations", edition)
    check_themes(raw, root)
    check_keywords(raw, root, editions)


def test_every_pair_of_the_shipped_package():
    check_everything(ROOT)


def test_every_pair_with_an_edition_just_made_by_new_edition(package_copy: Path):
    scaffold(2031, package_copy)
    check_everything(package_copy)
    code, out, _ = run("--package", str(package_copy), "scorecard", "2031")
    assert code == 0 and "0 forecasts of the 2031 edition" in out and "not yet registered" in out
    code, out, _ = run("--package", str(package_copy), "events", "2031")
    assert code == 0 and "not yet registered in editions.csv" in out


@settings(max_examples=examples(40))
@given(holdings())
def test_every_pair_of_synthetic_packages_with_random_holdings(drawn: list[Holding]):
    with tempfile.TemporaryDirectory() as folder:
        root = build(Path(folder) / "package", drawn)
        check_everything(root, editions=[2017] + [h.edition for h in drawn], with_cli=False)
        counts = cit.keywords.trend(["AI", "区块链"], editions=[h.edition for h in drawn], path=root).set_index(["term", "edition"])
        for holding in drawn:
            printed = len(holding.events) + len(holding.review) + len(holding.trends)
            for term, expected in (("AI", len(holding.events)), ("区块链", len(holding.review) + len(holding.trends))):
                cell = counts.loc[(term, holding.edition), "count"]
                assert is_na(cell) if not printed else cell == expected


def test_a_synthetic_package_is_valid(tmp_path: Path):
    """The builder writes what validate accepts, so the walks above run on packages a contributor could ship."""
    drawn = [Holding(2040, events=tuple((r, "security") for r in range(1, 11)), review=("strategy",), review_full=True,
                     forecasts=(("security", "fulfilled", "将"), ("strategy", "cannot_be_judged", "或将")), figures=(("users_4g", 9.0),)),
             Holding(2041, events=((None, "fintech"), (None, "security")), trends=("security",)),
             Holding(2042, registered=False)]
    report = cit.validate(path=build(tmp_path / "package", drawn))
    assert report.valid, str(report)


def test_cli_commands_that_take_editions_answer_for_every_edition():
    raw = Raw(ROOT)
    for edition in raw.known:
        for command in (["events", str(edition)], ["scorecard", str(edition)], ["keywords", "5G", "人工智能"]):
            code, out, err = run(*command)
            assert code == 0 and "Traceback" not in out + err, (command, err)
        assert events_heading(raw, edition)[0:10].lower() in run("events", str(edition))[1].lower()


def test_cli_compares_every_edition_with_the_observations():
    raw = Raw(ROOT)
    for edition in raw.known:
        for args in (["compare", str(edition), "observations"], ["compare", "observations", str(edition)]):
            code, out, err = run(*args)
            assert code == 0, err
            matched = compare.indicators(*[a if a == "observations" else int(a) for a in args[1:]])
            assert ("(no series reported by both)" in out) == matched.empty
            # The terminal folds a long series id in a narrow column; csv holds each one whole.
            code, as_csv, err = run(*args, "--format", "csv")
            assert code == 0, err
            assert pd.read_csv(io.StringIO(as_csv), dtype=str)["series_id"].tolist() == matched["series_id"].tolist()


@pytest.mark.parametrize("args, message", [
    (["compare", "2017", "2017"], "compare two different sides"),
    (["compare", "2017", "1999"], "edition 1999 is not in the package; it has 2013"),
    (["events", "1990"], "edition 1990 is not in the package"),
    (["scorecard", "2030"], "edition 2030 is not in the package"),
    (["compare", "observations", "observations"], "compare two different sides"),
])
def test_a_question_that_cannot_be_answered_is_one_clear_line_and_exit_one(args, message):
    code, out, err = run(*args)
    assert code == 1 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_library_errors_name_what_is_accepted():
    with pytest.raises(cit.UnknownEdition, match="it has 2013, 2014, 2015, 2016, 2017, 2018, 2022"):
        compare.events(2017, 2019)
    with pytest.raises(TypeError, match="such as 2017"):
        compare.theme_shifts("2016", 2017)
    with pytest.raises(cit.QueryError, match="parts must be one or more of"):
        compare.themes(parts=["headlines"])
    with pytest.raises(cit.QueryError, match="non-empty"):
        cit.keywords.trend([""])


def column_dtypes(frame: pd.DataFrame, *editions: int) -> dict[str, str]:
    """Column → dtype name, with edition numbers in column names replaced by A and B."""
    names = {}
    for column, dtype in frame.dtypes.items():
        name = str(column)
        for letter, edition in zip("AB", editions):
            name = name.replace(f"_{edition}", f"_{letter}")
        names[name] = "string" if dtype == TEXT else str(dtype)
    return names


def test_every_answer_has_the_same_dtypes_for_every_pair():
    raw = Raw(ROOT)
    reference = {}
    for a, b in itertools.permutations(raw.known, 2):
        answers = {"events": compare.events(a, b), "theme_shifts": compare.theme_shifts(a, b),
                   "indicators": compare.indicators(a, b), "observations": compare.indicators(a, "observations")}
        for name, frame in answers.items():
            dtypes = column_dtypes(frame, a, b)
            assert set(dtypes.values()) <= ALLOWED_DTYPES | {"string"}, (name, dtypes)
            assert reference.setdefault(name, dtypes) == dtypes, (name, a, b)
    for edition in raw.known:
        for name, frame in {"review_vs_trends": compare.review_vs_trends(edition), "scorecard": cit.scorecard(edition).forecasts,
                            "by_verdict": cit.scorecard(edition).by_verdict, "by_theme": cit.scorecard(edition).by_theme,
                            "coverage": cit.coverage([edition])}.items():
            dtypes = column_dtypes(frame, edition)
            assert set(dtypes.values()) <= ALLOWED_DTYPES | {"string"}, (name, dtypes)
            assert reference.setdefault(name, dtypes) == dtypes, (name, edition)
