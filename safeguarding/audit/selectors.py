from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache

from django.apps import apps
from django.db.models import Q, QuerySet
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


PAGE_SIZE = 50


@dataclass
class KeysetPage:
    """One page of the log, newest first, and where the next (older) page starts.

    The log is paged by its sort key (time, then id) rather than by page number: a page
    number costs a COUNT over every matching row and an OFFSET that reads every row
    before the page, both growing with the log (10 million rows in a few years)."""

    object_list: list[AuditEvent]
    older: str  # the "before" value of the next page, or "" on the last
    is_first: bool

    def __iter__(self) -> Iterator[AuditEvent]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def keyset_page(qs: QuerySet[AuditEvent], before: str) -> KeysetPage:
    """The PAGE_SIZE events of ``qs`` that come after ``before`` ("<ISO time>~<id>", from a
    previous page's ``older``; "" for the newest) in the order newest first."""
    qs = qs.order_by("-at", "-id")
    cursor = parse_cursor(before)
    if cursor:
        at, pk = cursor
        # The redundant at <= bound lets the (at, id) index scan start at the cursor.
        qs = qs.filter(at__lte=at).filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    rows = list(qs[: PAGE_SIZE + 1])
    older = ""
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        older = f"{rows[-1].at.isoformat()}~{rows[-1].pk}"
    return KeysetPage(object_list=rows, older=older, is_first=cursor is None)


def parse_cursor(before: str) -> tuple[datetime, int] | None:
    at_text, _, pk_text = (before or "").partition("~")
    try:
        at = datetime.fromisoformat(at_text)
        pk = int(pk_text)
    except ValueError:
        return None
    if timezone.is_naive(at):
        return None
    return at, pk


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
