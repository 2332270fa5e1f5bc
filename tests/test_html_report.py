"""The HTML report: one self-contained file, drawn correctly by a real browser with the network cut off.

The browser test opens the page in headless Chromium (Debian's ``chromium``; the README's test
command installs it and a CJK font when they are missing) through Playwright, with every request
other than the file itself refused, and checks that no script fails, that every chart has drawn,
that the zh/en switch changes the visible titles, and that Chinese text is drawn with a font that
has CJK glyphs. A screenshot is kept in ``build/test-artifacts/report.png``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

ARTIFACTS = ROOT / "build" / "test-artifacts"
CJK = re.compile(r"CJK|Han|Hei|Song|Ming|Kai|WenQuanYi|Droid Sans Fallback|PingFang|YaHei|Noto Sans SC|Source Han", re.IGNORECASE)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report") / "report.html"
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "report", "--html", str(target)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"Wrote {target}" in result.stdout
    return target


def test_the_page_needs_nothing_from_the_network(page_file: Path):
    html = page_file.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=\"?https?:", html)
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert "window.vegaEmbed" in html


def test_every_source_link_points_at_a_source_row(page_file: Path):
    html = page_file.read_text(encoding="utf-8")
    rows = set(re.findall(r'<tr id="src-([a-z0-9-]+)"', html))
    links = set(re.findall(r'href="#src-([a-z0-9-]+)"', html))
    specs = json.loads(re.search(r"const charts = (\[.*?\]);\n", html).group(1))
    points = {href.removeprefix("#src-") for chart in specs for spec in chart["specs"].values()
              for dataset in json.loads(spec).get("datasets", {}).values() for href in (row.get("href") for row in dataset) if href}
    assert links and points
    assert links | points <= rows


def test_an_existing_file_is_not_replaced_without_force(page_file: Path):
    before = page_file.read_bytes()
    result = subprocess.run([sys.executable, "-m", "china_internet_trends", "report", "--html", str(page_file)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "exists" in result.stderr and "Traceback" not in result.stderr
    assert page_file.read_bytes() == before


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    assert found, "the browser test needs Chromium: apt-get install chromium fonts-noto-cjk (the README's test command does it)"
    return found


def test_the_page_renders_in_chromium_offline(page_file: Path):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems, refused = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        context = browser.new_context(offline=True, viewport={"width": 1200, "height": 900})
        context.route(re.compile(r"^(?!file:)"), lambda route: (refused.append(route.request.url), route.abort()))
        page = context.new_page()
        page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(page_file.as_uri())
        page.wait_for_function("[...document.querySelectorAll('.chart > div')].every(d => d.querySelector('svg .mark-symbol, svg .mark-rect'))")

        drawn = page.evaluate("[...document.querySelectorAll('.chart > div')].map(d => [d.id, d.querySelectorAll('svg path').length])")
        assert len(drawn) >= 10 and all(count > 5 for _, count in drawn), drawn

        english = page.inner_text("h1")
        page.screenshot(path=str(ARTIFACTS / "report-en.png"))
        page.click("#lang-zh")
        chinese = page.inner_text("h1")
        assert english.startswith("China internet trends") and re.search(r"[\u4e00-\u9fff]", chinese) and chinese != english
        assert page.is_visible("#chart-themes-zh") and not page.is_visible("#chart-themes-en")
        page.screenshot(path=str(ARTIFACTS / "report.png"))

        fonts = _fonts_of(context, page, "h1 [lang=zh-Hans]")
        browser.close()
    assert problems == [] and refused == []
    assert any(CJK.search(font["familyName"]) and font["glyphCount"] > 0 for font in fonts), fonts


def _fonts_of(context, page, selector: str) -> list[dict]:
    """The fonts Chromium used to draw the element's text (DevTools protocol, CSS.getPlatformFontsForNode)."""
    session = context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
