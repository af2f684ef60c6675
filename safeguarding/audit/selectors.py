from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent


def audit_events_search(
    *, user: str = "", object_type: str = "", object_id: str = "", action: str = "", date_from=None, date_to=None
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.all()
    if user:
        qs = qs.filter(actor_email__iexact=user.strip())
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id.strip())
    if action:
        qs = qs.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=timezone.make_aware(datetime.combine(date_from, time.min), tz))
    if date_to:
        qs = qs.filter(at__lt=timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), tz))
    return qs


def audit_object_types() -> list[str]:
    return list(AuditEvent.objects.exclude(object_type="").order_by().values_list("object_type", flat=True).distinct())
