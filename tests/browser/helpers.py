"""Helpers for the browser tests: visiting a page (always with an axe check),
signing in with a fresh TOTP code, and the browser-side error log.

Every document a test loads must be checked with ``assert_accessible``: ``visit``
does it for ``goto``, and a test calls it itself after a click that loads a page
(a form submission, a link). The ``page`` fixture fails a test that loaded a
document without checking it, that logged a Content Security Policy violation,
that raised an uncaught JavaScript error, whose static files did not load, or
that got a server error (5xx) answer.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext, Page, expect

from safeguarding.accounts.models import User
from tests.factories import TEST_PASSWORD, totp_code

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.0, 2.1 and 2.2, levels A and AA (axe has no wcag22a rules at present).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """async (tags) => {
  window.__a11yDocumentId = window.__a11yDocumentId || String(Math.random()).slice(2);
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return {
    document: window.__a11yDocumentId,
    violations: results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })),
    })),
  };
}"""

CSP_MARKERS = ("Content Security Policy", "Refused to")


@dataclass
class BrowserLog:
    """What the browser reported while a test ran."""

    origin: str
    console: list[str] = field(default_factory=list)  # every message, for debugging
    errors: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)
    checked: dict[str, str] = field(default_factory=dict)  # document id -> URL
    pages: set[str] = field(default_factory=set)  # documents navigated to (their own status is the test's)
    screenshots: int = 0
    reported: int = 0  # errors already raised by assert_no_browser_errors

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(f"JavaScript error: {exc}"))
        page.on("load", lambda p: self.loads.append(p.url) if p.url.startswith(self.origin) else None)
        page.on("response", self._on_response)

    def _on_console(self, message) -> None:
        text = f"console.{message.type}: {message.text}"
        self.console.append(text)
        if message.type != "error":
            return
        if any(marker in message.text for marker in CSP_MARKERS):
            self.errors.append(f"CSP violation: {message.text}")
        elif message.text.startswith("Failed to load resource") and (message.location or {}).get("url") in self.pages:
            # A page the test opened on purpose answering 403 or 404: the test checks it.
            return
        else:
            # Any other console error: a favicon or script missing, a script failing.
            self.errors.append(f"Console error: {message.text} ({(message.location or {}).get('url', '')})")

    def _on_response(self, response) -> None:
        if response.request.is_navigation_request():
            self.pages.add(response.url)
        # A stylesheet, script or image that fails to load breaks the page quietly;
        # a server error page would otherwise pass for a page that works.
        if response.url.startswith(f"{self.origin}/static/") and response.status >= 400:
            self.errors.append(f"Static file {response.url} answered {response.status}")
        elif response.status >= 500 and response.url.startswith(self.origin):
            self.errors.append(f"Server error {response.status}: {response.request.method} {response.url}")

    def unchecked_loads(self) -> list[str]:
        """Documents loaded but never given to axe (counted: a URL may load twice)."""
        if len(self.checked) >= len(self.loads):
            return []
        remaining = list(self.loads)
        for url in self.checked.values():
            if url in remaining:
                remaining.remove(url)
        return remaining or self.loads


def browser_log(page: Page) -> BrowserLog:
    return page._browser_log  # set by the page fixture


def assert_no_browser_errors(page: Page) -> None:
    """Fail on errors the browser reported since the last time this failed."""
    log = browser_log(page)
    new = log.errors[log.reported :]
    if new:
        log.reported = len(log.errors)
        lines = "\n  ".join(new)
        raise AssertionError(f"The browser reported errors:\n  {lines}")


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html'][:200]}")
            summary = (node["summary"] or "").replace("\n", "\n      ")
            lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.x A and AA) on the current document: zero violations.

    axe is evaluated through the DevTools protocol (``page.evaluate``), not added
    as a <script> tag: the Content Security Policy rightly refuses injected
    scripts, and the tests run with the real policy.
    """
    page.wait_for_load_state("load")
    assert_no_browser_errors(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    result = page.evaluate(_RUN_AXE, WCAG_TAGS)
    log = browser_log(page)
    log.checked[result["document"]] = page.url
    save_screenshot(page)
    assert_no_browser_errors(page)
    if result["violations"]:
        raise AssertionError(format_violations(page.url, result["violations"]))


def save_screenshot(page: Page) -> Path | None:
    """With BROWSER_SCREENSHOTS=<directory>, save a full-page PNG of every page
    checked, named after the test, a sequence number and the path."""
    directory = os.environ.get("BROWSER_SCREENSHOTS")
    if not directory:
        return None
    log = browser_log(page)
    log.screenshots += 1
    test = os.environ.get("PYTEST_CURRENT_TEST", "test").split(" ")[0].split("::")[-1]
    where = re.sub(r"[^A-Za-z0-9]+", "-", page.url.removeprefix(log.origin).split("?")[0]).strip("-") or "home"
    path = Path(directory) / f"{re.sub(r'[^A-Za-z0-9_-]+', '-', test)}-{log.screenshots:02d}-{where[:60]}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True, animations="disabled")
    return path


def visit(page: Page, path: str):
    """Go to a path on the live server and check the page with axe."""
    response = page.goto(path)
    assert_accessible(page)
    return response


def totp_code_unused(user: User, *, timeout: float = 35.0) -> str:
    """The user's current code, once the server has not already accepted a code
    from this 30-second step (codes cannot be replayed): waits for the next step
    when it has."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    deadline = time.monotonic() + timeout
    while True:
        device.refresh_from_db()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if device.last_t < totp.t():
            return totp_code(user)
        if time.monotonic() > deadline:
            raise AssertionError("no new TOTP step within the timeout")
        time.sleep(0.2)


def code_from_secret(base32_secret: str) -> str:
    """What an authenticator app shows for a setup key typed in by hand."""
    from base64 import b32decode

    padded = base32_secret + "=" * (-len(base32_secret) % 8)
    return f"{TOTP(b32decode(padded)).token():06d}"


def sign_in(page: Page, user: User, *, password: str = TEST_PASSWORD) -> None:
    """Email and password, then the authenticator code; lands on the page after."""
    visit(page, "/sign-in/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/sign-in/code/$"))
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(totp_code_unused(user))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/sign-in/"))
    assert_accessible(page)


def server_session(context: BrowserContext) -> SessionStore:
    """The server-side session behind the browser's session cookie."""
    key = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    return SessionStore(session_key=key)


def install_clock(page: Page) -> None:
    """Take over the page's clock (Playwright's fake timers, ticking from the test process's
    current time, which SUITE_NOW may have moved). Once per page: a second call is a no-op."""
    if getattr(page, "_clock_installed", False):
        return
    page.clock.install(time=datetime.now(UTC))
    page._clock_installed = True
