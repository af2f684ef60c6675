"""The sweep, in-process: reminders before each deadline, escalations when overdue,
compliance records, exactly-once delivery, the deadline edges and the clock changes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.test import override_settings
from django.utils import timezone

from custody.clock import selectors, services
from custody.clock.services import sweep
from custody.models import ChecklistItem, ChecklistOutbox, ComplianceRecord, ItemStatus, OutboxKind
from safeguarding.notifications.models import Notification
from tests.custody.clock.helpers import PERSON_FAMILY, PERSON_GIVEN, make_case, start_checklist

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
RELEASED = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
LEAD = timedelta(minutes=60)


def sweep_at(moment: datetime) -> services.SweepResult:
    with time_machine.travel(moment, tick=False):
        return services.checklist_sweep()


@pytest.fixture
def checklist(personas):
    case = make_case(owner=personas.officer_a)
    return start_checklist(case=case, by=personas.officer_a, released_at=RELEASED)


def first_item(checklist) -> ChecklistItem:
    return checklist.items.get(position=1)  # due at +4 h


@override_settings(CHECKLIST_REMINDER_LEAD_MINUTES=60)
def test_a_reminder_goes_to_the_owner_once_the_lead_time_before_the_deadline(personas, checklist):
    item = first_item(checklist)
    assert sweep_at(item.due_at - LEAD - timedelta(seconds=1)).reminders == 0
    result = sweep_at(item.due_at - LEAD)
    assert result.reminders == 3  # the three 4-hour items
    assert result.delivered == 3

    reminder = ChecklistOutbox.objects.get(item=item, kind=OutboxKind.REMINDER)
    assert reminder.delivered_at is not None and reminder.email_sent_at is not None
    notes = Notification.objects.filter(user=personas.officer_a, kind="checklist_reminder")
    assert notes.count() == 3
    assert len(mail.outbox) == 3
    assert all(m.to == [personas.officer_a.email] for m in mail.outbox)

    # Again and again: nothing new.
    assert sweep_at(item.due_at - LEAD + timedelta(minutes=5)).reminders == 0
    assert notes.count() == 3
    assert len(mail.outbox) == 3


@override_settings(CHECKLIST_REMINDER_LEAD_MINUTES=60)
def test_emails_carry_a_case_reference_and_a_link_but_never_names(personas, checklist):
    item = first_item(checklist)
    sweep_at(item.due_at + timedelta(minutes=1))
    assert mail.outbox
    case = checklist.case
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        assert case.reference in text
        assert f"/custody/checklists/{checklist.pk}/" in message.body
        for name in (PERSON_GIVEN, PERSON_FAMILY, personas.officer_a.full_name, personas.supervisor.full_name):
            assert name not in text
        assert message.extra_headers["Message-ID"].startswith("<checklist-item-")


@pytest.mark.parametrize(
    ("elapsed", "escalated"),
    [
        (timedelta(hours=47, minutes=59), False),
        (timedelta(hours=48), False),  # done exactly at the due time is on time
        (timedelta(hours=48, minutes=1), True),
    ],
    ids=["47:59", "48:00", "48:01"],
)
def test_48_hour_deadline_edges(personas, checklist, elapsed, escalated):
    sweep_at(RELEASED + elapsed)
    review = checklist.items.get(template_item__code="supervisor_review")
    assert review.due_at == RELEASED + timedelta(hours=48)
    assert ChecklistOutbox.objects.filter(item=review, kind=OutboxKind.ESCALATION).exists() is escalated
    assert ComplianceRecord.objects.filter(item=review).exists() is escalated
    # The 24-hour items are long overdue in every case.
    assert (
        ComplianceRecord.objects.filter(item__checklist=checklist, item__due_at=RELEASED + timedelta(hours=24)).count()
        == 3
    )


def test_an_overdue_item_is_escalated_to_the_supervisor_with_a_compliance_record(personas, checklist):
    item = first_item(checklist)
    moment = item.due_at + timedelta(minutes=3)
    result = sweep_at(moment)
    assert result.escalations == 3
    record = ComplianceRecord.objects.get(item=item)
    assert record.due_at == item.due_at
    assert record.detected_at == moment
    assert record.resolved_at is None
    escalations = Notification.objects.filter(kind="checklist_escalation")
    assert set(escalations.values_list("user", flat=True)) == {personas.supervisor.pk}
    assert escalations.count() == 3
    assert sum(1 for m in mail.outbox if m.to == [personas.supervisor.email]) == 3
    # The owner was reminded too (the reminder was never sent before the deadline).
    assert Notification.objects.filter(kind="checklist_reminder", user=personas.officer_a).count() == 3

    # Done later: the record keeps the time of the work, not of any sweep.
    done_at = moment + timedelta(hours=2)
    with time_machine.travel(done_at, tick=False):
        services.item_mark_done(actor=personas.officer_a, item=item)
    sweep_at(done_at + timedelta(minutes=10))
    record.refresh_from_db()
    assert record.resolved_at == done_at
    assert record.resolution == ItemStatus.DONE
    assert ComplianceRecord.objects.filter(item=item).count() == 1


def test_compliance_compares_done_time_with_due_time_not_the_sweep_time(personas, checklist):
    on_time, late = checklist.items.get(position=1), checklist.items.get(position=2)
    with time_machine.travel(on_time.due_at - timedelta(minutes=1), tick=False):
        services.item_mark_done(actor=personas.officer_a, item=on_time)
    with time_machine.travel(late.due_at + timedelta(minutes=20), tick=False):
        services.item_mark_done(actor=personas.officer_a, item=late)
    # The sweep was down all along and runs only now.
    sweep_at(RELEASED + timedelta(hours=10))
    assert not ComplianceRecord.objects.filter(item=on_time).exists()
    assert ComplianceRecord.objects.get(item=late).resolved_at == late.due_at + timedelta(minutes=20)
    # Resolved items get no reminder or escalation however late the sweep.
    assert not ChecklistOutbox.objects.filter(item__in=[on_time, late]).exists()


def test_without_a_supervisor_the_force_lead_is_told(personas):
    case = make_case(owner=personas.officer_b)  # team_b has no supervisor
    checklist = start_checklist(case=case, by=personas.officer_b, released_at=RELEASED)
    sweep_at(first_item(checklist).due_at + timedelta(minutes=1))
    assert set(Notification.objects.filter(kind="checklist_escalation").values_list("user", flat=True)) == {
        personas.force_lead.pk
    }


def test_an_item_resolved_before_delivery_sends_nothing(personas, checklist):
    item = first_item(checklist)
    with time_machine.travel(item.due_at - LEAD, tick=False):
        sweep._queue_reminders(timezone.now(), 100)
        services.item_mark_done(actor=personas.officer_a, item=item)
        services.outbox_deliver()
    row = ChecklistOutbox.objects.get(item=item, kind=OutboxKind.REMINDER)
    assert row.delivered_at is not None
    assert row.skipped_reason
    assert row.notified_at is None
    assert not Notification.objects.filter(dedupe_key__startswith=f"checklist:{item.pk}:").exists()


def test_a_failed_email_keeps_the_in_app_notification_and_is_retried_once(personas, checklist, monkeypatch):
    item = first_item(checklist)
    calls = {"n": 0}
    real_send = EmailMessage.send

    def flaky_send(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("mail server unreachable")
        return real_send(self, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky_send)
    moment = item.due_at - LEAD
    first = sweep_at(moment)
    assert first.email_failures == 1
    failed = ChecklistOutbox.objects.get(last_error__startswith="OSError")
    assert failed.notified_at is not None and failed.delivered_at is None
    assert Notification.objects.filter(dedupe_key__startswith=f"checklist:{failed.item_id}:reminder:").count() == 1

    # Too early for the retry: nothing happens.
    sweep_at(moment + timedelta(seconds=30))
    failed.refresh_from_db()
    assert failed.delivered_at is None

    sweep_at(moment + timedelta(minutes=10))
    failed.refresh_from_db()
    assert failed.delivered_at is not None and failed.attempts == 2
    assert Notification.objects.filter(dedupe_key__startswith=f"checklist:{failed.item_id}:reminder:").count() == 1
    assert len(mail.outbox) == 3


# --- Clock changes: store UTC, count real elapsed time, show UK time --------------------


@pytest.mark.parametrize(
    ("released_local", "due_local_24h"),
    [
        # Autumn: clocks go back at 02:00 BST on 26 October 2025; 24 real hours after
        # 20:00 BST on the 25th is 19:00 GMT on the 26th.
        (datetime(2025, 10, 25, 20, 0), "Sun 26 Oct, 19:00"),
        # Spring: clocks go forward at 01:00 GMT on 30 March 2025; 24 real hours after
        # 20:00 GMT on the 29th is 21:00 BST on the 30th.
        (datetime(2025, 3, 29, 20, 0), "Sun 30 Mar, 21:00"),
    ],
    ids=["october", "march"],
)
def test_deadlines_across_the_clock_change_count_real_hours(personas, released_local, due_local_24h):
    released = released_local.replace(tzinfo=LONDON)
    # Python adds hours to a zoned datetime on the wall clock; the test counts in UTC.
    released_utc = released.astimezone(UTC)
    case = make_case(owner=personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=released)
    item = checklist.items.get(template_item__code="risk_assessment")  # 24 h
    assert item.due_at - released == timedelta(hours=24)  # real hours
    assert item.due_at == released_utc + timedelta(hours=24)
    assert timezone.localtime(item.due_at).strftime("%a %-d %b, %H:%M") == due_local_24h

    review = checklist.items.get(template_item__code="supervisor_review")  # 48 h
    for elapsed, escalated in [
        (timedelta(hours=47, minutes=59), False),
        (timedelta(hours=48), False),
        (timedelta(hours=48, minutes=1), True),
    ]:
        sweep_at(released_utc + elapsed)
        assert ChecklistOutbox.objects.filter(item=review, kind=OutboxKind.ESCALATION).exists() is escalated, elapsed


def test_the_page_countdown_matches_the_sweep(personas, checklist):
    item = first_item(checklist)
    now = item.due_at - timedelta(hours=1, minutes=5)
    selectors.annotate_item(item, now)
    assert item.countdown == "1 h 05 min left"
    assert item.due_soon and not item.overdue
    selectors.annotate_item(item, item.due_at + timedelta(minutes=35))
    assert item.countdown == "overdue by 35 min"
    assert item.overdue
