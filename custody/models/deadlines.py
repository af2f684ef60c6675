"""The clock's rules, written once: what "pending", "overdue", "due soon" and "due for a
reminder or an escalation" mean for anything with a deadline — a checklist item or a
return home interview (both have ``status``, ``due_at``, ``reminder_queued_at`` and
``escalated_at``, and "pending" is their one open status).

The same rule three ways: a QuerySet method (``ChecklistItem.objects.overdue(now)``), a
``Q`` for an aggregate over pending rows (``overdue_q(now)``), and a model method for a row
in hand (``item.is_overdue(now)``). Strictly after the due time is overdue: done exactly
at the due time is on time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Self, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

__all__ = ["DeadlineMixin", "DeadlineQuerySet", "due_soon_q", "later_q", "overdue_q"]

PENDING = "pending"
M = TypeVar("M", bound=models.Model)


def overdue_q(now: datetime) -> Q:
    """Of pending rows: past the due time."""
    return Q(due_at__lt=now)


def due_soon_q(now: datetime, window: timedelta) -> Q:
    """Of pending rows: not yet overdue and due within ``window``."""
    return Q(due_at__gte=now, due_at__lte=now + window)


def later_q(now: datetime, window: timedelta) -> Q:
    """Of pending rows: due beyond ``window``."""
    return Q(due_at__gt=now + window)


class DeadlineQuerySet(models.QuerySet[M]):
    """Rows with a deadline. The sweep's two filters match the partial indexes of each
    model (…_remind_due_idx and …_escalate_due_idx: pending and not yet reminded or
    escalated); the others match …_open_due_idx (pending)."""

    def pending(self) -> Self:
        return self.filter(status=PENDING)

    def overdue(self, now: datetime) -> Self:
        return self.pending().filter(overdue_q(now))

    def due_soon(self, now: datetime, window: timedelta) -> Self:
        return self.pending().filter(due_soon_q(now, window))

    def due_by(self, moment: datetime) -> Self:
        """Pending and due at or before ``moment``: overdue or due soon when ``moment``
        is now plus the due-soon window."""
        return self.pending().filter(due_at__lte=moment)

    def due_for_reminder(self, now: datetime, lead: timedelta) -> Self:
        """Pending, due within the lead time, and not yet reminded."""
        return self.due_by(now + lead).filter(reminder_queued_at__isnull=True)

    def due_for_escalation(self, now: datetime) -> Self:
        """Pending, past the due time, and not yet escalated."""
        return self.overdue(now).filter(escalated_at__isnull=True)


class DeadlineMixin:
    """The same rules for one row in hand (the pages' countdowns, the messages)."""

    status: Any
    due_at: Any

    @property
    def is_pending(self) -> bool:
        return bool(self.status == PENDING)

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Missed: still pending after its due time. Done exactly at the due time is on time."""
        return self.is_pending and (now or timezone.now()) > self.due_at

    def is_due_soon(self, now: datetime, window: timedelta) -> bool:
        return self.is_pending and not self.is_overdue(now) and self.due_at <= now + window
