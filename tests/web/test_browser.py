"""One real browser: sign in, open home and an action page, keep a screenshot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (fixtures) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


@pytest.mark.django_db(transaction=True)
def test_sign_in_and_read_home_and_an_action(live_server, world, user, password, page, tmp_path):
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Sign in"
    page.fill("#username", "analyst")
    page.fill("#password", password)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Response to the national VAWG framework"
    # Styles are served: the GOV.UK header is laid out, with the system font, not GDS Transport.
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" not in font
    assert "system-ui" in font
    header = page.evaluate(
        "getComputedStyle(document.querySelector('.govuk-generic-header')).backgroundColor"
    )
    assert header not in ("", "rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

    page.click("#overdue-list a >> nth=0")
    assert page.locator("h1").inner_text() == "1.1 Action 1.1 title"
    page.fill("#text", "")
    page.click("button:has-text('Add update')")
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Enter the update" in page.locator(".govuk-error-summary").inner_text()
    page.screenshot(path=str(tmp_path / "action.png"), full_page=True)
    # GOV.UK Frontend's JavaScript started (it moves focus to the error summary).
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert problems == []
    assert (tmp_path / "home.png").stat().st_size > 0
    assert (tmp_path / "action.png").stat().st_size > 0
