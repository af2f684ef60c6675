"""Bulk access detection: reads the recent end of the audit log, never the whole of it.

Each scan reads only the rows of the last window (the log's (action, at) index), counts
per officer the distinct person and case records opened and the person searches made,
and raises an alert for each officer over a limit, once per window.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.notifications.services import notification_send

from .models import AuditEvent, MisuseAlert
from .services import audit_record

Action = AuditEvent.Action
RECORD_TYPES = ("cases.youngperson", "cases.case")
# Opening, exporting, breaking glass into, or trying to reach (walking ids) a record.
RECORD_ACTIONS = (Action.VIEW, Action.EXPORT, Action.BREAK_GLASS, Action.ACCESS_DENIED)
SEARCH_TYPE = "cases.youngperson"
RECORDS_SHOWN = 500


def _window(now: datetime) -> tuple[datetime, datetime]:
    return now - timedelta(minutes=settings.BULK_ACCESS_WINDOW_MINUTES), now


def _recent(since: datetime, now: datetime) -> QuerySet[AuditEvent]:
    # order_by() clears the model's ordering, which would otherwise join the GROUP BY.
    return AuditEvent.objects.filter(at__gt=since, at__lte=now, actor_id__isnull=False).order_by()


def _record_touches(since: datetime, now: datetime) -> QuerySet[AuditEvent]:
    return _recent(since, now).filter(action__in=RECORD_ACTIONS, object_type__in=RECORD_TYPES)


def bulk_access_scan(*, now: datetime | None = None) -> list[MisuseAlert]:
    """Raise an alert for every officer over a limit in the window ending now."""
    now = now or timezone.now()
    since, now = _window(now)
    over: list[tuple[int, str, int, int]] = []
    records = settings.BULK_ACCESS_RECORDS
    rows = (
        _record_touches(since, now)
        .values("actor_id")
        .annotate(n=Count(Concat(F("object_type"), Value(":"), F("object_id")), distinct=True))
        .filter(n__gt=records)
    )
    over += [(row["actor_id"], MisuseAlert.Kind.RECORDS, row["n"], records) for row in rows]
    searches = settings.BULK_ACCESS_SEARCHES
    rows = (
        _recent(since, now)
        .filter(action=Action.SEARCH, object_type=SEARCH_TYPE)
        .values("actor_id")
        .annotate(n=Count("id"))
        .filter(n__gt=searches)
    )
    over += [(row["actor_id"], MisuseAlert.Kind.SEARCHES, row["n"], searches) for row in rows]
    alerts = []
    for actor_id, kind, count, threshold in sorted(over):
        alert = _raise(actor_id=actor_id, kind=kind, count=count, threshold=threshold, since=since, now=now)
        if alert is not None:
            alerts.append(alert)
    return alerts


def _force_leads(actor: User) -> list[User]:
    leads = User.objects.filter(role=User.Role.FORCE_LEAD, is_active=True)
    own = leads.filter(agency_id=actor.agency_id) if actor.agency_id else leads.none()
    return list(own if own.exists() else leads)


@transaction.atomic
def _raise(*, actor_id: int, kind: str, count: int, threshold: int, since: datetime, now: datetime):
    # The officer's row is the lock: two scans at once (a doubled beat) raise one alert.
    actor = User.objects.select_for_update().filter(pk=actor_id).first()
    if actor is None:
        return None
    if MisuseAlert.objects.filter(actor_id=actor_id, kind=kind, window_end__gt=since).exists():
        return None  # already raised within this window
    touched = list(
        _record_touches(since, now)
        .filter(actor_id=actor_id)
        .values("object_type", "object_id")
        .distinct()
        .order_by("object_type", "object_id")[:RECORDS_SHOWN]
    )
    alert = MisuseAlert.objects.create(
        actor_id=actor_id,
        actor_email=actor.email,
        kind=kind,
        window_start=since,
        window_end=now,
        count=count,
        threshold=threshold,
        records=[{"type": t["object_type"], "id": t["object_id"]} for t in touched],
    )
    audit_record(
        action=Action.CREATE,
        obj=alert,
        summary=f"Possible misuse raised: {actor.email}",
        detail={"actor": actor_id, "kind": kind, "count": count, "threshold": threshold},
    )
    minutes = settings.BULK_ACCESS_WINDOW_MINUTES
    what = f"opened {count} person or case records" if kind == MisuseAlert.Kind.RECORDS else f"searched {count} times"
    subject = f"Possible misuse: {actor.full_name or actor.email} {what} in {minutes} minutes"
    url = reverse("audit:misuse")
    leads = _force_leads(actor)
    for lead in leads:
        notification_send(
            user=lead, subject=subject[:200], url=url, kind="misuse", dedupe_key=f"misuse:{alert.pk}:{lead.pk}"
        )
    if leads:
        body = (
            f"{actor.email} {what} in {minutes} minutes (the limit is {threshold}).\n\n"
            f"See who and what on the Possible misuse page: {settings.SITE_URL}{url}\n"
        )
        recipients = [lead.email for lead in leads]
        transaction.on_commit(lambda: send_mail(subject[:200], body, None, recipients))
    return alert
