"""Community Protection Warnings and Notices: the age rule, supervisor approval before
issue, service, breaches (never before service), escalation only after a served warning,
the 21-day appeal clock, the fixed penalty from its setting, chronology and audit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import chronology
from interventions import services
from interventions.models import CommunityProtection, CPBreach, CPKind, CPStatus
from interventions.wiring import open_interventions_blocking_closure
from safeguarding.audit.models import AuditEvent
from tests.conftest import verified_client
from tests.dates import born_years_ago
from tests.factories.cases import CaseFactory, YoungPersonFactory

from .helpers import (
    AREA,
    CONDUCT,
    approved,
    case_aged,
    cp_data,
    draft_notice,
    draft_warning,
    served,
    served_warning,
)

pytestmark = pytest.mark.django_db


def _date_post(name, day) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


# --- The age rule -----------------------------------------------------------------------


def test_a_warning_for_a_fifteen_year_old_is_refused_citing_s43(personas):
    case = case_aged(personas.officer_a, 15)
    with pytest.raises(ValidationError) as refused:
        services.cp_create(actor=personas.officer_a, case=case, kind=CPKind.WARNING, data=cp_data())
    message = refused.value.message_dict["planned_issue_on"][0]
    assert "16 or over" in message and "2014 s43" in message
    assert not CommunityProtection.objects.exists()


def test_age_is_taken_on_the_date_of_issue(personas):
    # Sixteen in ten days: refused for today, accepted for the birthday.
    person = YoungPersonFactory(date_of_birth=born_years_ago(16, days_since_birthday=-10))
    case = CaseFactory(owner=personas.officer_a, person=person)
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.cp_create(actor=personas.officer_a, case=case, kind=CPKind.WARNING, data=cp_data())
    notice = services.cp_create(
        actor=personas.officer_a,
        case=case,
        kind=CPKind.WARNING,
        data=cp_data(planned_issue_on=today + timedelta(days=10), review_on=today + timedelta(days=60)),
    )
    assert notice.is_draft


def test_a_person_without_a_date_of_birth_cannot_be_warned(personas):
    person = YoungPersonFactory(date_of_birth=None, estimated_age=17, estimated_age_on=timezone.localdate())
    case = CaseFactory(owner=personas.officer_a, person=person)
    with pytest.raises(ValidationError) as refused:
        services.cp_create(actor=personas.officer_a, case=case, kind=CPKind.WARNING, data=cp_data())
    assert "date of birth" in refused.value.message_dict["planned_issue_on"][0]


def test_the_form_refuses_a_fifteen_year_old_next_to_the_field_keeping_what_was_typed(personas):
    case = case_aged(personas.officer_a, 15)
    today = timezone.localdate()
    response = verified_client(personas.officer_a).post(
        reverse("interventions:cp_warning_create", args=[case.pk]),
        {
            "conduct": "Typed conduct kept",
            "effect": "Typed effect kept",
            **_date_post("planned_issue_on", today),
            **_date_post("review_on", today + timedelta(days=30)),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Typed conduct kept" in body and "Typed effect kept" in body
    assert 'id="planned_issue_on-error"' in body or "govuk-error-message" in body
    assert "2014 s43" in body
    assert not CommunityProtection.objects.exists()


# --- Conditions -------------------------------------------------------------------------


def test_conditions_read_in_plain_english(personas):
    notice = draft_warning(personas.officer_a)
    sentences = [c.plain_english for c in notice.conditions.all()]
    assert sentences[0] == "You must stop carrying or delivering packages for others."
    assert sentences[1].startswith(f"You must not go into {AREA}.")
    assert "taxi rank" in sentences[1]


def test_an_area_exclusion_needs_a_named_area(personas):
    notice = draft_warning(personas.officer_a)
    with pytest.raises(ValidationError) as refused:
        services.cp_condition_add(actor=personas.officer_a, notice=notice, data={"kind": "area_exclusion"})
    assert "area_name" in refused.value.message_dict


def test_conditions_cannot_change_once_sent_for_approval(personas):
    notice = draft_warning(personas.officer_a)
    services.cp_submit(actor=personas.officer_a, notice=notice)
    with pytest.raises(ValidationError):
        services.cp_condition_add(actor=personas.officer_a, notice=notice, data={"kind": "do", "text": "attend"})


# --- Approval before issue --------------------------------------------------------------


def test_nothing_is_issued_before_a_supervisor_approves(personas):
    notice = draft_warning(personas.officer_a)
    services.cp_submit(actor=personas.officer_a, notice=notice)
    with pytest.raises(ValidationError):
        services.cp_issue(actor=personas.officer_a, notice=notice, issued_on=timezone.localdate())
    notice.refresh_from_db()
    assert notice.status == CPStatus.AWAITING_APPROVAL


def test_only_a_supervisor_of_the_cases_team_approves(personas):
    notice = draft_warning(personas.officer_a)
    services.cp_submit(actor=personas.officer_a, notice=notice)
    for outsider in (personas.officer_a, personas.officer_a2, personas.force_lead):
        with pytest.raises(PermissionDenied):
            services.cp_decide(actor=outsider, notice=notice, approve=True)
    services.cp_decide(actor=personas.supervisor, notice=notice, approve=True)
    notice.refresh_from_db()
    assert notice.status == CPStatus.APPROVED and notice.decided_by == personas.supervisor


def test_submitting_tells_the_supervisors(personas):
    notice = draft_warning(personas.officer_a)
    services.cp_submit(actor=personas.officer_a, notice=notice)
    assert personas.supervisor.notifications.filter(url=notice.get_absolute_url()).exists()


def test_a_return_needs_reasons_and_goes_back_to_draft(personas):
    notice = draft_warning(personas.officer_a)
    services.cp_submit(actor=personas.officer_a, notice=notice)
    with pytest.raises(ValidationError) as refused:
        services.cp_decide(actor=personas.supervisor, notice=notice, approve=False)
    assert "note" in refused.value.message_dict
    services.cp_decide(actor=personas.supervisor, notice=notice, approve=False, note="Name the area precisely")
    notice.refresh_from_db()
    assert notice.status == CPStatus.DRAFT and notice.decision_note == "Name the area precisely"


def test_a_warning_without_conditions_cannot_be_sent_for_approval(personas):
    case = case_aged(personas.officer_a)
    notice = services.cp_create(actor=personas.officer_a, case=case, kind=CPKind.WARNING, data=cp_data())
    with pytest.raises(ValidationError):
        services.cp_submit(actor=personas.officer_a, notice=notice)


def test_the_approval_queue_lists_the_supervisors_teams_only(personas):
    mine = draft_warning(personas.officer_a)
    services.cp_submit(actor=personas.officer_a, notice=mine)
    other = draft_warning(personas.officer_b)
    services.cp_submit(actor=personas.officer_b, notice=other)
    client = verified_client(personas.supervisor)
    body = client.get(reverse("interventions:cp_approvals")).content.decode()
    assert mine.reference in body and other.reference not in body
    home = client.get(reverse("core:home")).content.decode()
    assert mine.reference in home
    assert AuditEvent.objects.filter(action="list", object_type="interventions.communityprotection").exists()


def test_the_supervisor_approves_through_the_page(personas):
    notice = draft_warning(personas.officer_a)
    services.cp_submit(actor=personas.officer_a, notice=notice)
    client = verified_client(personas.supervisor)
    url = reverse("interventions:cp_decide", args=[notice.pk])
    response = client.post(url, {"decision": "return", "note": ""})
    assert response.status_code == 200 and "Say what needs to change" in response.content.decode()
    response = client.post(url, {"decision": "approve", "note": ""})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == CPStatus.APPROVED


# --- Issue and service ------------------------------------------------------------------


def test_issue_and_service_are_recorded_and_audited(personas):
    notice = served_warning(personas.officer_a, personas.supervisor)
    assert notice.status == CPStatus.SERVED and notice.served_how == "in_person"
    summaries = set(
        AuditEvent.objects.filter(
            object_type="interventions.communityprotection", object_id=str(notice.pk)
        ).values_list("summary", flat=True)
    )
    assert {f"{notice.reference} issued", f"{notice.reference} served"} <= summaries


def test_service_cannot_precede_issue(personas):
    notice = draft_warning(personas.officer_a, planned_issue_on=timezone.localdate() - timedelta(days=3))
    approved(notice, personas.officer_a, personas.supervisor)
    services.cp_issue(actor=personas.officer_a, notice=notice, issued_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        services.cp_serve(
            actor=personas.officer_a,
            notice=notice,
            served_on=timezone.localdate() - timedelta(days=2),
            served_how="in_person",
        )
    assert "served_on" in refused.value.message_dict


# --- Breaches ---------------------------------------------------------------------------


def _breach(notice, actor, *, when, action="advice"):
    return services.cp_breach_record(
        actor=actor,
        notice=notice,
        data={"occurred_at": when, "location": "Testford station", "reported_by": "PCSO Example", "action": action},
    )


def test_a_breach_dated_before_service_is_refused(personas):
    notice = served_warning(personas.officer_a, personas.supervisor, days_ago=3)
    with pytest.raises(ValidationError) as refused:
        _breach(notice, personas.officer_a, when=timezone.now() - timedelta(days=5))
    assert "before" in refused.value.message_dict["occurred_at"][0]
    assert not CPBreach.objects.exists()


def test_the_breach_form_keeps_what_was_typed(personas):
    notice = served_warning(personas.officer_a, personas.supervisor, days_ago=3)
    early = timezone.localtime(timezone.now() - timedelta(days=6)).strftime("%Y-%m-%dT%H:%M")
    response = verified_client(personas.officer_a).post(
        reverse("interventions:cp_breach_add", args=[notice.pk]),
        {"occurred_at": early, "location": "Typed place kept", "reported_by": "Typed reporter", "action": "advice"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Typed place kept" in body and "it did not apply yet" in body
    assert not CPBreach.objects.exists()


def test_a_breach_of_an_unserved_warning_is_refused(personas):
    notice = draft_warning(personas.officer_a)
    with pytest.raises(ValidationError):
        _breach(notice, personas.officer_a, when=timezone.now())


def test_a_warning_breach_cannot_carry_a_fixed_penalty(personas):
    notice = served_warning(personas.officer_a, personas.supervisor)
    with pytest.raises(ValidationError) as refused:
        _breach(notice, personas.officer_a, when=timezone.now(), action="fixed_penalty")
    assert "action" in refused.value.message_dict


def test_a_notice_breach_carries_the_fixed_penalty_from_the_setting(personas, settings):
    warning = served_warning(personas.officer_a, personas.supervisor, days_ago=10)
    notice = served(draft_notice(personas.officer_a, warning), personas.officer_a, personas.supervisor, days_ago=2)
    breach = _breach(notice, personas.officer_a, when=timezone.now(), action="fixed_penalty")
    assert breach.fixed_penalty_amount == Decimal("500.00")
    settings.CPN_FIXED_PENALTY_AMOUNT = Decimal("650.00")
    later = _breach(notice, personas.officer_a, when=timezone.now(), action="fixed_penalty")
    assert later.fixed_penalty_amount == Decimal("650.00")
    assert AuditEvent.objects.filter(action="create", object_type="interventions.cpbreach").count() == 2


# --- Escalation to a notice -------------------------------------------------------------


def test_a_notice_without_a_served_warning_is_refused(personas):
    warning = draft_warning(personas.officer_a)
    approved(warning, personas.officer_a, personas.supervisor)
    with pytest.raises(ValidationError) as refused:
        draft_notice(personas.officer_a, warning)
    assert "has not been served" in refused.value.message_dict["warning"][0]


def test_the_notice_form_refuses_an_unserved_warning_next_to_the_field(personas):
    warning = draft_warning(personas.officer_a)
    today = timezone.localdate()
    response = verified_client(personas.officer_a).post(
        reverse("interventions:cp_notice_create", args=[warning.case_id]),
        {
            "warning": warning.pk,
            "conduct": "Typed notice conduct",
            "effect": "Typed notice effect",
            **_date_post("planned_issue_on", today),
            **_date_post("review_on", today + timedelta(days=30)),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "has not been served" in body and "Typed notice conduct" in body
    assert not CommunityProtection.objects.filter(kind=CPKind.NOTICE).exists()


def test_a_notice_starts_with_the_warnings_conditions(personas):
    warning = served_warning(personas.officer_a, personas.supervisor)
    notice = draft_notice(personas.officer_a, warning)
    assert [c.plain_english for c in notice.conditions.all()] == [c.plain_english for c in warning.conditions.all()]
    assert notice.warning == warning and notice.reference.startswith("CPN")


def test_the_appeal_window_is_21_days_from_service(personas):
    warning = served_warning(personas.officer_a, personas.supervisor, days_ago=10)
    notice = served(draft_notice(personas.officer_a, warning), personas.officer_a, personas.supervisor, days_ago=5)
    clock = notice.appeal_clock()
    assert clock["deadline"] == notice.served_on + timedelta(days=21)
    assert clock["days_left"] == 16 and not clock["closed"]
    assert warning.appeal_clock() is None  # a warning cannot be appealed
    with time_machine.travel(timezone.now() + timedelta(days=17)):
        assert notice.appeal_clock()["closed"]
    client = verified_client(personas.officer_a)
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "16 days left" in page and f"{clock['deadline']:%-d %B %Y}" in page
    case_page = client.get(reverse("cases:case_detail", args=[notice.case_id])).content.decode()
    assert notice.reference in case_page and "16 days left" in case_page


# --- Chronology, audit, closure hook ----------------------------------------------------


def test_every_event_is_on_the_chronology(personas):
    warning = served_warning(personas.officer_a, personas.supervisor, days_ago=3)
    _breach(warning, personas.officer_a, when=timezone.now() - timedelta(hours=2), action="escalated")
    entries = chronology.chronology_for(person=warning.case.person, user=personas.officer_a).entries
    titles = [e.title for e in entries if e.type == "community_protection"]
    ref = warning.reference
    for expected in (
        f"Community Protection Warning {ref} drafted",
        f"{ref} sent for supervisor approval",
        f"{ref} approved for issue",
        f"Community Protection Warning {ref} issued",
        f"Community Protection Warning {ref} served",
        f"Breach of {ref} at Testford station",
    ):
        assert expected in titles


def test_the_detail_page_is_audited_and_scoped(personas):
    notice = served_warning(personas.officer_a, personas.supervisor)
    url = notice.get_absolute_url()
    response = verified_client(personas.officer_a).get(url)
    assert response.status_code == 200 and CONDUCT in response.content.decode()
    assert AuditEvent.objects.filter(action="view", object_id=str(notice.pk), actor_id=personas.officer_a.pk).exists()
    assert verified_client(personas.officer_b).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="access_denied", actor_id=personas.officer_b.pk).exists()
    assert verified_client(personas.partner).get(url).status_code == 403
    assert verified_client(personas.force_lead).get(url).status_code == 200


def test_the_force_lead_reads_but_cannot_change(personas):
    notice = draft_warning(personas.officer_a)
    client = verified_client(personas.force_lead)
    body = client.get(notice.get_absolute_url()).content.decode()
    assert "Send for supervisor approval" not in body
    assert client.post(reverse("interventions:cp_submit", args=[notice.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.cp_submit(actor=personas.force_lead, notice=notice)


def test_another_teams_officer_cannot_act(personas):
    notice = draft_warning(personas.officer_a)
    client = verified_client(personas.officer_b)
    assert client.post(reverse("interventions:cp_submit", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.is_draft


def test_unserved_warnings_block_closure_and_served_ones_do_not(personas):
    notice = draft_warning(personas.officer_a)
    blocking = open_interventions_blocking_closure(notice.case)
    assert len(blocking) == 1 and notice.reference in blocking[0]
    served(notice, personas.officer_a, personas.supervisor, days_ago=0)
    assert open_interventions_blocking_closure(notice.case) == []
