"""The HTML deck in a real browser (headless Chromium driven by Playwright), opened from a
file URL with the network blocked: it asks for nothing, moves with the keyboard, shows
Jira text as text, fits every slide, and prints one slide a page.

Screenshots of the first, trend and indicators slides are saved in tests/artifacts/deck/
for a person to look at."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from jirasync.cli import main
from tests.deck.conftest import ARTIFACTS, TODAY

CHROMIUM = Path("/usr/bin/chromium")
INSTALL = ("needs Chromium and Playwright: apt-get update && apt-get install -y chromium; "
           "pip install playwright (never `playwright install`)")

playwright = pytest.importorskip("playwright.sync_api", reason=INSTALL)
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=INSTALL)


@pytest.fixture(scope="module")
def html(lived_cloud, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "deck-4.3.html"
    assert main(["-q", "--config", str(lived_cloud.config_path), "deck", "4.3",
                 "-o", str(out), "--today", TODAY.isoformat()]) == 0
    return out


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, html):
    """The deck open at 1280x720 with every request but the deck's own file refused;
    ``page.asked`` lists every URL the page asked for."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.asked = []

    def guard(route):
        page.asked.append(route.request.url)
        if route.request.url == html.as_uri():
            route.continue_()
        else:
            route.abort()

    page.route("**/*", guard)
    page.on("request", lambda r: page.asked.append(r.url))
    page.goto(html.as_uri())
    yield page
    page.close()


def current(page) -> int:
    return int(page.locator(".slide.current").get_attribute("id").split("-")[1])


def slide_count(page) -> int:
    return page.locator(".slide").count()


def test_nothing_leaves_the_page(page, html):
    page.wait_for_load_state("networkidle")
    assert set(page.asked) == {html.as_uri()}


@pytest.mark.parametrize("keys,expected", [
    (["ArrowRight"], lambda n: 2), (["End"], lambda n: n),
    (["End", "ArrowLeft"], lambda n: n - 1), ([" ", "PageDown"], lambda n: 3),
    (["End", "PageUp", "Home"], lambda n: 1), (["ArrowLeft"], lambda n: 1),
    (["End", "ArrowRight"], lambda n: n),
], ids=["right", "end", "left", "space-pagedown", "pageup-home", "not-before-first",
        "not-past-last"])
def test_the_keyboard_moves_between_slides(page, keys, expected):
    assert current(page) == 1
    for key in keys:
        page.keyboard.press(key)
    n = slide_count(page)
    assert current(page) == expected(n)
    assert page.locator("#counter").text_content() == f"{expected(n)} / {n}"
    assert page.locator(".slide.current").is_visible()
    assert page.locator(".slide:not(.current)").first.is_hidden()


def test_a_summary_holding_a_script_is_shown_as_text_and_never_runs(page, lived_cloud):
    assert page.evaluate("typeof window.pwned") == "undefined"
    listed = page.locator(".slide-lessons td", has_text="Vendors were told").first
    assert listed.text_content().startswith('<script>window.pwned = 1</script> Vendors')
    assert page.locator(".slide script").count() == 0


def test_every_slide_fits_its_page(page):
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.slide')]
        .filter(s => { s.classList.add('current');
                       const body = s.querySelector('.body') || s;
                       const over = body.scrollHeight > body.clientHeight + 1
                                    || body.scrollWidth > body.clientWidth + 1;
                       s.classList.remove('current'); return over; })
        .map(s => s.id)""")
    assert overflowing == []


def test_print_to_pdf_gives_one_page_per_slide(page, tmp_path):
    pdf = tmp_path / "deck.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))
    assert pages == slide_count(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, ARTIFACTS / "deck-4.3.pdf")


def test_screenshots_of_the_first_trend_and_indicators_slides(page):
    """And of an action list and the data appendix (the dense grid of keys)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for section in ("title", "trend", "indicators", "actions", "appendix"):
        number = int(page.locator(f".slide-{section}").first.get_attribute("id").split("-")[1])
        page.keyboard.press("Home")
        for _ in range(number - 1):
            page.keyboard.press("ArrowRight")
        assert current(page) == number
        shot = ARTIFACTS / f"slide-{section}.png"
        page.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000


OVERFLOWING = """() => [...document.querySelectorAll('.slide')]
    .filter(s => { s.classList.add('current');
                   const parts = [s.querySelector('.body') || s, s.querySelector('header')]
                       .filter(Boolean);
                   const over = parts.some(b => b.scrollHeight > b.clientHeight + 1
                                                || b.scrollWidth > b.clientWidth + 1);
                   s.classList.remove('current'); return over; })
    .map(s => s.id + ' ' + s.getAttribute('aria-label'))"""


@pytest.mark.parametrize("case", ["250-character titles", "CJK", "right to left",
                                  "250 characters, programme"])
def test_every_slide_of_a_stress_deck_fits_in_the_browser(case, browser, tmp_path):
    """The HTML of the geometry test's stress decks (long titles, causes and effects,
    CJK, right to left): no slide's header or body overflows."""
    from jirasync.reports.deckjob import render_deck
    from tests.deck.test_deck_geometry import CASES, REVIEW, WRITTEN, deck_of, files_of
    prog, release = CASES[case]
    deck = deck_of(prog, release=release, today=TODAY, next_review=REVIEW,
                   files=files_of(prog, WRITTEN[case]))
    out = tmp_path / "stress.html"
    out.write_text(render_deck(deck, "html").text, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(out.as_uri())
    assert page.evaluate(OVERFLOWING) == []
    page.close()
