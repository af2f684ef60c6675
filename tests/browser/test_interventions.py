"""Community protection and handover in a real browser: an officer drafts a warning for a
16-year-old with an area exclusion, sends it for approval; the team's supervisor approves it
from the approval queue; the officer records its issue and service, logs a breach, escalates
to a notice; then opens the handover pack. axe checks every page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from interventions.models import CommunityProtection, CPKind, CPStatus
from tests.browser.helpers import assert_accessible, sign_in, visit
from tests.interventions.helpers import case_aged, make_handover

pytestmark = pytest.mark.browser


def _date(page: Page, name: str, day) -> None:
    page.locator(f"#id_{name}_0").fill(str(day.day))
    page.locator(f"#id_{name}_1").fill(str(day.month))
    page.locator(f"#id_{name}_2").fill(str(day.year))


def _submit(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    assert_accessible(page)


def _sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    assert_accessible(page)


def test_warning_from_draft_to_breach_and_notice_then_the_handover_pack(page: Page, personas):
    case = case_aged(personas.officer_a, 16, home_local_authority="Easterby City Council")
    handover = make_handover(personas.officer_a, case)
    today = timezone.localdate()

    sign_in(page, personas.officer_a)
    visit(page, reverse("cases:case_detail", args=[case.pk]))
    page.get_by_role("link", name="Draft a warning").click()
    assert_accessible(page)
    page.get_by_label("The conduct").fill("Delivering packages for the Ricky line at Testford station")
    page.get_by_label("Its effect on the quality of life").fill("Residents feel intimidated")
    _date(page, "planned_issue_on", today)
    _date(page, "review_on", today)
    _submit(page, "Save draft")
    warning = CommunityProtection.objects.get(case=case)
    expect(page.get_by_role("heading", name=re.compile(warning.reference))).to_be_visible()

    page.get_by_role("link", name="Add a condition").click()
    assert_accessible(page)
    page.get_by_label("Stay out of an area").check()
    page.get_by_label("Name of the area").fill("Testford station forecourt")
    _submit(page, "Save")
    expect(page.get_by_text("You must not go into Testford station forecourt.")).to_be_visible()
    _submit(page, "Send for supervisor approval")
    expect(page.get_by_text("Awaiting approval").first).to_be_visible()
    _sign_out(page)

    sign_in(page, personas.supervisor)
    visit(page, reverse("interventions:cp_approvals"))
    page.get_by_role("link", name=warning.reference).click()
    assert_accessible(page)
    page.get_by_role("link", name="Approve or return").click()
    assert_accessible(page)
    page.get_by_label("Approve it for issue").check()
    _submit(page, "Record decision")
    warning.refresh_from_db()
    assert warning.status == CPStatus.APPROVED
    _sign_out(page)

    sign_in(page, personas.officer_a)
    visit(page, warning.get_absolute_url())
    page.get_by_role("link", name="Record the issue").click()
    assert_accessible(page)
    _date(page, "issued_on", today)
    _submit(page, "Save")
    page.get_by_role("link", name="Record service").click()
    assert_accessible(page)
    _date(page, "served_on", today)
    page.get_by_label("Handed to them in person").check()
    _submit(page, "Save")
    expect(page.get_by_text("Served", exact=True).first).to_be_visible()

    page.get_by_role("link", name="Record a breach").click()
    assert_accessible(page)
    now = timezone.localtime()
    page.get_by_label("When it happened").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where it happened").fill("Testford station forecourt")
    page.get_by_label("Who reported it").fill("PCSO Example")
    page.get_by_label("Escalated to a Community Protection Notice").check()
    _submit(page, "Save")
    expect(page.get_by_role("cell", name="PCSO Example")).to_be_visible()

    page.get_by_role("link", name="Escalate to a notice").first.click()
    assert_accessible(page)
    page.get_by_label("The served warning this notice follows").select_option(str(warning.pk))
    page.get_by_label("The conduct").fill("Continued deliveries after the warning")
    page.get_by_label("Its effect on the quality of life").fill("Residents still feel intimidated")
    _date(page, "planned_issue_on", today)
    _date(page, "review_on", today)
    _submit(page, "Save draft")
    notice = CommunityProtection.objects.get(case=case, kind=CPKind.NOTICE)
    expect(page.get_by_text("You must not go into Testford station forecourt.")).to_be_visible()
    assert notice.warning == warning

    page.get_by_role("link", name="Printable notice").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name="Community Protection Notice")).to_be_visible()

    visit(page, handover.get_absolute_url())
    page.get_by_role("link", name="Printable handover pack").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", name=re.compile("Handover pack"))).to_be_visible()
    expect(page.get_by_text("You must not go into Testford station forecourt.").first).to_be_visible()
