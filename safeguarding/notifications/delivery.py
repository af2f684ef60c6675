"""Delivering what an outbox holds: in-app notifications and emails, for any app that
decides *what* to send in one transaction and leaves the sending to this module (the
48-hour clock today; referrals, NRM and RHI clocks and digests later).

An outbox is any model with these fields: ``notified_at``, ``recipients`` (user ids),
``attempts``, ``email_sent_at``, ``delivered_at``, ``skipped_reason``, ``last_error``
and ``next_attempt_at``. Its rows are claimed a batch per transaction with SELECT …
FOR UPDATE SKIP LOCKED, so two deliveries share the work rather than repeat it.

Exactly once in-app. Notifications are rows in the same database, inserted with ON
CONFLICT DO NOTHING on a unique dedupe key (the message's key and the recipient) in
the transaction that marks the outbox row delivered: whatever crashes, each is
written once.

At least once by email. An SMTP server is not in our transaction, so emails are
sent last, immediately before the COMMIT that marks them sent, in the transaction
that claimed the rows. A crash before the sending starts rolls the batch back and
the next delivery sends each email once; a crash *while* a batch's emails go out
(or between the last send and the COMMIT) sends those already accepted again — at
most one batch of duplicates, and only in that window. Losing an escalation about a
child is worse than a rare duplicate; each message carries a stable Message-ID so a
mail system that deduplicates drops the copy. A failed send keeps the in-app part
and retries the email with back-off (doubling, at most an hour).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from safeguarding.accounts.models import User

from .emails import email_render
from .models import Notification, delivery_due_q

logger = logging.getLogger(__name__)
# An outbox model: any model with the OUTBOX_FIELDS.
Row = TypeVar("Row", bound=Model)

RETRY_MAX_MINUTES = 60
OUTBOX_FIELDS = [
    "notified_at",
    "recipients",
    "attempts",
    "email_sent_at",
    "delivered_at",
    "skipped_reason",
    "last_error",
    "next_attempt_at",
]


@dataclass(frozen=True)
class Message:
    """What one outbox row sends. ``email`` names the templates (see emails.email_render);
    ``dedupe_key`` (with each recipient's id appended) and ``message_id`` (emails.message_id)
    are stable for the row, so a second attempt is recognised; ``path`` is the link
    inside the service."""

    recipients: list[User]
    email: str
    context: dict
    kind: str
    path: str
    dedupe_key: str
    message_id: str


@dataclass(frozen=True)
class Skip:
    """Nothing to send any more (the row is marked delivered with the reason)."""

    reason: str


def notifications_deliver(
    *,
    outbox: QuerySet[Row],
    compose: Callable[[Row, datetime], Message | Skip],
    batch_size: int,
    retry_minutes: float,
) -> tuple[int, int]:
    """Deliver every row of ``outbox`` that is due: (delivered, email failures).
    ``compose`` says what a row sends; ``outbox`` may select_related what it reads."""
    delivered = failed = 0
    while True:
        outcome = _deliver_batch(outbox, compose, batch_size, retry_minutes)
        if outcome is None:
            return delivered, failed
        # Rows whose email failed wait for their retry time, so the loop ends; their
        # in-app notifications are already written.
        delivered += outcome[0]
        failed += outcome[1]


def _deliver_batch(
    outbox: QuerySet[Row], compose: Callable[[Row, datetime], Message | Skip], size: int, retry_minutes: float
) -> tuple[int, int] | None:
    """Up to ``size`` due rows in one transaction: in-app notifications first (one INSERT
    … ON CONFLICT DO NOTHING), then the emails over one open mail connection, then the
    rows are marked and the transaction commits at once. None when nothing is due."""
    now = timezone.now()
    with transaction.atomic():
        # The rows' OUTBOX_FIELDS are read and written below: no base class declares them.
        rows: list[Any] = list(
            outbox.filter(delivery_due_q(now)).order_by("id").select_for_update(skip_locked=True, of=("self",))[:size]
        )
        if not rows:
            return None
        notifications: list[Notification] = []
        emails: list[tuple[Any, EmailMessage]] = []
        composed = [(row, compose(row, now)) for row in rows]
        in_app_only = _in_app_only([m for _, m in composed if isinstance(m, Message)])
        for row, message in composed:
            if isinstance(message, Skip):
                row.delivered_at = now
                row.skipped_reason = message.reason
                continue
            rendered = email_render(message.email, message.context)
            if row.notified_at is None:
                notifications += [
                    Notification(
                        user=user,
                        subject=rendered.subject,
                        body=rendered.body,
                        url=message.path,
                        kind=message.kind,
                        dedupe_key=f"{message.dedupe_key}:{user.pk}",
                    )
                    for user in message.recipients
                ]
                row.notified_at = now
                row.recipients = [u.pk for u in message.recipients]
            row.attempts += 1
            addresses = [u.email for u in message.recipients if u.email and (u.pk, message.kind) not in in_app_only]
            if addresses:
                headers = {"Message-ID": message.message_id}
                emails.append(
                    (row, EmailMessage(subject=rendered.subject, body=rendered.body, to=addresses, headers=headers))
                )
            else:
                row.delivered_at = now
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        failed = _send_emails(emails, now, retry_minutes)
        type(rows[0]).objects.bulk_update(rows, OUTBOX_FIELDS)
    # COMMIT: the rows are marked sent in the transaction that claimed them.
    return len(rows) - failed, failed


def _in_app_only(messages: list[Message]) -> set[tuple[int, str]]:
    """(user id, kind) pairs whose user chose the service only for that kind, in one query;
    a user with no choice gets the kind's default (kinds.py)."""
    from .kinds import default_by_email
    from .models import NotificationPreference

    wanted = {(u.pk, m.kind) for m in messages for u in m.recipients}
    if not wanted:
        return set()
    chosen = {
        (user_id, kind): by_email
        for user_id, kind, by_email in NotificationPreference.objects.filter(
            user_id__in={u for u, _ in wanted}, kind__in={k for _, k in wanted}
        ).values_list("user_id", "kind", "by_email")
    }
    return {pair for pair in wanted if not chosen.get(pair, default_by_email(pair[1]))}


def _send_emails(emails: list[tuple[Any, EmailMessage]], now: datetime, retry_minutes: float) -> int:
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
            backoff = min(retry_minutes * 2 ** (row.attempts - 1), RETRY_MAX_MINUTES)
            row.last_error = f"{type(exc).__name__}: {exc}"[:500]
            row.next_attempt_at = now + timedelta(minutes=backoff)
            failed += 1
            logger.warning("Email for %s %s failed; retrying in %s min", row._meta.label_lower, row.pk, backoff)
        else:
            row.email_sent_at = row.delivered_at = now
    if connection is not None:
        connection.close()
    return failed
