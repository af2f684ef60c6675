"""Referrals in a real browser: an officer refers a case to MASH, the MASH user signs in,
sees only that referral, accepts it and posts an update, and the officer sees the update
in the chronology. axe checks every page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from referrals.models import Referral, ReferralStatus
from tests.browser.helpers import assert_accessible, sign_in, visit
from tests.factories import UserFactory
from tests.referrals.helpers import SECRET_RISK, inbox_agency, make_case, sent_referral

pytestmark = pytest.mark.browser


def test_officer_refers_to_mash_and_sees_the_partners_update(page: Page, personas):
    mash = inbox_agency("Westshire MASH")
    mash_user = UserFactory(email="mash.worker@council.example", role="partner", agency=mash)
    case = make_case(personas.officer_a)
    # Another agency's referral from another team: the MASH user must never see it.
    elsewhere = sent_referral(personas.officer_b, inbox_agency("Otherton MASH", inbox="o@other.example"))

    sign_in(page, personas.officer_a)
    visit(page, reverse("cases:case_detail", args=[case.pk]))
    page.get_by_role("link", name="Refer to children's services / MASH").click()
    assert_accessible(page)
    expect(page.get_by_label("Why you are referring")).to_have_value(re.compile("known to the police"))
    page.get_by_label("Agency", exact=True).select_option(label="Westshire MASH")
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", name=re.compile("Referral RF"))).to_be_visible()
    assert_accessible(page)
    referral = Referral.objects.get(case=case)
    assert referral.status == ReferralStatus.SENT

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    assert_accessible(page)
    sign_in(page, mash_user)
    visit(page, reverse("referrals:partner_list"))
    expect(page.get_by_role("link", name=referral.reference)).to_be_visible()
    expect(page.get_by_text(elsewhere.reference)).to_have_count(0)
    page.get_by_role("link", name=referral.reference).click()
    assert_accessible(page)
    # Only the ticked sections: the person summary, never the restricted intelligence.
    expect(page.get_by_role("heading", name="Person summary")).to_be_visible()
    page.get_by_role("button", name="Acknowledge the referral").click()
    assert_accessible(page)
    page.get_by_role("button", name="Accept the referral").click()
    assert_accessible(page)
    expect(page.get_by_text("You accepted the referral.")).to_be_visible()
    page.get_by_label("Post an update").fill("Strategy discussion booked for tomorrow.")
    page.get_by_role("button", name="Post update").click()
    assert_accessible(page)
    assert SECRET_RISK in page.content()  # the risk section was ticked by the prefill

    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    assert_accessible(page)
    sign_in(page, personas.officer_a)
    visit(page, reverse("cases:person_chronology", args=[case.person_id]))
    expect(page.get_by_text("Strategy discussion booked for tomorrow.")).to_be_visible()
    visit(page, referral.get_absolute_url())
    expect(page.get_by_text("mash.worker@council.example").first).to_be_visible()
    visit(page, reverse("cases:person_detail", args=[case.person_id]))
    expect(page.get_by_role("link", name=f"{referral.reference} to Westshire MASH")).to_be_visible()


def test_officer_records_an_nrm_and_its_decision(page: Page, personas):
    case = make_case(personas.officer_a)
    sent_referral(personas.officer_a, inbox_agency("Westshire MASH"), case=case)
    today = timezone.localdate()

    sign_in(page, personas.officer_a)
    visit(page, reverse("cases:case_detail", args=[case.pk]))
    page.get_by_role("link", name="Record an NRM referral").click()
    assert_accessible(page)
    # The rule first: an adult route for a 15-year-old is refused next to the field.
    page.get_by_label("Adult, with consent").check()
    page.get_by_label("Day").first.fill(str(today.day))
    page.get_by_label("Month").first.fill(str(today.month))
    page.get_by_label("Year").first.fill(str(today.year))
    page.get_by_label("Home Office reference (optional)").fill("HO-123")
    page.get_by_role("button", name="Record NRM referral").click()
    assert_accessible(page)
    expect(page.get_by_text("under 18 on the date submitted").first).to_be_visible()
    expect(page.get_by_label("Home Office reference (optional)")).to_have_value("HO-123")
    page.get_by_label("Child (no consent needed)").check()
    page.get_by_role("button", name="Record NRM referral").click()
    assert_accessible(page)
    expect(page.get_by_text("Reasonable Grounds decision expected by")).to_be_visible()

    page.get_by_role("link", name="Summary for the national form").click()
    assert_accessible(page)
    expect(page.get_by_label("3. Potential victim's details")).to_have_value(re.compile(case.person.family_name))
    page.get_by_role("link", name="Print view").click()
    assert_accessible(page)
    page.go_back()
    assert_accessible(page)
    page.get_by_role("link", name="Back to NRM").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record a decision").click()
    assert_accessible(page)
    page.get_by_label("Reasonable Grounds").check()
    page.get_by_label("Positive").check()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    expect(page.get_by_text("Recovery period")).to_be_visible()
