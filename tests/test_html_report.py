"""The HTML report: one self-contained file that fits a phone and a wide screen, in either language.

The first tests read the page as text: what it needs from the network (nothing), where its links
point, its tables in boxes that scroll sideways, each chart's caption, the folded sources table,
the heatmap's "not held", the IPv6 target's date and the script that reads ``?lang=``. Their
expected values come from the package, not from the page.

The browser tests open the page in headless Chromium (Debian's ``chromium``; the README's test
command installs it and a CJK font when they are missing) through Playwright, with every request
other than the file itself refused. They check that no script of the page fails (the DevTools
protocol's own console noise and the tests' injected scripts are told apart from the page's own
errors), that every chart draws, that the zh/en switch changes the titles and keeps the address in
step, that Chinese text is drawn with a CJK font, and at 390 px and 1,400 px in each language
(``?lang=``) that the page never scrolls sideways, that no chart is wider than its column and that
``<html lang>`` follows. They are skipped only when no Chromium binary exists. Screenshots go to
the tests' temporary folder and, when ``CIT_SCREENSHOTS`` names a folder, are copied there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import china_internet_trends as cit
from china_internet_trends import report

CJK = re.compile(r"CJK|Han|Hei|Song|Ming|Kai|WenQuanYi|Droid Sans Fallback|PingFang|YaHei|Noto Sans SC|Source Han", re.IGNORECASE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report") / "report.html"
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "report", "--html", str(target)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"Wrote {target}" in result.stdout
    return target


@pytest.fixture(scope="module")
def html(page_file: Path) -> str:
    return page_file.read_text(encoding="utf-8")


def specs_of(html: str) -> dict[str, dict[str, Any]]:
    """Each chart's Vega-Lite specification by chart id and language, as the page's script holds them."""
    charts = json.loads(re.search(r"const charts = (\[.*?\]);\n", html).group(1))
    return {chart["id"]: {lang: json.loads(spec) for lang, spec in chart["specs"].items()} for chart in charts}


def figures_of(html: str) -> dict[str, str]:
    """Each chart's ``<figure>`` by its id, in the page's order."""
    return dict(re.findall(r'<figure class="chart" id="([^"]+)">(.*?)</figure>', html, re.DOTALL))


def rows_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [row for dataset in spec.get("datasets", {}).values() for row in dataset]


def test_the_page_needs_nothing_from_the_network(html: str):
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=\"?https?:", html)
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert "window.vegaEmbed" in html


def test_every_source_link_points_at_a_source_row(html: str):
    rows = set(re.findall(r'<tr id="src-([a-z0-9-]+)"', html))
    links = set(re.findall(r'href="#src-([a-z0-9-]+)"', html))
    points = {row["href"].removeprefix("#src-") for chart in specs_of(html).values() for spec in chart.values()
              for row in rows_of(spec) if row.get("href")}
    assert links and points
    assert links | points <= rows


def test_no_link_leaves_for_anything_but_a_web_address(html: str):
    """Every address in an attribute, and every point's link in the charts, is in the page or http(s): no ``javascript:``."""
    markup = re.sub(r"<script>.*?</script>", "", html, flags=re.DOTALL)
    addresses = re.findall(r'\s(?:href|src|action|formaction|xlink:href)\s*=\s*"([^"]*)"', markup, re.IGNORECASE)
    assert addresses and all(a.startswith("#") or re.match(r"https?://", a) for a in addresses), \
        [a for a in addresses if not (a.startswith("#") or re.match(r"https?://", a))]
    assert "javascript:" not in html.lower()
    assert all(row["href"].startswith("#src-") for chart in specs_of(html).values() for spec in chart.values()
               for row in rows_of(spec) if "href" in row)


def test_every_table_scrolls_inside_its_own_box(html: str):
    """On a phone a table wider than the screen scrolls inside its box; the page itself never scrolls sideways."""
    body = html[html.index("<body>"):]
    tables = re.findall(r"<table\b", body)
    assert len(tables) >= 5
    assert len(re.findall(r'<div class="table-wrap"><table\b', body)) == len(tables)
    assert re.search(r"\.table-wrap\s*{[^}]*overflow-x:\s*auto", html)
    cards = re.search(r'<table class="cards">(.*?)</table>', body, re.DOTALL).group(1)  # the forecasts: cards on a phone
    assert cards.count("<td") == cards.count(' data-zh="') == cards.count(' data-en="') == 6 * cards.count("<tr id=")


def test_charts_take_the_width_of_their_column(html: str):
    specs = specs_of(html)
    assert specs and all(spec["width"] == "container" for chart in specs.values() for spec in chart.values())
    assert re.search(r"\.chart \.vega-embed\s*{[^}]*width:\s*100%", html)
    assert re.search(r"\.chart svg\s*{[^}]*max-width:\s*100%", html)


def test_internet_users_are_charted_first_isc_against_cnnic(html: str):
    """The first chart is internet users: ISC's printed figures (orange) and its July reports' (purple)
    against CNNIC's series (green)."""
    users = cit.open().series("internet_users")
    assert set(users["origin"]) == {"edition", "publication", "observation"}
    first = next(iter(figures_of(html)))
    assert first == "chart-internet_users"
    drawn = Counter(row["origin_label"] for row in rows_of(specs_of(html)[first]["en"]))
    assert drawn == {"figure printed by ISC": int((users["origin"] == "edition").sum()),
                     "figure in ISC's July report": int((users["origin"] == "publication").sum()),
                     "official statistics": int((users["origin"] == "observation").sum())}


def test_each_series_chart_names_its_sources_and_latest_date(html: str):
    p = cit.open()
    figures = figures_of(html)
    known = set(p.sources()["source_id"])
    charted = [s for s in report.KEY_SERIES if s in set(p.series_table()["series_id"]) and not p.series(s).empty]
    assert charted and [f"chart-{s}" for s in charted] == list(figures)[:len(charted)]
    for series_id in charted:
        points = p.series(series_id)
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figures[f"chart-{series_id}"], re.DOTALL).group(1)
        named = re.findall(r'href="#src-([a-z0-9-]+)"', caption)
        assert set(points["source_id"]) & known <= set(named), series_id
        assert len(named) == len(set(named))
        latest = f"{points['period_end'].max():%Y-%m-%d}"
        assert f"Latest figure: {latest}." in caption and f"最新数据：{latest}。" in caption


def test_the_themes_chart_names_the_editions_it_counts(html: str):
    p = cit.open()
    counts = cit.compare.themes().filter(regex=r"^count_")
    held = [int(c.removeprefix("count_")) for c in counts.columns if counts[c].notna().any()]
    editions = p.editions().set_index("edition")
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figures_of(html)["chart-themes"], re.DOTALL).group(1)
    assert set(re.findall(r'href="#src-([a-z0-9-]+)"', caption)) == set(editions.reindex(held)["source_id"].dropna())
    latest = held[-1]
    assert f"Latest edition held: {latest}, released {editions.loc[latest, 'published']:%Y-%m-%d}." in caption


def test_captions_say_the_same_numbers_in_both_languages(html: str):
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html, re.DOTALL)
    pairs = [pair for caption in captions for pair in re.findall(r'<span lang="zh-Hans">(.*?)</span><span lang="en">(.*?)</span>', caption)]
    assert len(pairs) >= 2 * len(captions)
    for chinese, english in pairs:
        assert Counter(NUMBER.findall(chinese)) == Counter(NUMBER.findall(english)), (chinese, english)


def test_the_heatmap_says_not_held_where_the_package_holds_nothing(html: str):
    """A count the package cannot give is a grey cell called "not held" (未收录) in the legend, the tooltip and,
    for an edition held not at all, across its column; it is never drawn as a pale zero."""
    counts = cit.compare.themes().filter(regex=r"^count_")
    missing = {(theme, int(column.removeprefix("count_"))) for column in counts.columns for theme in counts.index
               if pd.isna(counts.loc[theme, column])}
    empty_columns = {int(c.removeprefix("count_")) for c in counts.columns if counts[c].isna().all()}
    assert missing and empty_columns
    names = cit.open().themes().set_index("theme")
    for lang, word in (("en", "not held"), ("zh", "未收录")):
        spec = specs_of(html)["chart-themes"][lang]
        by_theme = dict(zip(names[f"name_{lang}"], names.index, strict=True))
        cells = [row for row in rows_of(spec) if "held" in row]
        unheld = {(by_theme[row["theme_label"]], int(row["edition"])) for row in cells if not row["held"]}
        assert unheld == missing
        assert all(row["text"] == "" and row["status"] == word for row in cells if not row["held"])
        labelled = {int(row["edition"]) for row in rows_of(spec) if "held" not in row and "".join(row.get("text", "")) == word}
        assert labelled == empty_columns
        domains = [layer["encoding"]["color"].get("scale", {}).get("domain") for layer in spec["layer"] if "color" in layer.get("encoding", {})]
        assert [word] in domains


def test_the_ipv6_target_line_shows_its_target_date(html: str):
    targets = cit.open().forecasts().query("series_id == 'ipv6_active_users' and origin == 'policy_target' and value.notna()")
    year = int(targets.iloc[-1]["target_year"])
    for lang in ("zh", "en"):
        spec = specs_of(html)["chart-ipv6_active_users"][lang]
        goal = [row for row in rows_of(spec) if "label" in row]
        assert goal and {row["date"] for row in goal} == {f"{year}-12-31"}
        assert all(f"{year}-12-31" in row["label"] for row in goal)
        tooltips = [t for layer in spec["layer"] for t in layer.get("encoding", {}).get("tooltip", []) if t.get("field") == "date"]
        assert len(tooltips) == 2 and all(t["type"] == "temporal" and t["format"] == "%Y-%m-%d" for t in tooltips)


def test_the_sources_table_is_folded(html: str):
    folded = re.search(r'<details class="sources">(.*?)</details>', html, re.DOTALL)
    assert folded and "<summary>" in folded.group(1)
    assert len(re.findall(r'<tr id="src-', folded.group(1))) == len(cit.open().sources()) == len(re.findall(r'<tr id="src-', html))
    assert f"Show the {len(cit.open().sources())} sources" in folded.group(1)


def test_the_page_reads_its_language_from_the_address(html: str):
    """``?lang=zh`` or ``?lang=en`` chooses the language before the page is drawn; the switch rewrites the address."""
    head = html[:html.index("</head>")]
    assert 'new URLSearchParams(location.search).get("lang")' in head
    assert re.search(r'<html lang="en" data-lang="en">', html)
    assert "history.replaceState(" in html[html.index("</head>"):]


def test_an_existing_file_is_not_replaced_without_force(page_file: Path):
    before = page_file.read_bytes()
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "report", "--html", str(page_file)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "exists" in result.stderr and "Traceback" not in result.stderr
    assert page_file.read_bytes() == before


# The browser tests.


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        pytest.skip("no Chromium binary on PATH (apt-get install chromium fonts-noto-cjk; the README's test command does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=found, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder the screenshots go to; at the end they are copied to the folder ``CIT_SCREENSHOTS`` names, if any."""
    folder = tmp_path_factory.mktemp("screenshots")
    yield folder
    if os.environ.get("CIT_SCREENSHOTS"):
        target = Path(os.environ["CIT_SCREENSHOTS"])
        target.mkdir(parents=True, exist_ok=True)
        for shot in folder.glob("*.png"):
            shutil.copy(shot, target / shot.name)


@dataclass
class Opened:
    """A page open in Chromium, with the page's own console errors and warnings, and the requests refused.

    What the DevTools protocol reports is kept only when it comes from the page's file: the tests'
    injected scripts run with no address, and the protocol's own messages are not about the page."""

    page: Any
    url: str
    problems: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def own(self, address: str | None) -> bool:
        """Whether ``address`` is the page's file (its query and fragment aside)."""
        return bool(address) and re.split(r"[?#]", address)[0] == self.url

    def from_page(self, trace: dict[str, Any] | None) -> bool:
        """Whether a stack trace comes from the page's own scripts; one with no frame cannot be told apart, and counts."""
        frames = (trace or {}).get("callFrames", [])
        return not frames or any(self.own(frame.get("url")) for frame in frames)

    def console(self, event: dict[str, Any]) -> None:
        """``Runtime.consoleAPICalled``: an error, warning or failed assertion the page's scripts logged."""
        if event["type"] in ("error", "warning", "assert") and self.from_page(event.get("stackTrace")):
            self.problems.append(" ".join(str(arg.get("value", arg.get("description", ""))) for arg in event["args"]))

    def exception(self, event: dict[str, Any]) -> None:
        """``Runtime.exceptionThrown``: an exception no script of the page caught."""
        details = event["exceptionDetails"]
        if self.from_page(details.get("stackTrace")):
            self.problems.append(details.get("exception", {}).get("description", details["text"]))

    def log(self, event: dict[str, Any]) -> None:
        """``Log.entryAdded``: an error the browser reports about the page's file (one about another address is a refused request)."""
        entry = event["entry"]
        if entry["level"] == "error" and (not entry.get("url") or self.own(entry["url"])):
            self.problems.append(entry["text"])


@contextmanager
def opened(browser: Any, page_file: Path, width: int, query: str = "") -> Iterator[Opened]:
    """The page at ``width`` px (``query`` added to its address), offline, with its charts drawn and its
    own console problems collected (:class:`Opened`)."""
    context = browser.new_context(offline=True, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        state = Opened(page, page_file.as_uri())
        context.route(re.compile(r"^(?!file:)"), lambda route: (state.refused.append(route.request.url), route.abort()))
        session = context.new_cdp_session(page)
        session.on("Runtime.consoleAPICalled", state.console)
        session.on("Runtime.exceptionThrown", state.exception)
        session.on("Log.entryAdded", state.log)
        session.send("Runtime.enable")
        session.send("Log.enable")
        page.goto(state.url + query)
        wait_for_charts(page)
        yield state
    finally:
        context.close()


def wait_for_charts(page: Any) -> None:
    """Until every chart of the language shown has drawn its marks."""
    page.wait_for_function("""() => {
        const lang = document.documentElement.dataset.lang;
        return [...document.querySelectorAll(`.chart > div[id$="-${lang}"]`)].every(d => d.querySelector('svg .mark-symbol, svg .mark-rect'));
    }""", timeout=15_000)


LAYOUT = """() => {
    const charts = [...document.querySelectorAll('.chart')].map(figure => {
        const drawn = [...figure.querySelectorAll(':scope > div')].filter(d => d.offsetParent !== null).map(d => d.querySelector('svg'));
        return {id: figure.id, column: figure.clientWidth, widths: drawn.map(svg => svg.getBoundingClientRect().width)};
    });
    return {scroll: document.documentElement.scrollWidth, inner: innerWidth, lang: document.documentElement.lang,
            shown: document.documentElement.dataset.lang, charts,
            boxes: [...document.querySelectorAll('.table-wrap')].map(box => box.getBoundingClientRect().right)};
}"""

FONTS = """selector => {
    const style = getComputedStyle(document.querySelector(selector));
    const generic = ['serif', 'sans-serif', 'monospace', 'system-ui', 'cursive', 'fantasy', 'emoji', 'math', 'fangsong'];
    const families = style.fontFamily.split(',').map(f => f.trim().replace(/^["']|["']$/g, ''));
    const context = document.createElement('canvas').getContext('2d');
    const sample = '中国互联网 mmmmmWWWiiil 0123456789';
    const width = font => { context.font = font; return context.measureText(sample).width; };
    const installed = families.filter(f => !generic.includes(f))
        .filter(f => ['monospace', 'serif'].some(g => width(`40px "${f}", ${g}`) !== width(`40px ${g}`)));
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 64;
    const ink = canvas.getContext('2d', {willReadFrequently: true});
    const drawn = glyph => {
        ink.clearRect(0, 0, 64, 64);
        ink.font = `48px ${style.fontFamily}`;
        ink.fillText(glyph, 4, 52);
        return ink.getImageData(0, 0, 64, 64).data.join(',');
    };
    return {installed, distinct: new Set(['中', '国', '网'].map(drawn)).size};
}"""


def test_the_page_renders_in_chromium_offline(browser: Any, page_file: Path, shots: Path):
    with opened(browser, page_file, 1200) as state:
        page = state.page
        drawn = page.evaluate("[...document.querySelectorAll('.chart > div[lang=en]')].map(d => [d.id, d.querySelectorAll('svg path').length])")
        assert len(drawn) >= 5 and all(count > 5 for _, count in drawn), drawn
        assert page.evaluate("document.documentElement.lang") == "en"
        english = page.inner_text("h1")

        page.click("#lang-zh")
        wait_for_charts(page)
        chinese = page.inner_text("h1")
        assert english.startswith("China internet trends") and re.search(r"[\u4e00-\u9fff]", chinese) and chinese != english
        assert page.is_visible("#chart-themes-zh svg") and not page.is_visible("#chart-themes-en")
        assert page.url == state.url + "?lang=zh" and page.evaluate("document.documentElement.lang") == "zh-Hans"
        assert page.get_attribute("#lang-zh", "aria-pressed") == "true"

        fonts = page.evaluate(FONTS, "h1 [lang=zh-Hans]")
        assert any(CJK.search(family) for family in fonts["installed"]), fonts
        assert fonts["distinct"] == 3, "Chinese characters are drawn as one box: no font with CJK glyphs"

        source = page.get_attribute("#chart-internet_users figcaption a.src", "href")
        assert not page.is_visible(f"tr{source}")
        page.click(f"#chart-internet_users figcaption a.src[href='{source}']")
        page.wait_for_function("id => document.getElementById(id).closest('details').open", arg=source.removeprefix("#"))
        assert page.is_visible(f"tr{source}")

        page.set_viewport_size({"width": 390, "height": 900})  # the charts follow the window
        page.wait_for_function("""() => [...document.querySelectorAll('.chart')].every(figure =>
            figure.querySelector('div[id$="-zh"] svg').getBoundingClientRect().width <= figure.clientWidth + 0.5)""")
        page.screenshot(path=str(shots / "report.png"))
    assert state.problems == [] and state.refused == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [390, 1400])
def test_the_page_fits_the_screen(browser: Any, page_file: Path, shots: Path, width: int, lang: str):
    """At a phone's 390 px and a wide screen's 1,400 px, in the language ``?lang=`` asks for: no sideways
    scroll, each chart as wide as its column and no wider, ``<html lang>`` following."""
    with opened(browser, page_file, width, f"?lang={lang}") as state:
        layout = state.page.evaluate(LAYOUT)
        state.page.screenshot(path=str(shots / f"report-{width}-{lang}.png"), full_page=True)
    assert layout["shown"] == lang and layout["lang"] == {"zh": "zh-Hans", "en": "en"}[lang]
    assert layout["inner"] == width and layout["scroll"] <= width, layout
    assert all(right <= width for right in layout["boxes"]), layout["boxes"]
    assert len(layout["charts"]) >= 5
    for chart in layout["charts"]:
        [drawn] = chart["widths"]
        assert 0.9 * chart["column"] <= drawn <= chart["column"] + 0.5, chart
    assert state.problems == [] and state.refused == []
