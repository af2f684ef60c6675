"""Durations across the October clock change are real time, whatever zone the caller's
``now`` is in: arithmetic on an aware Europe/London datetime in Python is wall-clock
arithmetic (00:30 BST + 4 h = 04:30 GMT, five real hours later)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from custody.clock import selectors, services
from custody.models import ChecklistItem, ItemStatus
from tests.custody.clock.helpers import make_case, start_checklist

UK = ZoneInfo("Europe/London")
# 00:30 BST on Sunday 26 October 2025, half an hour before the clocks go back (23:30 UTC).
BEFORE_CHANGE = datetime(2025, 10, 26, 0, 30, tzinfo=UK)


def test_due_soon_counts_real_hours_from_a_local_now():
    assert BEFORE_CHANGE.astimezone(UTC) == datetime(2025, 10, 25, 23, 30, tzinfo=UTC)
    # Due 4 h 30 min of real time later: outside the 4-hour "due soon" window.
    item = ChecklistItem(status=ItemStatus.PENDING, due_at=datetime(2025, 10, 26, 4, 0, tzinfo=UTC))
    with override_settings(CHECKLIST_DUE_SOON_HOURS=4):
        selectors.annotate_item(item, BEFORE_CHANGE)
    assert not item.due_soon and not item.overdue
    assert item.countdown == "4 h 30 min left"


def test_the_countdown_between_two_local_times_is_real_time():
    due = datetime(2025, 10, 26, 4, 0, tzinfo=UTC).astimezone(UK)  # 04:00 GMT
    assert selectors.countdown_text(due, BEFORE_CHANGE) == "4 h 30 min left"


@pytest.mark.django_db
def test_the_sweep_reminds_within_real_lead_time_from_a_local_now(personas):
    case = make_case(owner=personas.officer_a)
    # Released 22:00 UTC: the 4-hour items are due at 02:00 UTC, 2 h 30 min of real time
    # after BEFORE_CHANGE — outside a 2-hour lead (wall-clock: 00:30 + 2 h = 02:30 GMT).
    checklist = start_checklist(case=case, by=personas.officer_a, released_at=datetime(2025, 10, 25, 22, 0, tzinfo=UTC))
    with override_settings(CHECKLIST_REMINDER_LEAD_MINUTES=120):
        result = services.checklist_sweep(now=BEFORE_CHANGE)
    assert result.reminders == 0
    assert not checklist.items.filter(reminder_queued_at__isnull=False).exists()
    with override_settings(CHECKLIST_REMINDER_LEAD_MINUTES=150):
        assert services.checklist_sweep(now=BEFORE_CHANGE).reminders == 3
    assert checklist.items.get(position=1).due_at - BEFORE_CHANGE == timedelta(hours=2, minutes=30)
