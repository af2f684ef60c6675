"""The sweep that enforces the 48-hour clock's deadlines.

Reliability. Deadlines live in PostgreSQL; Celery only carries
the periodic *sweep*, never an ETA or countdown task per deadline, so a lost message
or a restarted or flushed broker loses nothing: the next sweep finds the same work.

The sweep does three things, each claimed with SELECT … FOR UPDATE SKIP LOCKED so
that two sweeps (two beats, a redelivered message, two workers) share the work
rather than repeat it:

1. reminders: pending items due within the lead time and not yet reminded get a
   ChecklistOutbox row (kind reminder) and ``reminder_queued_at``, in one transaction;
2. escalations: pending items past their due time and not yet escalated get an
   outbox row (kind escalation), a ComplianceRecord and ``escalated_at``;
3. delivery: undelivered outbox rows, a batch (CHECKLIST_DELIVERY_BATCH) per
   transaction: in-app notifications (dedupe key per item, kind and recipient),
   then the emails, then the rows are marked delivered, then COMMIT.

Exactly once. The outbox is UNIQUE (item, kind) and rows are written with ON
CONFLICT DO NOTHING, so each reminder and escalation is *decided* once. In-app
notifications are rows in the same database, written in the transaction that marks
the outbox row delivered, with a unique dedupe key: exactly once, whatever crashes.

Email cannot be exactly once across a crash (an SMTP server is not in our
transaction). We choose **at least once**: emails are sent last, immediately before
the COMMIT that marks them sent, in the same transaction that claimed the rows. A
crash anywhere before the sending starts rolls the batch back and the next sweep
sends each email once; a crash *while* a batch's emails are going out (or between
the last send and the COMMIT) sends those already accepted again on the next sweep
— at most one batch of duplicates, and only in that window. Losing an escalation
about a child is worse than a rare duplicate; each message carries a stable
Message-ID (item and kind) so a mail system that deduplicates drops the copy. A
failed send keeps the in-app part and retries the email with back-off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from custody.models import (
    ChecklistItem,
    ChecklistOutbox,
    ComplianceRecord,
    ItemStatus,
    OutboxKind,
)
from safeguarding.accounts.models import User
from safeguarding.notifications.models import Notification

from .common import team_supervisors

logger = logging.getLogger(__name__)


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
    queued = 0
    while True:
        with transaction.atomic():
            # Uses checkitem_remind_due_idx (partial: pending, not reminded).
            ids = list(
                ChecklistItem.objects.filter(
                    status=ItemStatus.PENDING, reminder_queued_at__isnull=True, due_at__lte=now + lead
                )
                .order_by("due_at", "id")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                return queued
            ChecklistOutbox.objects.bulk_create(
                [ChecklistOutbox(item_id=pk, kind=OutboxKind.REMINDER, created_at=now) for pk in ids],
                ignore_conflicts=True,
            )
            ChecklistItem.objects.filter(pk__in=ids).update(reminder_queued_at=now)
            queued += len(ids)


def _queue_escalations(now: datetime, batch: int) -> int:
    escalated = 0
    while True:
        with transaction.atomic():
            # Uses checkitem_escalate_due_idx (partial: pending, not escalated).
            # Strictly after the due time: an item done exactly at its due time is on time.
            rows = list(
                ChecklistItem.objects.filter(status=ItemStatus.PENDING, escalated_at__isnull=True, due_at__lt=now)
                .order_by("due_at", "id")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("id", "due_at", "checklist__case_id")[:batch]
            )
            if not rows:
                return escalated
            ids = [pk for pk, _, _ in rows]
            ChecklistOutbox.objects.bulk_create(
                [ChecklistOutbox(item_id=pk, kind=OutboxKind.ESCALATION, created_at=now) for pk in ids],
                ignore_conflicts=True,
            )
            ComplianceRecord.objects.bulk_create(
                [
                    ComplianceRecord(item_id=pk, case_id=case_id, due_at=due, detected_at=now)
                    for pk, due, case_id in rows
                ],
                ignore_conflicts=True,
            )
            ChecklistItem.objects.filter(pk__in=ids).update(escalated_at=now)
            escalated += len(ids)


def _recipients(row: ChecklistOutbox, supervisors: dict[int, list[User]]) -> list[User]:
    item = row.item
    if row.kind == OutboxKind.REMINDER:
        return [item.owner] if item.owner.is_active else []
    team = item.checklist.case.team
    if team.pk not in supervisors:
        supervisors[team.pk] = team_supervisors(team) or list(
            # Nobody supervises the team: the force's leads hear about it instead.
            User.objects.filter(role=User.Role.FORCE_LEAD, agency_id=team.agency_id, is_active=True)
        )
    return supervisors[team.pk]


def _message_context(row: ChecklistOutbox, now: datetime) -> dict:
    item = row.item
    checklist = item.checklist
    return {
        "kind": row.kind,
        "case_reference": checklist.case.reference,
        "item_title": item.title,
        "due_at": timezone.localtime(item.due_at),
        "overdue": now > item.due_at,
        "url": f"{settings.SITE_URL}{checklist.get_absolute_url()}",
        "path": checklist.get_absolute_url(),
    }


def _message_id(row: ChecklistOutbox) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "safeguarding.invalid"
    return f"<checklist-item-{row.item_id}-{row.kind}@{domain}>"


def _deliver_batch(size: int) -> tuple[int, int] | None:
    """Deliver up to ``size`` undelivered outbox rows in one transaction: (delivered,
    email failures), or None when there is nothing left to claim.

    In-app notifications first (one INSERT … ON CONFLICT DO NOTHING on their unique
    dedupe keys), then the emails, last, each over one open mail connection, then the
    rows are marked and the transaction commits at once."""
    now = timezone.now()
    with transaction.atomic():
        # Uses checkoutbox_undelivered_idx (partial: not delivered).
        rows = list(
            ChecklistOutbox.objects.filter(delivered_at__isnull=True)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("id")
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("item", "item__owner", "item__checklist", "item__checklist__case__team")[:size]
        )
        if not rows:
            return None
        supervisors: dict[int, list[User]] = {}
        notifications: list[Notification] = []
        emails: list[tuple[ChecklistOutbox, EmailMessage]] = []
        for row in rows:
            item = row.item
            if item.status != ItemStatus.PENDING:
                # Resolved between the decision and the delivery: nothing to remind about.
                row.delivered_at = now
                row.skipped_reason = f"Item already {item.get_status_display().lower()} at delivery."
                continue
            recipients = _recipients(row, supervisors)
            context = _message_context(row, now)
            subject = render_to_string(f"emails/checklist-{row.kind}-subject.txt", context).strip().splitlines()[0]
            body = render_to_string(f"emails/checklist-{row.kind}-body.txt", context)
            if row.notified_at is None:
                notifications += [
                    Notification(
                        user=user,
                        subject=subject,
                        body=body,
                        url=context["path"],
                        kind=f"checklist_{row.kind}",
                        # The outbox row's natural key (item, kind) and the recipient.
                        dedupe_key=f"checklist:{row.item_id}:{row.kind}:{user.pk}",
                    )
                    for user in recipients
                ]
                row.notified_at = now
                row.recipients = [u.pk for u in recipients]
            row.attempts += 1
            addresses = [u.email for u in recipients if u.email]
            if addresses:
                message = EmailMessage(
                    subject=subject, body=body, to=addresses, headers={"Message-ID": _message_id(row)}
                )
                emails.append((row, message))
            else:
                row.delivered_at = now
        # notification_send() would cost a savepoint per row; the unique dedupe key
        # gives the same guarantee in one statement (and waits on a concurrent insert).
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        failed = _send_emails(emails, now)
        ChecklistOutbox.objects.bulk_update(
            rows,
            [
                "notified_at",
                "recipients",
                "attempts",
                "email_sent_at",
                "delivered_at",
                "skipped_reason",
                "last_error",
                "next_attempt_at",
            ],
        )
    # COMMIT: the rows are marked sent in the transaction that claimed them.
    return len(rows) - failed, failed


def _send_emails(emails: list[tuple[ChecklistOutbox, EmailMessage]], now: datetime) -> int:
    """Send each message; mark its row sent, or keep it for a retry with back-off. Returns failures."""
    if not emails:
        return 0
    failed = 0
    connection = None
    try:
        connection = get_connection()
        connection.open()
    except Exception as exc:  # the mail server is down: every row waits for a retry
        connection = None
        opening_error = exc
    for row, message in emails:
        try:
            if connection is None:
                raise opening_error
            message.connection = connection
            message.send()
        except Exception as exc:  # any mail failure: keep the in-app part, retry the email
            backoff = min(settings.CHECKLIST_EMAIL_RETRY_MINUTES * 2 ** (row.attempts - 1), 60)
            row.last_error = f"{type(exc).__name__}: {exc}"[:500]
            row.next_attempt_at = now + timedelta(minutes=backoff)
            failed += 1
            logger.warning("Checklist email for outbox row %s failed; retrying in %s min", row.pk, backoff)
        else:
            row.email_sent_at = row.delivered_at = now
    if connection is not None:
        connection.close()
    return failed


def outbox_deliver() -> tuple[int, int]:
    """Deliver every outbox row due for delivery: (delivered, email failures)."""
    delivered = failed = 0
    while True:
        outcome = _deliver_batch(settings.CHECKLIST_DELIVERY_BATCH)
        if outcome is None:
            return delivered, failed
        # Rows whose email failed wait for their retry time, so the loop ends; their
        # in-app notifications are already written.
        delivered += outcome[0]
        failed += outcome[1]


def checklist_sweep(*, now: datetime | None = None) -> SweepResult:
    """Run by beat every CHECKLIST_SWEEP_SECONDS. Idempotent; safe to run concurrently."""
    # In UTC: "due within the lead time" is real time, even for a caller's local ``now``.
    now = (now or timezone.now()).astimezone(UTC)
    batch = settings.CHECKLIST_SWEEP_BATCH
    result = SweepResult()
    result.reminders = _queue_reminders(now, batch)
    result.escalations = _queue_escalations(now, batch)
    result.delivered, result.email_failures = outbox_deliver()
    return result
