"""A person's history: chronology (and its print view), field changes, and who viewed the record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest
from safeguarding.core.forms import display_value

from .. import chronology, selectors
from ..forms import (
    ChronologyFilterForm,
)
from ..models import (
    CaseStatus,
    YoungPerson,
)
from ..selectors import (
    can_edit,
    person_cases_for,
)
from ._common import SUPERVISOR, Action, person_or_redirect


def _chronology(request: AuthenticatedRequest, pk: int, view_name: str):
    person, moved = person_or_redirect(request, pk, view_name)
    if moved:
        return person, moved, None, None
    types = chronology.type_labels()
    form = ChronologyFilterForm(request.GET or None, types=types)
    wanted = form.cleaned_data["type"] if form.is_bound and form.is_valid() else []
    timeline = chronology.chronology_for(person=person, user=request.user, types=wanted)
    return person, None, form, timeline


def person_chronology(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, moved, form, timeline = _chronology(request, pk, "cases:person_chronology")
    if moved:
        return moved
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=person,
        summary=f"Chronology of {person.reference} viewed",
        detail={"types": sorted(timeline.types_shown)},
    )
    return render(
        request,
        "cases/person_chronology.html",
        {
            "person": person,
            "tab": "chronology",
            "form": form,
            "timeline": timeline,
            "query": request.GET.urlencode(),
            "can_edit": can_edit(request.user),
            "cases": list(person_cases_for(request.user, person).filter(status__in=CaseStatus.open_values())),
        },
    )


def person_chronology_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, moved, form, timeline = _chronology(request, pk, "cases:person_chronology_print")
    if moved:
        return moved
    audit_record(
        action=Action.EXPORT,
        request=request,
        obj=person,
        summary=f"Chronology of {person.reference} printed",
        detail={"types": sorted(timeline.types_shown), "entries": len(timeline.entries)},
    )
    return render(
        request,
        "cases/person_chronology_print.html",
        {"person": person, "timeline": timeline, "printed_at": timezone.now(), "types": chronology.type_labels()},
    )


def history_rows(record, model) -> list[dict]:
    """django-simple-history as "who changed which field from what to what", newest first."""
    fields = {f.name: f for f in model._meta.fields}
    history = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    rows = []
    previous = None
    for entry in history:
        changes: list[dict[str, Any]] = []
        if previous is not None:
            delta = entry.diff_against(previous)
            for change in delta.changes:
                field = fields.get(change.field)
                if field is None or change.field in ("version", "updated_at"):
                    continue
                changes.append(
                    {
                        "field": str(field.verbose_name).capitalize(),
                        "old": display_value(field, change.old) if field else str(change.old),
                        "new": display_value(field, change.new) if field else str(change.new),
                    }
                )
        rows.append(
            {
                "at": entry.history_date,
                "who": entry.history_user.full_name if entry.history_user else "System",
                "type": entry.get_history_type_display(),
                "reason": entry.history_change_reason or "",
                "changes": changes,
            }
        )
        previous = entry
    return list(reversed(rows))


def person_changes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, moved = person_or_redirect(request, pk, "cases:person_changes")
    if moved:
        return moved
    audit_record(action=Action.VIEW, request=request, obj=person, summary=f"Changes to {person.reference} viewed")
    return render(
        request,
        "cases/changes.html",
        {"person": person, "tab": "changes", "rows": history_rows(person, YoungPerson), "record": person},
    )


def person_viewers(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, moved = person_or_redirect(request, pk, "cases:person_viewers")
    if moved:
        return moved
    if request.user.role not in (SUPERVISOR, User.Role.FORCE_LEAD):
        raise PermissionDenied("Only supervisors see who viewed a record.")
    events = list(selectors.person_viewers(person))
    audit_record(action=Action.VIEW, request=request, obj=person, summary=f"Viewers of {person.reference} listed")
    return render(request, "cases/person_viewers.html", {"person": person, "tab": "viewers", "events": events})
