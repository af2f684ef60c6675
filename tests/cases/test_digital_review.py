"""Digital reviews are restricted: only officers of the case's team, its supervisors and
the force lead see them; never partners, never through break glass, never in search or
the chronology; every view audited. Each test reads the HTML of the pages that could
leak a finding and looks for it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import DigitalReview
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import CaseFactory, DigitalReviewFactory

pytestmark = pytest.mark.django_db

FINDING = "RESTRICTED-FINDING"
DEVICE = "Black test phone"
SCOPED = ("officer_a", "supervisor", "force_lead")
OUTSIDE = ("officer_b", "partner", "admin")


@pytest.fixture
def review(personas):
    case = CaseFactory(owner=personas.officer_a)
    return DigitalReviewFactory(case=case)


def pages_that_could_leak(review) -> list[str]:
    case, person = review.case, review.case.person
    return [
        reverse("cases:person_detail", args=[person.pk]),
        reverse("cases:case_detail", args=[case.pk]),
        reverse("cases:person_chronology", args=[person.pk]),
        reverse("cases:person_chronology_print", args=[person.pk]),
        reverse("cases:case_changes", args=[case.pk]),
        reverse("core:home"),
    ]


@pytest.mark.parametrize("who", SCOPED + OUTSIDE)
def test_no_page_but_the_reviews_own_shows_a_finding(personas, review, who):
    client = personas.client(who)
    for path in pages_that_could_leak(review):
        page = client.get(path).content.decode()
        assert FINDING not in page, path
        assert DEVICE not in page, path


@pytest.mark.parametrize("who", SCOPED + ("officer_b",))
def test_search_results_never_show_it(personas, review, who):
    person = review.case.person
    page = personas.client(who).post(reverse("cases:search"), {"name": person.given_name}).content.decode()
    assert FINDING not in page and DEVICE not in page and "Digital review" not in page


@pytest.mark.parametrize("who", SCOPED)
def test_the_cases_team_its_supervisors_and_the_force_lead_open_it_and_each_view_is_audited(personas, review, who):
    url = reverse("cases:digital_review", args=[review.pk])
    case_page = personas.client(who).get(reverse("cases:case_detail", args=[review.case_id])).content.decode()
    assert url in case_page  # listed (without findings) for them
    page = personas.client(who).get(url).content.decode()
    assert FINDING in page and DEVICE in page
    user = getattr(personas, who)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor_id=user.pk, object_type="cases.digitalreview", object_id=str(review.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor_id=user.pk, object_type="cases.case", detail__digital_reviews=[review.pk]
    ).exists()


@pytest.mark.parametrize("who", OUTSIDE)
def test_anyone_else_is_not_found(personas, review, who):
    response = personas.client(who).get(reverse("cases:digital_review", args=[review.pk]))
    assert response.status_code == 404
    assert FINDING not in response.content.decode()


def test_break_glass_reads_the_case_but_never_the_review(personas, review):
    from cases.models import BreakGlassAccess

    now = timezone.now()
    BreakGlassAccess.objects.create(
        user=personas.officer_b,
        person=review.case.person,
        justification="Arrested overnight in our area; need the history.",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )
    client = personas.client("officer_b")
    case_page = client.get(reverse("cases:case_detail", args=[review.case_id]))
    assert case_page.status_code == 200
    assert reverse("cases:digital_review", args=[review.pk]) not in case_page.content.decode()
    assert client.get(reverse("cases:digital_review", args=[review.pk])).status_code == 404


def test_partner_portal_pages_never_show_it(personas, review):
    from tests.referrals.helpers import sent_referral

    agency = personas.partner_agency
    agency.referral_inbox_email = "referrals@partner.example"
    agency.save()
    referral = sent_referral(personas.officer_a, agency, case=review.case)
    client = personas.client("partner")
    for path in (reverse("referrals:partner_list"), reverse("referrals:partner_detail", args=[referral.pk])):
        response = client.get(path)
        assert response.status_code == 200
        assert FINDING not in response.content.decode() and DEVICE not in response.content.decode()


def test_recording_a_review_needs_a_finding_and_keeps_what_was_typed(personas):
    case = CaseFactory(owner=personas.officer_a)
    day = timezone.localdate() - timedelta(days=1)
    url = reverse("cases:digital_review_add", args=[case.pk])
    body = {
        "device": "Typed phone",
        "reviewed_by_name": "Typed reviewer",
        "reviewed_on_0": day.day,
        "reviewed_on_1": day.month,
        "reviewed_on_2": day.year,
    }
    response = personas.client("officer_a").post(url, body)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter what the review found in at least one category" in page and "Typed phone" in page
    response = personas.client("officer_a").post(url, {**body, "forced_labour": "Owes £400 to the line"})
    assert response.status_code == 302
    review = DigitalReview.objects.get(case=case)
    assert [(f.category, f.detail) for f in review.findings.all()] == [("forced_labour", "Owes £400 to the line")]
    assert AuditEvent.objects.filter(
        action="create", object_type="cases.digitalreview", object_id=str(review.pk)
    ).exists()


def test_an_officer_outside_the_team_cannot_record_one_even_as_owner(personas):
    case = CaseFactory(owner=personas.officer_a, team=personas.team_b)
    response = personas.client("officer_a").get(reverse("cases:digital_review_add", args=[case.pk]))
    assert response.status_code == 404
