"""A release time corrected or removed after the 48-hour clock started: the clock's
start and every item's due time follow it (custody_event_update → checklist_follow_release)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from custody.clock import services
from custody.models import Checklist, ChecklistOutbox, ComplianceRecord, ItemStatus, OutboxKind
from custody.review import services as review_services
from safeguarding.audit.models import AuditEvent
from tests.custody.clock.helpers import make_case, make_event

pytestmark = pytest.mark.django_db

RELEASED = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)


def _start(personas, released_at=RELEASED):
    case = make_case(owner=personas.officer_a)
    event = make_event(
        case=case, by=personas.officer_a, arrested_at=released_at - timedelta(hours=6), released_at=released_at
    )
    checklist = services.checklist_follow_release(actor=personas.officer_a, event=event)
    return event, checklist


def _correct(personas, event, released_at):
    event.refresh_from_db()
    return review_services.custody_event_update(
        actor=personas.officer_a, event=event, data={"released_at": released_at}, expected_version=event.version
    )


def _item(checklist, code):
    return checklist.items.get(template_item__code=code)


def test_a_corrected_release_time_moves_the_start_and_every_due_time(personas):
    with time_machine.travel(RELEASED + timedelta(hours=1), tick=False):
        event, checklist = _start(personas)
        _correct(personas, event, RELEASED + timedelta(minutes=90))
    checklist.refresh_from_db()
    new_start = RELEASED + timedelta(minutes=90)
    assert checklist.started_at == new_start
    assert checklist.start_corrected_from == RELEASED
    hours = [(i.due_at - new_start) / timedelta(hours=1) for i in checklist.items.order_by("position")]
    assert hours == [4, 4, 4, 24, 24, 24, 24, 48, 48, 48, 48, 48]
    audit = AuditEvent.objects.get(object_type="custody.checklist", object_id=str(checklist.pk), action="update")
    assert audit.detail["start_moved"]["from"] == RELEASED.isoformat()
    assert len(audit.detail["start_moved"]["items"]) == 12


def test_the_corrected_due_times_count_real_hours_across_the_october_change(personas):
    # 20:00 BST on the eve of the change (26 October 2025, 01:00 UTC): 24 real hours later is 19:00 GMT.
    eve = datetime(2025, 10, 25, 19, 0, tzinfo=UTC)
    with time_machine.travel(eve - timedelta(hours=1), tick=False):
        event, checklist = _start(personas, released_at=eve - timedelta(hours=2))
        _correct(personas, event, eve.astimezone(ZoneInfo("Europe/London")))
    assert _item(checklist, "risk_assessment").due_at == eve + timedelta(hours=24)


def test_a_reminder_already_sent_is_not_sent_again_for_a_later_deadline(personas):
    with time_machine.travel(RELEASED + timedelta(hours=3, minutes=30), tick=False):
        event, checklist = _start(personas)
        services.checklist_sweep()
        item = _item(checklist, "release_safety_plan")
        assert ChecklistOutbox.objects.filter(item=item, kind=OutboxKind.REMINDER).count() == 1
        _correct(personas, event, RELEASED + timedelta(hours=2))
        services.checklist_sweep()
    item.refresh_from_db()
    assert item.due_at == RELEASED + timedelta(hours=6)
    assert ChecklistOutbox.objects.filter(item=item, kind=OutboxKind.REMINDER).count() == 1


def test_an_escalation_for_a_deadline_that_the_correction_moves_into_the_future_is_withdrawn(personas):
    with time_machine.travel(RELEASED + timedelta(hours=5), tick=False):
        event, checklist = _start(personas)
        services.checklist_sweep()
        item = _item(checklist, "release_safety_plan")
        assert ComplianceRecord.objects.filter(item=item).exists()
        _correct(personas, event, RELEASED + timedelta(hours=3))  # now due 7 h after the old start
        services.checklist_sweep()
    item.refresh_from_db()
    assert item.escalated_at is None and not item.is_overdue(RELEASED + timedelta(hours=5))
    assert not ComplianceRecord.objects.filter(item=item).exists()
    audit = AuditEvent.objects.get(object_type="custody.checklist", object_id=str(checklist.pk), action="update")
    assert any("compliance_withdrawn" in change for change in audit.detail["start_moved"]["items"])
    # Missed at the corrected deadline: recorded afresh, but the supervisor is not told twice.
    with time_machine.travel(RELEASED + timedelta(hours=8), tick=False):
        services.checklist_sweep()
    record = ComplianceRecord.objects.get(item=item)
    assert record.due_at == RELEASED + timedelta(hours=7)
    assert ChecklistOutbox.objects.filter(item=item, kind=OutboxKind.ESCALATION).count() == 1


def test_a_missed_deadline_still_missed_after_the_correction_keeps_its_record_with_the_new_due_time(personas):
    with time_machine.travel(RELEASED + timedelta(hours=10), tick=False):
        event, checklist = _start(personas)
        services.checklist_sweep()
        _correct(personas, event, RELEASED + timedelta(hours=1))
    item = _item(checklist, "release_safety_plan")
    assert ComplianceRecord.objects.get(item=item).due_at == RELEASED + timedelta(hours=5)
    assert item.escalated_at is not None


def test_an_item_done_late_is_judged_again_against_the_corrected_deadline(personas):
    with time_machine.travel(RELEASED + timedelta(hours=4, minutes=30), tick=False):
        event, checklist = _start(personas)
        late = _item(checklist, "release_safety_plan")
        services.item_mark_done(actor=personas.officer_a, item=late)
        assert ComplianceRecord.objects.filter(item=late).exists()
        _correct(personas, event, RELEASED + timedelta(hours=1))
    assert not ComplianceRecord.objects.filter(item=late).exists()
    late.refresh_from_db()
    assert late.status == ItemStatus.DONE and not late.was_late


def test_removing_the_release_time_stops_the_clock_and_recording_it_again_restarts_it(personas):
    with time_machine.travel(RELEASED + timedelta(hours=1), tick=False):
        event, checklist = _start(personas)
        done = _item(checklist, "release_safety_plan")
        services.item_mark_done(actor=personas.officer_a, item=done)
        _correct(personas, event, None)
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.STOPPED
    assert not checklist.items.filter(status=ItemStatus.PENDING).exists()
    assert checklist.items.filter(not_applicable_reason=services.STOPPED_REASON).count() == 9
    with time_machine.travel(RELEASED + timedelta(days=2), tick=False):
        services.checklist_sweep()
        assert not ChecklistOutbox.objects.exists()
        _correct(personas, event, RELEASED + timedelta(days=1, hours=23))
    checklist.refresh_from_db()
    assert checklist.status == Checklist.Status.RUNNING
    assert checklist.started_at == RELEASED + timedelta(days=1, hours=23)
    assert checklist.items.filter(status=ItemStatus.PENDING).count() == 9
    assert _item(checklist, "release_safety_plan").status == ItemStatus.DONE
    assert _item(checklist, "philomena_profile").status == ItemStatus.NOT_APPLICABLE
    assert _item(checklist, "follow_up_contact").due_at == checklist.started_at + timedelta(hours=48)


def test_the_checklist_page_shows_the_correction(personas):
    with time_machine.travel(RELEASED + timedelta(hours=1), tick=False):
        event, checklist = _start(personas)
        _correct(personas, event, RELEASED + timedelta(minutes=45))
        page = personas.client("officer_a").get(reverse("custody:checklist_detail", args=[checklist.pk]))
    text = page.content.decode()
    assert 'id="checklist-start-corrected"' in text
    assert "the clock had started Monday 2 June 2025, 10:30" in text
