"""Closing a case: a reason and the outcomes to ask, a supervisor of the case's team to
approve (the approvals queue), the next records review date set on approval, closure
refused while anything registered as a blocker is open, and reopening audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import closure, services
from cases.models import CaseStatus
from safeguarding.audit.models import AuditEvent
from tests.custody.clock.helpers import make_case, make_interview, start_checklist
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db


def review_date():
    return timezone.localdate() + timedelta(days=6 * 365)


def date_fields(name: str, day) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def ask(personas, case, **data):
    return personas.client("officer_a").post(
        reverse("cases:case_status", args=[case.pk]), {"to": "awaiting_closure_approval", **data}
    )


def test_asking_for_closure_needs_the_outcomes_and_keeps_what_was_typed(personas):
    case = CaseFactory(owner=personas.officer_a, status=CaseStatus.ACTIVE)
    response = ask(personas, case, reason="Typed reason for closing")
    page = response.content.decode()
    assert "Choose at least one outcome for the young person" in page
    assert "Typed reason for closing" in page
    response = ask(personas, case, reason="Typed reason", outcomes=["other"], outcome_other="")
    assert "Describe the other outcome" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_asking_with_a_reason_and_outcomes_puts_it_in_the_supervisors_queue(personas):
    case = CaseFactory(owner=personas.officer_a, status=CaseStatus.ACTIVE)
    response = ask(
        personas,
        case,
        reason="No contact with the line since March.",
        outcomes=["safe_accommodation", "other"],
        outcome_other="Back at college",
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_CLOSURE_APPROVAL
    assert case.get_closure_outcomes_display() == ["In safe accommodation", "Other: Back at college"]
    queue = personas.client("supervisor").get(reverse("cases:approvals")).content.decode()
    assert f"Decide on {case.reference}" in queue and "Back at college" in queue
    assert "<title>Approvals – Safeguarding</title>" in queue
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.LIST, object_type="cases.case", detail__shown=[case.pk]
    ).exists()
    # A page for supervisors only.
    assert personas.client("officer_a").get(reverse("cases:approvals")).status_code == 403
    assert personas.client("force_lead").get(reverse("cases:approvals")).status_code == 403


def test_another_teams_closure_is_not_in_the_queue(personas):
    other = CaseFactory(owner=personas.officer_b, status=CaseStatus.AWAITING_CLOSURE_APPROVAL)
    page = personas.client("supervisor").get(reverse("cases:approvals")).content.decode()
    assert other.reference not in page


def test_approval_sets_the_next_records_review_and_is_audited(personas):
    case = CaseFactory(
        owner=personas.officer_a, status=CaseStatus.AWAITING_CLOSURE_APPROVAL, closure_outcomes=["engaged"]
    )
    client = personas.client("supervisor")
    page = client.get(reverse("cases:case_status", args=[case.pk])).content.decode()
    assert "Next records review" in page and "Engaged with support" in page
    response = client.post(reverse("cases:case_status", args=[case.pk]), {"to": "closed"})
    assert "Enter the date of the next records review" in response.content.decode()
    review = review_date()
    response = client.post(
        reverse("cases:case_status", args=[case.pk]), {"to": "closed", **date_fields("records_review_on", review)}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.records_review_on == review
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), detail__records_review_on=review.isoformat()
    ).exists()
    detail = personas.client("officer_a").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Next records review" in detail and "MoPI" not in detail


def test_reopening_a_closed_case_is_audited(personas):
    case = CaseFactory(owner=personas.officer_a, status=CaseStatus.CLOSED, closed_at=timezone.now() - timedelta(days=3))
    services.case_transition(actor=personas.officer_a, case=case, to=CaseStatus.ACTIVE, reason="Arrested again")
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), detail__from="closed", detail__to="active"
    ).exists()


def test_closure_is_refused_while_the_48_hour_checklist_has_open_items(personas):
    case = make_case(owner=personas.officer_a)
    services.case_transition(actor=personas.officer_a, case=case, to=CaseStatus.ACTIVE)
    start_checklist(case=case, by=personas.officer_a)
    response = ask(personas, case, reason="Typed: all done", outcomes=["engaged"])
    page = response.content.decode()
    assert "The case cannot close yet:" in page and "of the 48-hour checklist are still open" in page
    assert "Typed: all done" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_approval_is_refused_while_a_return_home_interview_is_open(personas):
    case = make_case(owner=personas.officer_a)
    case.status = CaseStatus.AWAITING_CLOSURE_APPROVAL
    case.save()
    make_interview(case=case, by=personas.officer_a)
    with pytest.raises(ValidationError) as error:
        services.case_transition(
            actor=personas.supervisor, case=case, to=CaseStatus.CLOSED, records_review_on=review_date()
        )
    assert "a return home interview is still to be recorded" in error.value.message_dict["to"][0]
    page = personas.client("supervisor").get(reverse("cases:case_status", args=[case.pk])).content.decode()
    assert "a return home interview is still to be recorded" in page


def test_any_app_can_register_a_blocker(personas, monkeypatch):
    monkeypatch.setattr(closure, "_blockers", {})
    closure.register_blocker(lambda case: ["the warning is not approved"] if case.pk else [])
    case = CaseFactory(owner=personas.officer_a, status=CaseStatus.ACTIVE)
    with pytest.raises(ValidationError, match="the warning is not approved"):
        services.case_transition(
            actor=personas.officer_a,
            case=case,
            to=CaseStatus.AWAITING_CLOSURE_APPROVAL,
            reason="r",
            outcomes=["engaged"],
        )
