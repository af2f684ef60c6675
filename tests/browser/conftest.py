"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

One browser for the tests of this package (per xdist worker); a new context, so
new cookies, for every test. Tests run with the real Content Security Policy.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.helpers import BrowserLog, assert_no_browser_errors, install_clock
from tests.conftest import SUITE_NOW

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
expect.set_options(timeout=10_000)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Chromium, started once for the browser tests.

    Playwright's sync API keeps an asyncio loop running in this thread, so while
    it runs Django's async-safety check would refuse every ORM call the tests and
    fixtures make in the same thread. The check is switched off only while the
    browser runs (package scope): tests outside tests/browser keep it.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the page fixture knows at
    teardown whether the test itself already failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, browser: Browser, live_server, transactional_db) -> Iterator[Page]:
    """A fresh browser context on the live server. Fails the test on a CSP
    violation, an uncaught JavaScript error, any other console error (a missing
    favicon, say), a static file that did not load, or a document that was loaded
    and never checked with axe."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    if SUITE_NOW is not None:
        # The browser keeps the machine's clock: start its clock (ticking) at the suite's
        # moved time, so scripts that count down to a server time agree with the server.
        install_clock(page)
    log = BrowserLog(origin=live_server.url)
    log.attach(page)
    page._browser_log = log
    yield page
    try:
        call = getattr(request.node, "report_call", None)
        if call is not None and call.passed:
            # Only a test that passed is held to these: after a failure they would
            # repeat it, or point at a page the test never got to check.
            page.wait_for_load_state("load")
            assert_no_browser_errors(page)
            unchecked = log.unchecked_loads()
            assert not unchecked, f"Pages loaded but not checked with assert_accessible: {unchecked}"
    finally:
        context.close()
