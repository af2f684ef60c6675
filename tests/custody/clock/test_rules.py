"""The clock's rules written once (custody.models.deadlines, referrals.models.nrm): the
QuerySet methods pick exactly the rows the model methods name, at the edges too, and
the core's claim loop (safeguarding.notifications.outbox) refuses a rule whose rows
stay due once decided."""

from datetime import UTC, date, datetime, timedelta

import pytest

from custody.models import ChecklistItem, ChecklistOutbox, ItemStatus, OutboxKind
from referrals.models import rg_due_on, rg_overdue_cutoff
from safeguarding.notifications.outbox import Due, outbox_queue
from tests.custody.clock.helpers import make_case, start_checklist

pytestmark = pytest.mark.django_db

RELEASED = datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
WINDOW = timedelta(hours=2)


@pytest.fixture
def checklist(personas):
    return start_checklist(case=make_case(owner=personas.officer_a), by=personas.officer_a, released_at=RELEASED)


def test_the_querysets_and_the_model_methods_agree_at_every_edge(checklist):
    items = list(checklist.items.all())
    pending = [i for i in items if i.status == ItemStatus.PENDING]
    assert pending, "the template starts pending items"
    moments = {RELEASED}
    for item in pending:
        # Just before, exactly at and just after each due time, and at the edge of the window.
        for due in (item.due_at, item.due_at - WINDOW):
            moments |= {due - timedelta(seconds=1), due, due + timedelta(seconds=1)}
    for now in sorted(moments):
        assert set(ChecklistItem.objects.filter(checklist=checklist).overdue(now)) == {
            i for i in items if i.is_overdue(now)
        }, now
        assert set(ChecklistItem.objects.filter(checklist=checklist).due_soon(now, WINDOW)) == {
            i for i in items if i.is_due_soon(now, WINDOW)
        }, now
        # Overdue or due soon: what the home panel lists.
        assert set(ChecklistItem.objects.filter(checklist=checklist).due_by(now + WINDOW)) == {
            i for i in items if i.is_overdue(now) or i.is_due_soon(now, WINDOW)
        }, now
    # Done exactly at the due time is on time.
    first = pending[0]
    assert not first.is_overdue(first.due_at)
    assert first not in ChecklistItem.objects.overdue(first.due_at)
    assert first in ChecklistItem.objects.due_for_escalation(first.due_at + timedelta(microseconds=1))


def test_running_checklists_hold_the_open_items(checklist):
    assert set(ChecklistItem.objects.pending().on_running_checklists()) == set(checklist.items.pending())


def test_a_rule_whose_rows_stay_due_is_refused(checklist):
    """Without a mark (or an outbox row that excludes them) the same rows would be claimed forever."""
    never_marked = Due(
        rows=ChecklistItem.objects.filter(checklist=checklist).pending(),
        outbox=lambda row, at: ChecklistOutbox(item_id=row[0], kind=OutboxKind.REMINDER, created_at=at),
    )
    with pytest.raises(RuntimeError, match="stay due"):
        outbox_queue(never_marked, now=RELEASED, batch=None)


def test_a_decided_rule_is_decided_once(checklist):
    reminders = Due(
        rows=ChecklistItem.objects.filter(checklist=checklist).due_for_reminder(RELEASED, timedelta(hours=100)),
        outbox=lambda row, at: ChecklistOutbox(item_id=row[0], kind=OutboxKind.REMINDER, created_at=at),
        mark="reminder_queued_at",
    )
    pending = checklist.items.pending().count()
    assert outbox_queue(reminders, now=RELEASED, batch=2) == pending
    assert outbox_queue(reminders, now=RELEASED, batch=2) == 0
    assert ChecklistOutbox.objects.filter(item__checklist=checklist).count() == pending


def test_the_rg_overdue_cutoff_is_the_sweeps_rule():
    """NRMReferral.objects.rg_overdue(today) (submitted on or before the cutoff) is the rule
    the sweep used to apply row by row: today is after rg_due_on(submitted_on)."""
    for today in (date(2026, 4, 1) + timedelta(days=n) for n in range(21)):
        cutoff = rg_overdue_cutoff(today)
        for submitted in (today - timedelta(days=n) for n in range(15)):
            assert (submitted <= cutoff) is (today > rg_due_on(submitted)), (today, submitted)
