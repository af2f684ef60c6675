from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import cache

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst

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


# The apps whose records the log names (each row's object_type is a model label).
PROJECT_APPS = ("accounts", "audit", "cases", "core", "custody", "notifications", "referrals")


@cache
def audit_object_types() -> list[tuple[str, str]]:
    """(label, name) of every record type the service can log, from the app registry:
    asking the log itself (SELECT DISTINCT over millions of rows) on every visit of the
    search page cost half a second at 2 million rows."""
    types = {
        model._meta.label_lower: str(capfirst(model._meta.verbose_name))
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
    }
    return sorted(types.items(), key=lambda item: (item[1].lower(), item[0]))
