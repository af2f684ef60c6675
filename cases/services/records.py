"""Records added to a case (associates, tasks, the young person's voice, missing episodes, manual chronology entries) and their later changes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
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
    MissingRiskGrading,
    Task,
    VoiceEntry,
)
from ..selectors import people_visible_to
from ..signals import missing_episode_returned
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


RETURN_BEFORE_REPORT = "Found or returned must be after they were reported missing"


def _check_return(data: dict[str, Any], reported_missing_at) -> None:
    found_at = data.get("found_at")
    if found_at is not None and reported_missing_at is not None and found_at < reported_missing_at:
        raise ValidationError({"found_at": RETURN_BEFORE_REPORT})
    if found_at is None and data.get("found_location"):
        raise ValidationError({"found_location": "Leave this blank until they are found or return"})


def _returned(episode: MissingEpisode, actor: User, previous_found_at) -> None:
    """The return was recorded, moved or removed: listeners (the return home interview
    clock) follow it in this transaction."""
    if episode.found_at != previous_found_at:
        missing_episode_returned.send(
            sender=MissingEpisode, episode=episode, actor=actor, previous_found_at=previous_found_at
        )


@transaction.atomic
def missing_episode_create(
    *, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None
) -> MissingEpisode:
    """The first grading is recorded with the episode; the cost estimate in force is kept on it."""
    _check_return(data, data.get("reported_missing_at"))
    episode = _add_to_case(
        MissingEpisode,
        actor=actor,
        case=case,
        data={**data, "estimated_cost": settings.MISSING_EPISODE_ESTIMATED_COST},
        who_field="created_by",
        summary="Missing episode recorded",
        request=request,
    )
    MissingRiskGrading.objects.create(
        episode=episode,
        grade=episode.risk_grade,
        graded_at=episode.reported_missing_at,
        reason="Graded when reported missing.",
        graded_by=actor,
    )
    _returned(episode, actor, None)
    return episode


@transaction.atomic
def missing_episode_update(
    *, actor: User, episode: MissingEpisode, data: dict[str, Any], request: HttpRequest | None = None
) -> MissingEpisode:
    """The grade is not changed here: a re-grading has its own reason (missing_episode_regrade)."""
    require_editor(actor)
    current = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    data = {f: v for f, v in data.items() if f not in ("risk_grade", "estimated_cost")}
    _check_return(data, data.get("reported_missing_at", current.reported_missing_at))
    previous_found_at = current.found_at
    changed = [f for f, v in data.items() if getattr(current, f) != v]
    for field in changed:
        setattr(current, field, data[field])
    if current.found_at is None:
        current.found_location = ""
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
    _returned(current, actor, previous_found_at)
    return current


@transaction.atomic
def missing_episode_regrade(
    *,
    actor: User,
    episode: MissingEpisode,
    grade: str,
    graded_at,
    reason: str,
    request: HttpRequest | None = None,
) -> MissingRiskGrading:
    """A dated re-grading on the College of Policing continuum, with who and why; the
    episode's current grade is that of its latest grading."""
    require_editor(actor)
    current = MissingEpisode.objects.select_for_update().select_related("case").get(pk=episode.pk)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the grade changed"})
    if grade not in MissingEpisode.RiskGrade.values:
        raise ValidationError({"grade": "Choose the new risk grade"})
    if graded_at < current.reported_missing_at:
        raise ValidationError({"graded_at": "The re-grading must be after they were reported missing"})
    if graded_at > timezone.now():
        raise ValidationError({"graded_at": "The re-grading must be now or in the past"})
    latest = current.gradings.order_by("-graded_at", "-id").first()
    if latest is not None and graded_at < latest.graded_at:
        raise ValidationError({"graded_at": "The re-grading must be after the last grading"})
    grading = MissingRiskGrading.objects.create(
        episode=current, grade=grade, graded_at=graded_at, reason=reason.strip(), graded_by=actor
    )
    previous = current.risk_grade
    current.risk_grade = grade
    current.updated_at = timezone.now()
    stamp_history(current, actor, reason="Re-graded")
    current.save(update_fields=["risk_grade", "updated_at"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Missing episode on case {current.case.reference} re-graded",
        detail={"case": current.case_id, "from": previous, "to": grade},
    )
    return grading


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
