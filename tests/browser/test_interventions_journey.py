"""An officer's work from a missing episode to closure, in a real browser: the episode
with its return, the return home interview, a digital review, a reclassification the
supervisor approves, then closure approved from the approvals queue. axe checks every page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Associate, CaseStatus, DigitalReview, Reclassification
from custody.models import ReturnInterview
from tests.browser.helpers import assert_accessible, sign_in, visit
from tests.custody.clock.helpers import make_case

pytestmark = pytest.mark.browser


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def fill_date(page: Page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def sign_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    assert_accessible(page)


def test_from_a_missing_episode_to_an_approved_closure(page: Page, personas):
    case = make_case(owner=personas.officer_a)
    case.status = CaseStatus.ACTIVE
    case.save()
    Associate.objects.create(
        case=case, name="Dex Testexploiter", relationship="suspected_exploiter", created_by=personas.officer_a
    )
    now = timezone.now().replace(second=0, microsecond=0)

    sign_in(page, personas.officer_a)
    # The missing episode, with its return.
    visit(page, reverse("cases:missing_add", args=[case.pk]))
    page.get_by_label("Reported missing at").fill(local(now - timedelta(hours=30)))
    page.get_by_label("Missing from (where)").fill("Children's home, Testtown")
    page.get_by_label("Reported by (who)").fill("Care home staff")
    page.get_by_role("radio", name="High").check()
    page.get_by_label("Found or returned at (leave blank if still missing)").fill(local(now - timedelta(hours=2)))
    page.get_by_label("Found or returned where").fill("Seaport railway station")
    page.get_by_role("radio", name="Outside the force area").check()
    page.get_by_role("button", name="Save missing episode").click()
    expect(page.get_by_text("Missing episode recorded.")).to_be_visible()
    assert_accessible(page)
    interview = ReturnInterview.objects.get(case=case)
    expect(page.locator("#section-return_interviews")).to_be_visible()

    # The return home interview, from the case page.
    page.get_by_role("link", name=re.compile("return home interview")).first.click()
    assert_accessible(page)
    page.get_by_label("When the interview took place").fill(local(now - timedelta(hours=1)))
    page.get_by_label("Who held the interview").fill("Ash Example, independent return interview service")
    page.get_by_label("What the young person said and what happens next").fill("Said they were sent to sell.")
    page.get_by_role("button", name="Record the interview").click()
    expect(page.get_by_text("Return home interview recorded.")).to_be_visible()
    assert_accessible(page)
    interview.refresh_from_db()
    assert interview.status == "done"

    # A digital review (restricted).
    visit(page, reverse("cases:digital_review_add", args=[case.pk]))
    page.get_by_label("Device").fill("Black test phone")
    page.get_by_label("Reviewed by").fill("Digital media investigator")
    fill_date(page, "Reviewed on", timezone.localdate() - timedelta(days=1))
    page.get_by_label("Deal-line messages (optional)").fill("Bulk messages advertising the line")
    page.get_by_role("button", name="Save digital review").click()
    expect(page.get_by_text("Digital review recorded.")).to_be_visible()
    assert_accessible(page)
    review = DigitalReview.objects.get(case=case)
    page.get_by_role("link", name=re.compile("Digital review of")).click()
    assert_accessible(page)
    expect(page.get_by_text("Bulk messages advertising the line")).to_be_visible()

    # A reclassification, sent for approval.
    visit(page, reverse("cases:reclassification_add", args=[case.pk]))
    page.get_by_role("radio", name="Victim of modern slavery / human trafficking").check()
    page.get_by_label("Why the classification changes").fill("Made to sell to pay a debt.")
    page.get_by_role("checkbox", name="Dex Testexploiter").check()
    page.get_by_role("checkbox", name=re.compile("section 45 defence")).check()
    page.get_by_role("button", name="Send for approval").click()
    expect(page.get_by_text("It is not in effect yet.")).to_be_visible()
    assert_accessible(page)

    # Ask for closure.
    visit(page, reverse("cases:case_status", args=[case.pk]))
    page.get_by_role("radio", name="Ask for closure approval").check()
    page.get_by_label("Reason").fill("Engaging with support; no missing episodes since.")
    page.get_by_role("checkbox", name="Engaged with support").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text(f"Case {case.reference} is now awaiting closure approval.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The supervisor's approvals queue.
    sign_in(page, personas.supervisor)
    visit(page, reverse("cases:approvals"))
    page.get_by_role("link", name=re.compile(f"Decide on {case.reference} reclassification")).click()
    assert_accessible(page)
    page.get_by_role("radio", name="Approve: it takes effect now").check()
    page.get_by_role("button", name="Save decision").click()
    assert_accessible(page)
    assert Reclassification.objects.get(case=case).status == "approved"
    page.get_by_role("link", name=f"Decide on {case.reference}", exact=True).click()
    assert_accessible(page)
    page.get_by_role("radio", name="Approve closure").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text(f"Case {case.reference} is now closed.")).to_be_visible()
    assert_accessible(page)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.records_review_on is not None
    assert review.pk
