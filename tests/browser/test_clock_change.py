"""The night the clocks go back, in a real browser: a release time that happened twice
asks BST or GMT beside the field, keeps what was typed, and records the chosen instant;
axe checks both pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from custody.models import CustodyEvent
from custody.review import services
from tests.browser.helpers import assert_accessible, sign_in, visit
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.browser


def test_a_release_in_the_hour_that_happened_twice_is_settled_as_gmt(page: Page, personas):
    case = CaseFactory(owner=personas.officer_a)
    event = services.custody_event_create(
        actor=personas.officer_a,
        case=case,
        data={"arrested_at": datetime(2026, 10, 24, 20, 0, tzinfo=UTC), "outcome": "remanded"},
    )
    sign_in(page, personas.officer_a)
    visit(page, reverse("custody:event_update", args=[event.pk]))
    page.get_by_label("Release time").fill("2026-10-25T01:25")
    page.get_by_label("Released to (whom)").fill("Grandmother")
    page.get_by_role("button", name="Save changes").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("happened twice in the UK")
    question = page.get_by_role("group", name="Was 01:25 on 25/10/2026 BST or GMT?")
    expect(question).to_be_visible()
    expect(page.get_by_label("Released to (whom)")).to_have_value("Grandmother")
    assert_accessible(page)

    question.get_by_label("GMT (Greenwich Mean Time)", exact=False).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    event.refresh_from_db()
    assert event.released_at == datetime(2026, 10, 25, 1, 25, tzinfo=UTC)
    assert CustodyEvent.objects.get(pk=event.pk).released_to == "Grandmother"
