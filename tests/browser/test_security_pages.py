"""The security pages in a real browser, with axe: Possible misuse, and the 429 answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from safeguarding.audit import misuse
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from tests.browser.helpers import assert_accessible, sign_in, visit

pytestmark = pytest.mark.browser


def test_the_force_lead_follows_the_navigation_to_possible_misuse(page: Page, personas, settings):
    settings.BULK_ACCESS_RECORDS = 3
    for pk in range(1, 6):
        audit_record(
            action=AuditEvent.Action.VIEW, actor=personas.officer_a, object_type="cases.youngperson", object_id=pk
        )
    assert len(misuse.bulk_access_scan()) == 1
    sign_in(page, personas.force_lead)
    page.get_by_role("link", name="Possible misuse").first.click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Possible misuse", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="cases.youngperson 5")).to_be_visible()


def test_too_many_password_resets_answer_a_page_saying_when_to_try_again(page: Page, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset_address": "1/h"}
    for _ in range(2):
        visit(page, "/password-reset/")
        page.locator("input[name=email]").fill("rita@testshire.example")
        page.get_by_role("button", name="Send the link").click()
        assert_accessible(page)
    expect(page.get_by_role("heading", name="You have tried this too many times", level=1)).to_be_visible()
    expect(page.get_by_text("Try again in")).to_be_visible()
