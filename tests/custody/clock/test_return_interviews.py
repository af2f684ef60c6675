"""The return home interview clock: 72 hours after a return, moved or cancelled with
the return, recorded with who, when and a summary, and enforced by the 48-hour clock's
sweep — one reminder and one escalation, each exactly once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from cases import services as case_services
from cases.chronology import chronology_for
from custody.clock import services
from custody.models import OutboxKind, ReturnInterview, ReturnInterviewOutbox
from safeguarding.audit.models import AuditEvent
from safeguarding.notifications.models import Notification
from tests.custody.clock.helpers import PERSON_FAMILY, PERSON_GIVEN, make_case, make_interview

pytestmark = pytest.mark.django_db

RETURNED = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def sweep_at(moment: datetime) -> services.SweepResult:
    with time_machine.travel(moment, tick=False):
        return services.checklist_sweep()


@pytest.fixture
def interview(personas):
    with time_machine.travel(RETURNED + timedelta(minutes=5), tick=False):
        return make_interview(case=make_case(owner=personas.officer_a), by=personas.officer_a, returned_at=RETURNED)


def test_a_recorded_return_starts_the_interview_due_72_hours_later(interview, personas):
    assert interview.due_at == RETURNED + timedelta(hours=72)
    assert interview.owner == personas.officer_a and interview.is_pending
    assert AuditEvent.objects.filter(object_type="custody.returninterview", object_id=str(interview.pk)).exists()


def test_72_hours_are_real_hours_across_the_clocks_going_back(personas):
    returned = datetime(2025, 10, 24, 18, 0, tzinfo=UTC)
    with time_machine.travel(returned + timedelta(minutes=5), tick=False):
        interview = make_interview(
            case=make_case(owner=personas.officer_a), by=personas.officer_a, returned_at=returned
        )
    assert interview.due_at - interview.returned_at == timedelta(hours=72)


def test_moving_the_return_moves_the_interview_and_removing_it_cancels_it(interview, personas):
    episode = interview.episode
    with time_machine.travel(RETURNED + timedelta(hours=1), tick=False):
        case_services.missing_episode_update(
            actor=personas.officer_a, episode=episode, data={"found_at": RETURNED - timedelta(hours=2)}
        )
        interview.refresh_from_db()
        assert interview.due_at == RETURNED + timedelta(hours=70)
        case_services.missing_episode_update(actor=personas.officer_a, episode=episode, data={"found_at": None})
    interview.refresh_from_db()
    assert interview.status == ReturnInterview.Status.CANCELLED
    # Nothing to enforce any more.
    assert sweep_at(RETURNED + timedelta(days=5)).escalations == 0


@override_settings(RETURN_INTERVIEW_REMINDER_LEAD_HOURS=24)
def test_the_owner_is_reminded_once_and_the_supervisors_told_once_when_it_is_missed(interview, personas):
    due = interview.due_at
    assert sweep_at(due - timedelta(hours=24, seconds=1)).reminders == 0
    assert sweep_at(due - timedelta(hours=24)).reminders == 1
    assert sweep_at(due - timedelta(hours=23)).reminders == 0
    # Done exactly at the deadline is on time: no escalation at the due time itself.
    assert sweep_at(due).escalations == 0
    assert sweep_at(due + timedelta(seconds=1)).escalations == 1
    for minutes in (1, 5, 60):
        assert sweep_at(due + timedelta(minutes=minutes)).escalations == 0

    assert ReturnInterviewOutbox.objects.filter(interview=interview).count() == 2
    reminder = Notification.objects.filter(kind="return_interview_reminder")
    escalation = Notification.objects.filter(kind="return_interview_escalation")
    assert list(reminder.values_list("user", flat=True)) == [personas.officer_a.pk]
    assert list(escalation.values_list("user", flat=True)) == [personas.supervisor.pk]
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert interview.case.reference in text
        assert f"/custody/return-interviews/{interview.pk}/" in message.body
        assert PERSON_GIVEN not in text and PERSON_FAMILY not in text
        assert message.extra_headers["Message-ID"].startswith("<return-interview-")
    interview.refresh_from_db()
    assert interview.escalated_at == due + timedelta(seconds=1)


def test_a_second_decision_about_the_same_interview_is_refused_by_the_outbox(interview):
    sweep_at(interview.due_at + timedelta(minutes=1))
    # A second sweep that missed the flag (a redelivered task mid-transaction) writes nothing.
    ReturnInterview.objects.filter(pk=interview.pk).update(escalated_at=None, reminder_queued_at=None)
    sweep_at(interview.due_at + timedelta(minutes=2))
    assert ReturnInterviewOutbox.objects.filter(interview=interview, kind=OutboxKind.ESCALATION).count() == 1
    assert Notification.objects.filter(kind="return_interview_escalation").count() == 1


def test_an_interview_recorded_before_delivery_is_not_escalated(interview, personas):
    with time_machine.travel(RETURNED + timedelta(hours=10), tick=False):
        services.interview_record(
            actor=personas.officer_a,
            interview=interview,
            conducted_at=RETURNED + timedelta(hours=9),
            conducted_by="Ash Example, independent return interview service",
            summary="Said they stayed with older friends.",
        )
    assert sweep_at(interview.due_at + timedelta(hours=1)).escalations == 0
    assert not Notification.objects.filter(kind="return_interview_escalation").exists()


def test_recording_the_interview_on_its_page(interview, personas):
    url = reverse("custody:return_interview", args=[interview.pk])
    with time_machine.travel(RETURNED + timedelta(hours=30), tick=False):
        client = personas.client("officer_a")
        page = client.get(url).content.decode()
        assert "Record the interview" in page
        response = client.post(
            url,
            {
                "conducted_at": "2025-06-03T10:00",  # BST: 09:00 UTC
                "conducted_by": "Ash Example, independent return interview service",
                "summary": "Said they stayed with older friends and were given a phone.",
            },
        )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "done" and interview.recorded_by == personas.officer_a
    assert interview.conducted_at == datetime(2025, 6, 3, 9, 0, tzinfo=UTC) and not interview.was_late
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_type="custody.returninterview", detail__late=False
    ).exists()
    entries = chronology_for(person=interview.case.person, user=personas.officer_a, types=["return_interview"]).entries
    assert [e.title for e in entries] == [
        "Return home interview held by Ash Example, independent return interview service"
    ]


def test_an_interview_before_the_return_is_refused_keeping_what_was_typed(interview, personas):
    url = reverse("custody:return_interview", args=[interview.pk])
    with time_machine.travel(RETURNED + timedelta(hours=30), tick=False):
        response = personas.client("officer_a").post(
            url, {"conducted_at": "2025-06-01T10:00", "conducted_by": "Typed provider", "summary": "Typed summary"}
        )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The interview must be after they returned" in page
    assert "Typed provider" in page and "Typed summary" in page
    interview.refresh_from_db()
    assert interview.is_pending


def test_the_force_lead_reads_the_interview_but_gets_no_form(interview, personas):
    url = reverse("custody:return_interview", args=[interview.pk])
    page = personas.client("force_lead").get(url).content.decode()
    assert "Return home interview" in page and 'name="summary"' not in page
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor_id=personas.force_lead.pk, object_type="custody.returninterview"
    ).exists()


def test_the_interview_clock_shows_on_the_case_page_and_the_clocks_page(interview, personas):
    with time_machine.travel(RETURNED + timedelta(hours=71), tick=False):
        client = personas.client("supervisor")
        case_page = client.get(reverse("cases:case_detail", args=[interview.case_id])).content.decode()
        clocks = client.get(reverse("custody:clocks")).content.decode()
    for page in (case_page, clocks):
        assert f"/custody/return-interviews/{interview.pk}/" in page
        assert "1 h 00 min left" in page
    assert (
        personas.client("officer_b")
        .get(reverse("custody:clocks"))
        .content.decode()
        .count("/custody/return-interviews/")
        == 0
    )


def test_a_reassigned_case_gives_its_open_interview_to_the_new_owner(interview, personas):
    case_services.case_reassign(
        actor=personas.supervisor, case=interview.case, new_owner=personas.officer_a2, reason="Leave"
    )
    interview.refresh_from_db()
    assert interview.owner == personas.officer_a2
