"""Records added to a case (associates, tasks, the young person's voice, missing episodes, manual chronology entries) and their later changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.notifications.services import notification_send

from ..models import (
    Associate,
    Case,
    ManualChronologyEntry,
    MissingEpisode,
    Task,
    VoiceEntry,
)
from ..selectors import people_visible_to
from ._common import Action, stamp_history, validate


def _add_to_case(
    model: type[models.Model],
    *,
    actor: User,
    case: Case,
    data: dict[str, Any],
    who_field: str,
    summary: str,
    request: HttpRequest | None,
) -> Any:
    require_editor(actor)
    obj = model(case=case, **{who_field: actor}, **data)
    validate(obj, exclude=["case", who_field])
    if hasattr(obj, "history"):
        stamp_history(obj, actor)
    obj.save()
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=obj,
        summary=f"{summary} on case {case.reference}",
        detail={"case": case.pk},
    )
    return obj


@transaction.atomic
def associate_create(*, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None) -> Associate:
    """`data` may carry `linked_reference`, the record number of a young person the
    associate is: it must be a live record the actor may see."""
    data = dict(data)
    number = data.pop("linked_reference", None)
    if number:
        linked = people_visible_to(actor).filter(pk=number, merged_into__isnull=True).first()
        if linked is None:
            raise ValidationError({"linked_reference": "You cannot see a live record with that number"})
        data["linked_person"] = linked
    return _add_to_case(
        Associate, actor=actor, case=case, data=data, who_field="created_by", summary="Associate added", request=request
    )


@transaction.atomic
def voice_entry_create(
    *, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None
) -> VoiceEntry:
    return _add_to_case(
        VoiceEntry,
        actor=actor,
        case=case,
        data=data,
        who_field="recorded_by",
        summary="Young person's voice recorded",
        request=request,
    )


@transaction.atomic
def chronology_entry_create(
    *, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None
) -> ManualChronologyEntry:
    return _add_to_case(
        ManualChronologyEntry,
        actor=actor,
        case=case,
        data=data,
        who_field="created_by",
        summary="Chronology entry added",
        request=request,
    )


@transaction.atomic
def missing_episode_create(
    *, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None
) -> MissingEpisode:
    return _add_to_case(
        MissingEpisode,
        actor=actor,
        case=case,
        data=data,
        who_field="created_by",
        summary="Missing episode recorded",
        request=request,
    )


@transaction.atomic
def missing_episode_update(
    *, actor: User, episode: MissingEpisode, data: dict[str, Any], request: HttpRequest | None = None
) -> MissingEpisode:
    require_editor(actor)
    current = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    changed = [f for f, v in data.items() if getattr(current, f) != v]
    for field in changed:
        setattr(current, field, data[field])
    validate(current, exclude=["case", "created_by"])
    current.updated_at = timezone.now()
    stamp_history(current, actor)
    current.save()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Missing episode on case {current.case.reference} updated",
        detail={"fields": changed, "case": current.case_id},
    )
    return current


@transaction.atomic
def task_create(*, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None) -> Task:
    task = _add_to_case(
        Task, actor=actor, case=case, data=data, who_field="created_by", summary="Task added", request=request
    )
    if task.assignee_id != actor.pk:
        notification_send(
            user=task.assignee,
            subject=f"New task on case {case.reference}: due {timezone.localtime(task.due_at):%d/%m/%Y %H:%M}",
            url=case.get_absolute_url(),
            kind="case_task",
        )
    return task


@transaction.atomic
def task_complete(*, actor: User, task: Task, note: str = "", request: HttpRequest | None = None) -> Task:
    require_editor(actor)
    current = Task.objects.select_for_update().get(pk=task.pk)
    if current.completed_at is not None:
        raise ValidationError("This task is already done.")
    current.completed_at = timezone.now()
    current.completed_by = actor
    current.completion_note = note
    current.save(update_fields=["completed_at", "completed_by", "completion_note"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Task done on case {current.case.reference}",
        detail={"case": current.case_id, "overdue": current.due_at < current.completed_at},
    )
    return current
