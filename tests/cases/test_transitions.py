"""The case status machine: identified → active → awaiting closure approval → closed, and reopen.
Illegal moves are refused with a clear message; only a supervisor approves closure."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import CaseStatus, CaseStatusChange
from safeguarding.audit.models import AuditEvent
from safeguarding.notifications.models import Notification
from tests.factories.cases import CaseFactory


def years_from_today(years: int):
    return timezone.localdate() + timedelta(days=365 * years)


pytestmark = pytest.mark.django_db


def test_full_life_of_a_case(personas):
    case = CaseFactory(owner=personas.officer_a)
    case = services.case_transition(actor=personas.officer_a, case=case, to=CaseStatus.ACTIVE)
    case = services.case_transition(
        actor=personas.officer_a,
        case=case,
        to=CaseStatus.AWAITING_CLOSURE_APPROVAL,
        reason="Safe at home, engaging.",
        outcomes=["engaged", "no_missing"],
    )
    assert Notification.objects.filter(user=personas.supervisor, kind="case_closure_approval").exists()
    case = services.case_transition(
        actor=personas.supervisor, case=case, to=CaseStatus.CLOSED, records_review_on=years_from_today(6)
    )
    assert case.closed_at is not None and case.records_review_on == years_from_today(6)
    assert Notification.objects.filter(user=personas.officer_a, kind="case_closure_decision").exists()
    case = services.case_transition(
        actor=personas.officer_a2, case=case, to=CaseStatus.ACTIVE, reason="Arrested again."
    )
    assert case.status == CaseStatus.ACTIVE and case.closed_at is None
    moves = list(CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status"))
    assert moves == [
        ("identified", "active"),
        ("active", "awaiting_closure_approval"),
        ("awaiting_closure_approval", "closed"),
        ("closed", "active"),
    ]
    assert AuditEvent.objects.filter(action="update", object_type="cases.case", object_id=str(case.pk)).count() == 4


@pytest.mark.parametrize(
    ("start", "to", "message"),
    [
        ("identified", "closed", "cannot be closed directly: ask for closure approval first"),
        ("active", "closed", "cannot be closed directly"),
        ("closed", "awaiting_closure_approval", "A closed case can only be reopened"),
        ("active", "identified", "cannot be moved to identified"),
        ("active", "active", "The case is already active"),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message(personas, start, to, message):
    case = CaseFactory(
        owner=personas.officer_a, status=start, closed_at=None if start != "closed" else "2025-01-01T00:00Z"
    )
    with pytest.raises(services.CaseTransitionError, match=message):
        services.case_transition(actor=personas.supervisor, case=case, to=to, reason="because")
    case.refresh_from_db()
    assert case.status == start


def test_only_a_supervisor_approves_closure(personas):
    case = CaseFactory(owner=personas.officer_a, status=CaseStatus.AWAITING_CLOSURE_APPROVAL)
    with pytest.raises(services.CaseTransitionError, match="Only a supervisor can approve"):
        services.case_transition(actor=personas.officer_a, case=case, to=CaseStatus.CLOSED)
    response = personas.client("officer_a").post(reverse("cases:case_status", args=[case.pk]), {"to": "closed"})
    assert response.status_code == 200
    assert "Only a supervisor can approve the closure of a case." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_CLOSURE_APPROVAL


def test_view_refuses_an_illegal_move_and_keeps_the_reason(personas):
    case = CaseFactory(owner=personas.officer_a)
    response = personas.client("officer_a").post(
        reverse("cases:case_status", args=[case.pk]), {"to": "closed", "reason": "All done, I think."}
    )
    page = response.content.decode()
    assert "cannot be closed directly" in page
    assert "All done, I think." in page


def test_asking_for_closure_needs_a_reason(personas):
    case = CaseFactory(owner=personas.officer_a, status=CaseStatus.ACTIVE)
    response = personas.client("officer_a").post(
        reverse("cases:case_status", args=[case.pk]), {"to": "awaiting_closure_approval", "reason": ""}
    )
    assert "Give the reason for closing the case" in response.content.decode()


def test_supervisor_approves_closure_through_the_page(personas):
    case = CaseFactory(owner=personas.officer_a, status=CaseStatus.AWAITING_CLOSURE_APPROVAL)
    page = personas.client("supervisor").get(reverse("cases:case_status", args=[case.pk])).content.decode()
    assert "Approve closure" in page and "Return the case for more work" in page
    review = years_from_today(6)
    response = personas.client("supervisor").post(
        reverse("cases:case_status", args=[case.pk]),
        {
            "to": "closed",
            "records_review_on_0": review.day,
            "records_review_on_1": review.month,
            "records_review_on_2": review.year,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_officer_does_not_see_approval_as_a_choice(personas):
    case = CaseFactory(owner=personas.officer_a, status=CaseStatus.AWAITING_CLOSURE_APPROVAL)
    page = personas.client("officer_a").get(reverse("cases:case_status", args=[case.pk])).content.decode()
    assert "Approve closure" not in page
    assert "Withdraw the request" in page
