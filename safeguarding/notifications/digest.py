"""The daily digest for supervisors: once per UK day, at or after DIGEST_HOUR, a message
counting what is overdue in their teams, with links; never a name (reference and link only).

What it counts comes from a registry: the dashboards app (which reads every domain app)
registers the lines; this module only queues and delivers. The decision to send is a
DigestOutbox row, UNIQUE (user, day) and inserted with ON CONFLICT DO NOTHING, so two
beats decide it once; notifications_deliver claims rows with SKIP LOCKED and writes the
in-app notification exactly once (see delivery.py for the email's guarantee)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import User

from .delivery import Message, Skip, notifications_deliver
from .emails import message_id
from .models import DigestOutbox

KIND = "daily_digest"


@dataclass(frozen=True)
class DigestLine:
    key: str
    label: str  # "Checklist items overdue"
    count: Callable[[User, datetime], int]
    path: Callable[[User], str]  # where the records are, inside the service
    order: int = 50


_lines: dict[str, DigestLine] = {}


def register(line: DigestLine) -> None:
    _lines[line.key] = line


def digest_lines(user: User, now: datetime) -> list[dict]:
    return [
        {"label": line.label, "count": line.count(user, now), "url": f"{settings.SITE_URL}{line.path(user)}"}
        for line in sorted(_lines.values(), key=lambda line: (line.order, line.key))
    ]


def digest_queue(now: datetime) -> int:
    """Queue today's digest for every active supervisor once the UK hour has come."""
    local = timezone.localtime(now)
    if local.hour < settings.DIGEST_HOUR:
        return 0
    supervisors = User.objects.filter(role=User.Role.SUPERVISOR, is_active=True).values_list("pk", flat=True)
    rows = DigestOutbox.objects.bulk_create(
        [DigestOutbox(user_id=pk, day=local.date(), created_at=now) for pk in supervisors], ignore_conflicts=True
    )
    return len(rows)


def _compose(row: DigestOutbox, now: datetime) -> Message | Skip:
    if row.day != timezone.localtime(now).date():
        return Skip("A later day's digest replaces it.")
    user = row.user
    if not user.is_active or user.role != User.Role.SUPERVISOR:
        return Skip("No longer a supervisor.")
    lines = digest_lines(user, now)
    if not any(line["count"] for line in lines):
        return Skip("Nothing overdue.")
    return Message(
        recipients=[user],
        email="daily-digest",
        context={"day": row.day, "lines": lines, "url": f"{settings.SITE_URL}{reverse('core:home')}"},
        kind=KIND,
        path=reverse("core:home"),
        dedupe_key=f"digest:{row.day.isoformat()}",
        message_id=message_id(f"digest-{row.user_id}-{row.day.isoformat()}"),
    )


def digest_send(*, now: datetime | None = None) -> str:
    now = now or timezone.now()
    queued = digest_queue(now)
    delivered, failed = notifications_deliver(
        outbox=DigestOutbox.objects.select_related("user"),
        compose=_compose,
        batch_size=settings.CHECKLIST_DELIVERY_BATCH,
        retry_minutes=settings.CHECKLIST_EMAIL_RETRY_MINUTES,
    )
    return f"{queued} digest(s) queued, {delivered} delivered, {failed} email failure(s)"
