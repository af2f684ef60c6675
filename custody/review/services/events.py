"""Custody events entered by hand, and their edits."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cases.models import Case
from cases.selectors import cases_visible_to
from custody.clock.services import checklist_follow_release
from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.db import apply_versioned_edit

from ...models import CustodyEvent, EventSource
from .. import row_values
from .common import Action, require_editor

EVENT_FIELDS = (
    "operation_name",
    "custody_number",
    "custody_suite",
    "arrested_at",
    "offences",
    "appropriate_adult_name",
    "appropriate_adult_relationship",
    "appropriate_adult_at",
    "interviewed_at",
    "interview_notes",
    "outcome",
    "s38_transfer",
    "s38_impracticable_reason",
    "released_at",
    "released_to",
    "released_where",
    "notes",
)


def _value(name: str, value: Any) -> Any:
    """Form values as the model stores them: an empty text field is "", never None."""
    if value is None and not name.endswith("_at"):
        return ""
    return value


def _check_event(event: CustodyEvent) -> None:
    event.custody_number = row_values.normalise_custody_number(event.custody_number)
    errors: dict[str, str] = {}
    if event.released_at and event.arrested_at and event.released_at < event.arrested_at:
        errors["released_at"] = "Release time must be after the arrest time"
    if event.s38_transfer == CustodyEvent.S38Transfer.IMPRACTICABLE and not event.s38_impracticable_reason.strip():
        errors["s38_impracticable_reason"] = "Give the reason a transfer was impracticable"
    if event.arrested_at and event.arrested_at > timezone.now() + timedelta(minutes=5):
        errors["arrested_at"] = "Arrest time must be in the past"
    if event.custody_number and event.arrested_at:
        clash = CustodyEvent.objects.filter(custody_number=event.custody_number, arrested_at=event.arrested_at)
        if event.pk:
            clash = clash.exclude(pk=event.pk)
        if clash.exists():
            errors["custody_number"] = "A custody event with this custody number and arrest time is already recorded"
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["case", "person", "created_by", "source_row"], validate_constraints=False)


@transaction.atomic
def custody_event_create(
    *, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None
) -> CustodyEvent:
    """A custody event entered by hand (e.g. a young person met on an operation)."""
    require_editor(actor)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("This case is outside your scope.")
    event = CustodyEvent(case=case, person=case.person, created_by=actor, source=EventSource.MANUAL)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, _value(name, data[name]))
    _check_event(event)
    event.save()
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=event,
        summary=f"Custody event recorded on case {case.reference}",
        detail={"case": case.pk, "fields": [n for n in EVENT_FIELDS if data.get(n)]},
    )
    checklist_follow_release(actor=actor, event=event)
    return event


@transaction.atomic
def custody_event_update(
    *,
    actor: User,
    event: CustodyEvent,
    data: dict[str, Any],
    expected_version: int,
    request: HttpRequest | None = None,
) -> CustodyEvent:
    require_editor(actor)
    values = {name: _value(name, data[name]) for name in EVENT_FIELDS if name in data}
    current, changed = apply_versioned_edit(
        event,
        data=values,
        fields=EVENT_FIELDS,
        expected_version=expected_version,
        prepare=lambda row, _changed: _check_event(row),
    )
    if not changed:
        return current
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Custody event on case {current.case.reference} updated",
        detail={"fields": changed},
    )
    if "released_at" in changed:
        checklist_follow_release(actor=actor, event=current)
    return current
