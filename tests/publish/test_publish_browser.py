"""A published page as a reader sees it in Chromium: the sandbox's view of the storage
format, the trend chart shown from its attachment, nothing from Jira run as script."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "publish"
pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason="needs Chromium: apt-get install -y chromium && pip install playwright"),
    pytest.mark.over_http,                    # Chromium reads the page from a real port
]


def test_the_published_page_shows_its_chart_and_runs_nothing(site):
    from playwright.sync_api import sync_playwright
    key = site.lived.hand_made
    before = site.sb.issue(key).fields["summary"]
    site.sb.edit(key, summary='<img src=x onerror="window.pwned=1"> <script>window.pwned=2'
                              '</script> late notice')
    try:
        site.publish("4.3")
        address = site.sb.confluence.address(site.ours()["4.3"].id)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(address)
            page.wait_for_load_state("networkidle")
            width = page.eval_on_selector("img[alt='trend.svg']", "i => i.naturalWidth")
            assert width > 0                          # the attached chart is drawn
            assert page.evaluate("window.pwned") is None
            assert "late notice" in page.inner_text("body")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"top-{site.sb.flavour}.png"))
            page.locator("h2", has_text="Trend across releases").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"page-{site.sb.flavour}.png"))
            browser.close()
    finally:
        site.sb.edit(key, summary=before)
