"""The sweep that enforces the 48-hour clock's deadlines.

Reliability. Deadlines live in PostgreSQL; Celery only carries the periodic *sweep*,
never an ETA or countdown task per deadline, so a lost message or a restarted or
flushed broker loses nothing: the next sweep finds the same work.

The sweep does three things, each claimed with SELECT … FOR UPDATE SKIP LOCKED so
that two sweeps (two beats, a redelivered message, two workers) share the work
rather than repeat it (the claims are the core's safeguarding.notifications.outbox.
outbox_queue, the rows due are ChecklistItem.objects.due_for_reminder / _escalation):

1. reminders: pending items due within the lead time and not yet reminded get a
   ChecklistOutbox row (kind reminder) and ``reminder_queued_at``, in one transaction;
2. escalations: pending items past their due time and not yet escalated get an
   outbox row (kind escalation), a ComplianceRecord and ``escalated_at``;
3. delivery: the outbox rows due, through the core's notifications_deliver
   (safeguarding.notifications.delivery): in-app notifications exactly once (a dedupe
   key per item, kind and recipient), emails at least once with a stable Message-ID
   (item and kind) and a retry with back-off (CHECKLIST_EMAIL_RETRY_MINUTES, doubling).

Exactly once. The outbox is UNIQUE (item, kind) and rows are written with ON
CONFLICT DO NOTHING, so each reminder and escalation is *decided* once; the
delivery module explains why each is then delivered once in-app and at least once
by email.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from custody.models import (
    ChecklistItem,
    ChecklistOutbox,
    ComplianceRecord,
    OutboxKind,
)
from safeguarding.accounts.models import User
from safeguarding.core.time import utc_now
from safeguarding.notifications.delivery import Message, Skip, notifications_deliver
from safeguarding.notifications.emails import message_id
from safeguarding.notifications.outbox import Due, outbox_queue

from .common import escalation_recipients
from .return_interviews import interview_outbox_deliver, queue_interview_escalations, queue_interview_reminders


@dataclass
class SweepResult:
    reminders: int = 0
    escalations: int = 0
    delivered: int = 0
    email_failures: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reminders} reminder(s) and {self.escalations} escalation(s) queued, "
            f"{self.delivered} message(s) delivered, {self.email_failures} email failure(s)"
        )


def _queue_reminders(now: datetime, batch: int) -> int:
    lead = timedelta(minutes=settings.CHECKLIST_REMINDER_LEAD_MINUTES)
    # Uses checkitem_remind_due_idx (partial: pending, not reminded).
    reminders = Due(
        rows=ChecklistItem.objects.due_for_reminder(now, lead),
        outbox=lambda row, at: ChecklistOutbox(item_id=row[0], kind=OutboxKind.REMINDER, created_at=at),
        mark="reminder_queued_at",
    )
    return outbox_queue(reminders, now=now, batch=batch)


def _record_missed(rows: list[tuple[Any, ...]], now: datetime) -> None:
    ComplianceRecord.objects.bulk_create(
        [ComplianceRecord(item_id=pk, case_id=case_id, due_at=due, detected_at=now) for pk, due, case_id in rows],
        ignore_conflicts=True,
    )


def _queue_escalations(now: datetime, batch: int) -> int:
    # Uses checkitem_escalate_due_idx (partial: pending, not escalated).
    # Strictly after the due time: an item done exactly at its due time is on time.
    escalations = Due(
        rows=ChecklistItem.objects.due_for_escalation(now),
        outbox=lambda row, at: ChecklistOutbox(item_id=row[0], kind=OutboxKind.ESCALATION, created_at=at),
        mark="escalated_at",
        values=("due_at", "checklist__case_id"),
        also=_record_missed,
    )
    return outbox_queue(escalations, now=now, batch=batch)


def _recipients(row: ChecklistOutbox, supervisors: dict[int, list[User]]) -> list[User]:
    item = row.item
    if row.kind == OutboxKind.REMINDER:
        return [item.owner] if item.owner.is_active else []
    return escalation_recipients(item.checklist.case.team, supervisors)


def _message_context(row: ChecklistOutbox, now: datetime) -> dict[str, Any]:
    item = row.item
    checklist = item.checklist
    return {
        "kind": row.kind,
        "case_reference": checklist.case.reference,
        "item_title": item.title,
        "due_at": timezone.localtime(item.due_at),
        "overdue": item.is_overdue(now),
        "url": f"{settings.SITE_URL}{checklist.get_absolute_url()}",
        "path": checklist.get_absolute_url(),
    }


def _composer() -> Callable[[ChecklistOutbox, datetime], Message | Skip]:
    """What an outbox row sends: a reminder to the item's owner, an escalation to the
    team's supervisors; nothing once the item is resolved."""
    supervisors: dict[int, list[User]] = {}

    def compose(row: ChecklistOutbox, now: datetime) -> Message | Skip:
        item = row.item
        if not item.is_pending:
            # Resolved between the decision and the delivery: nothing to remind about.
            return Skip(f"Item already {item.get_status_display().lower()} at delivery.")
        context = _message_context(row, now)
        return Message(
            recipients=_recipients(row, supervisors),
            email=f"checklist-{row.kind}",
            context=context,
            kind=f"checklist_{row.kind}",
            path=context["path"],
            # The outbox row's natural key (item, kind).
            dedupe_key=f"checklist:{row.item_id}:{row.kind}",
            message_id=message_id(f"checklist-item-{row.item_id}-{row.kind}"),
        )

    return compose


def outbox_deliver() -> tuple[int, int]:
    """Deliver every outbox row due for delivery: (delivered, email failures)."""
    # Uses checkoutbox_undelivered_idx (partial: not delivered).
    outbox = ChecklistOutbox.objects.select_related(
        "item", "item__owner", "item__checklist", "item__checklist__case__team"
    )
    return notifications_deliver(
        outbox=outbox,
        compose=_composer(),
        batch_size=settings.CHECKLIST_DELIVERY_BATCH,
        retry_minutes=settings.CHECKLIST_EMAIL_RETRY_MINUTES,
    )


def checklist_sweep(*, now: datetime | None = None) -> SweepResult:
    """Run by beat every CHECKLIST_SWEEP_SECONDS. Idempotent; safe to run concurrently.

    It enforces the return home interview clock too (services.return_interviews): the
    same claims, an outbox of the same kind, the same delivery."""
    # In UTC: "due within the lead time" is real time, even for a caller's local ``now``.
    now = utc_now(now)
    batch = settings.CHECKLIST_SWEEP_BATCH
    result = SweepResult()
    result.reminders = _queue_reminders(now, batch) + queue_interview_reminders(now, batch)
    result.escalations = _queue_escalations(now, batch) + queue_interview_escalations(now, batch)
    delivered, failures = outbox_deliver()
    interviews_delivered, interview_failures = interview_outbox_deliver()
    result.delivered = delivered + interviews_delivered
    result.email_failures = failures + interview_failures
    return result
