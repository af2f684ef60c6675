"""Every write to young people and cases: keyword-only, atomic, audited in the same transaction.

Edits of a person or a case carry the version the user started from; when the
stored version has moved on, EditConflict is raised and nothing is saved.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import Team, User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.db import lock_for_edit
from safeguarding.notifications.services import notification_send

from . import conf, names
from .models import (
    Alias,
    AliasKind,
    Associate,
    BreakGlassAccess,
    Case,
    CaseAssignment,
    CaseStatus,
    CaseStatusChange,
    DealLine,
    LookedAfterStatus,
    ManualChronologyEntry,
    MissingEpisode,
    OrganisedCrimeGroup,
    PersonMerge,
    PhilomenaProfile,
    Task,
    VoiceEntry,
    YoungPerson,
)
from .selectors import can_edit, officers_for_assignment, people_visible_to, teams_of
from .signals import case_reassigned, person_merged, person_updated

Action = AuditEvent.Action

PERSON_FIELDS = (
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "estimated_age",
    "gender",
    "ethnicity",
    "nationality",
    "first_language",
    "interpreter_needed",
    "home_address",
    "home_postcode",
    "home_local_authority",
    "home_police_force",
    "looked_after_status",
    "responsible_local_authority",
    "social_worker_name",
    "social_worker_phone",
    "social_worker_email",
    "education_status",
    "education_setting",
    "adverse_experiences",
    "adverse_experiences_notes",
    "vulnerabilities",
    "vulnerabilities_notes",
    "warning_markers",
    "warning_markers_notes",
)
CASE_FIELDS = (
    "exploitation_types",
    "exploitation_other",
    "risk_level",
    "risk_rationale",
    "risk_review_on",
    "how_identified",
    "operation_name",
    "how_identified_detail",
    "mopi_review_on",
)
PHILOMENA_FIELDS = (
    "physical_description",
    "associates",
    "places_frequented",
    "phone_numbers",
    "social_media",
    "transport_used",
    "other_information",
)


class CaseTransitionError(Exception):
    """A status change the case's status machine does not allow; the message says why."""


def _require_editor(actor: User) -> None:
    if not can_edit(actor):
        raise PermissionDenied("Your role can read these records but not change them.")


def _stamp(obj: models.Model, actor: User, reason: str = "") -> None:
    """Who and why for django-simple-history, also outside a request."""
    obj._history_user = actor
    if reason:
        obj._change_reason = reason


def _home_team(actor: User) -> Team | None:
    if actor.team_id:
        return actor.team
    return teams_of(actor).order_by("name").first()


def _apply_age(person: YoungPerson, *, age_changed: bool) -> None:
    """A date of birth wins over an estimate; an estimate is dated when it is made."""
    if person.date_of_birth:
        person.estimated_age = None
        person.estimated_age_on = None
    elif age_changed or person.estimated_age_on is None:
        person.estimated_age_on = timezone.localdate()


def _validate(obj: models.Model, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False)


# ---------------------------------------------------------------------------
# Young people
# ---------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *, actor: User, data: dict[str, Any], aliases: list[str] | None = None, request: HttpRequest | None = None
) -> YoungPerson:
    _require_editor(actor)
    person = YoungPerson(**{k: v for k, v in data.items() if k in PERSON_FIELDS})
    person.created_by = actor
    person.created_by_team = _home_team(actor)
    _apply_age(person, age_changed=True)
    _validate(person, exclude=["created_by", "created_by_team", "merged_into"])
    _stamp(person, actor, "Record created")
    person.save()
    for name in aliases or []:
        if name.strip():
            Alias.objects.create(person=person, name=name.strip(), kind=AliasKind.ALIAS, created_by=actor)
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=person,
        summary=f"Young person {person.reference} created",
        detail={"aliases": len([a for a in aliases or [] if a.strip()])},
    )
    return person


def _changed_fields(obj: models.Model, data: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    return [f for f in fields if f in data and getattr(obj, f) != data[f]]


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: YoungPerson,
    data: dict[str, Any],
    expected_version: int,
    request: HttpRequest | None = None,
) -> YoungPerson:
    _require_editor(actor)
    current = lock_for_edit(person, expected_version=expected_version)
    changed = _changed_fields(current, data, PERSON_FIELDS)
    if not changed:
        return current
    for field in changed:
        setattr(current, field, data[field])
    _apply_age(current, age_changed=bool({"estimated_age", "date_of_birth"} & set(changed)))
    _validate(current, exclude=["created_by", "created_by_team", "merged_into"])
    current.version += 1
    current.updated_at = timezone.now()
    _stamp(current, actor)
    current.save()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Young person {current.reference} updated",
        detail={"fields": changed},
    )
    person_updated.send(sender=YoungPerson, person=current, changed=changed, actor=actor)
    return current


@transaction.atomic
def alias_add(
    *, actor: User, person: YoungPerson, name: str, kind: str, notes: str = "", request: HttpRequest | None = None
) -> Alias:
    _require_editor(actor)
    alias = Alias(person=person, name=name.strip(), kind=kind, notes=notes, created_by=actor)
    _validate(alias, exclude=["person", "created_by"])
    alias.save()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=person,
        summary=f"{alias.get_kind_display()} added to {person.reference}",
        detail={"alias_added": alias.pk},
    )
    return alias


@transaction.atomic
def alias_remove(*, actor: User, alias: Alias, request: HttpRequest | None = None) -> None:
    _require_editor(actor)
    person = alias.person
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=person,
        summary=f"{alias.get_kind_display()} removed from {person.reference}",
        detail={"alias_removed": alias.pk, "kind": alias.kind},
    )
    alias.delete()


@transaction.atomic
def philomena_update(
    *, actor: User, person: YoungPerson, data: dict[str, Any], request: HttpRequest | None = None
) -> PhilomenaProfile:
    _require_editor(actor)
    profile, created = PhilomenaProfile.objects.select_for_update().get_or_create(person=person)
    changed = _changed_fields(profile, data, PHILOMENA_FIELDS)
    for field in changed:
        setattr(profile, field, data[field])
    profile.updated_at = timezone.now()
    profile.updated_by = actor
    _stamp(profile, actor)
    profile.save()
    audit_record(
        action=Action.CREATE if created else Action.UPDATE,
        actor=actor,
        request=request,
        obj=person,
        summary=f"Philomena profile of {person.reference} {'created' if created else 'updated'}",
        detail={"fields": changed},
    )
    return profile


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


@transaction.atomic
def case_create(
    *,
    actor: User,
    person: YoungPerson,
    owner: User,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Case:
    _require_editor(actor)
    if person.is_merged:
        raise ValidationError("This record was merged into another: open the case on that record.")
    if not officers_for_assignment(actor).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": "Choose an officer of your team (or of a team you supervise)."})
    case = Case(person=person, owner=owner, team_id=owner.team_id, created_by=actor)
    for field in CASE_FIELDS:
        if field in data:
            setattr(case, field, data[field])
    _validate(case, exclude=["person", "owner", "team", "created_by"])
    _stamp(case, actor, "Case opened")
    case.save()
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=case,
        summary=f"Case {case.reference} opened for {person.reference}",
        detail={"person": person.pk, "team": case.team_id, "owner": owner.pk},
    )
    if owner.pk != actor.pk:
        notification_send(
            user=owner,
            subject=f"Case {case.reference} has been opened and assigned to you",
            url=case.get_absolute_url(),
            kind="case_assigned",
        )
    return case


@transaction.atomic
def case_update(
    *, actor: User, case: Case, data: dict[str, Any], expected_version: int, request: HttpRequest | None = None
) -> Case:
    _require_editor(actor)
    current = lock_for_edit(case, expected_version=expected_version)
    changed = _changed_fields(current, data, CASE_FIELDS)
    if not changed:
        return current
    for field in changed:
        setattr(current, field, data[field])
    _validate(current, exclude=["person", "owner", "team", "created_by"])
    current.version += 1
    current.updated_at = timezone.now()
    _stamp(current, actor)
    current.save()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Case {current.reference} updated",
        detail={"fields": changed},
    )
    return current


# (from, to) -> what the move is called. Everything else is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (CaseStatus.IDENTIFIED, CaseStatus.ACTIVE): "Start work on the case",
    (CaseStatus.IDENTIFIED, CaseStatus.AWAITING_CLOSURE_APPROVAL): "Ask for closure approval",
    (CaseStatus.ACTIVE, CaseStatus.AWAITING_CLOSURE_APPROVAL): "Ask for closure approval",
    (CaseStatus.AWAITING_CLOSURE_APPROVAL, CaseStatus.CLOSED): "Approve closure",
    (CaseStatus.AWAITING_CLOSURE_APPROVAL, CaseStatus.ACTIVE): "Keep the case open",
    (CaseStatus.CLOSED, CaseStatus.ACTIVE): "Reopen the case",
}
NEEDS_REASON = {
    CaseStatus.AWAITING_CLOSURE_APPROVAL: "Give the reason for closing the case",
    (CaseStatus.CLOSED, CaseStatus.ACTIVE): "Give the reason for reopening the case",
    (CaseStatus.AWAITING_CLOSURE_APPROVAL, CaseStatus.ACTIVE): "Say why the case stays open",
}


def transitions_for(actor: User, case: Case) -> list[tuple[str, str]]:
    """The moves this user may make from the case's current status: [(to, label)]."""
    if not can_edit(actor):
        return []
    moves = []
    for (from_status, to_status), label in TRANSITIONS.items():
        if from_status != case.status:
            continue
        if to_status == CaseStatus.CLOSED and actor.role != User.Role.SUPERVISOR:
            continue
        if (from_status, to_status) == (CaseStatus.AWAITING_CLOSURE_APPROVAL, CaseStatus.ACTIVE):
            label = "Return the case for more work" if actor.role == User.Role.SUPERVISOR else "Withdraw the request"
        moves.append((to_status, label))
    return moves


def _refusal(from_status: str, to_status: str) -> str:
    was, to = CaseStatus(from_status).label.lower(), CaseStatus(to_status).label.lower()
    if from_status == to_status:
        return f"The case is already {was}."
    if to_status == CaseStatus.CLOSED:
        return (
            f"A case that is {was} cannot be closed directly: ask for closure approval first, "
            "and a supervisor approves it."
        )
    if from_status == CaseStatus.CLOSED:
        return "A closed case can only be reopened (to active)."
    return f"A case that is {was} cannot be moved to {to}."


@transaction.atomic
def case_transition(*, actor: User, case: Case, to: str, reason: str = "", request: HttpRequest | None = None) -> Case:
    """Move a case through identified → active → awaiting closure approval → closed (and reopen).
    Raises CaseTransitionError with a message for the user when the move is not allowed."""
    if not can_edit(actor):
        raise CaseTransitionError("Your role can read cases but not change their status.")
    if to not in CaseStatus.values:
        raise CaseTransitionError("Choose a status from the list.")
    current = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    move = (current.status, to)
    if move not in TRANSITIONS:
        raise CaseTransitionError(_refusal(current.status, to))
    if to == CaseStatus.CLOSED and actor.role != User.Role.SUPERVISOR:
        raise CaseTransitionError("Only a supervisor can approve the closure of a case.")
    reason = (reason or "").strip()
    needs = NEEDS_REASON.get(move) or NEEDS_REASON.get(to)
    if needs and not reason:
        raise CaseTransitionError(needs)
    now = timezone.now()
    previous = current.status
    current.status = to
    if to == CaseStatus.AWAITING_CLOSURE_APPROVAL:
        current.closure_reason = reason
    if to == CaseStatus.CLOSED:
        current.closed_at = now
    if previous == CaseStatus.CLOSED:
        current.closed_at = None
    current.version += 1
    current.updated_at = now
    _stamp(current, actor, TRANSITIONS[move])
    current.save()
    CaseStatusChange.objects.create(case=current, from_status=previous, to_status=to, reason=reason, at=now, by=actor)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Case {current.reference}: {CaseStatus(previous).label} → {CaseStatus(to).label}",
        detail={"from": previous, "to": to},
    )
    url = current.get_absolute_url()
    if to == CaseStatus.AWAITING_CLOSURE_APPROVAL:
        for supervisor in current.team.supervisors.filter(is_active=True):
            notification_send(
                user=supervisor,
                subject=f"Case {current.reference} is waiting for your closure approval",
                url=url,
                kind="case_closure_approval",
            )
    elif previous == CaseStatus.AWAITING_CLOSURE_APPROVAL and actor.pk != current.owner_id:
        outcome = "closure was approved" if to == CaseStatus.CLOSED else "stays open"
        notification_send(
            user=current.owner, subject=f"Case {current.reference}: {outcome}", url=url, kind="case_closure_decision"
        )
    return current


@transaction.atomic
def case_reassign(
    *, actor: User, case: Case, new_owner: User, reason: str = "", request: HttpRequest | None = None
) -> Case:
    """A supervisor gives a case (and its open tasks of the old owner) to another officer."""
    if actor.role != User.Role.SUPERVISOR or not teams_of(actor).filter(pk=case.team_id).exists():
        raise PermissionDenied("Only a supervisor of the case's team can reassign it.")
    current = Case.objects.select_for_update().select_related("owner").get(pk=case.pk)
    if new_owner.pk == current.owner_id:
        raise ValidationError({"new_owner": f"The case is already assigned to {new_owner.full_name}."})
    if not officers_for_assignment(actor).filter(pk=new_owner.pk).exists():
        raise ValidationError({"new_owner": "Choose an officer of a team you supervise."})
    old_owner = current.owner
    now = timezone.now()
    current.owner = new_owner
    current.version += 1
    current.updated_at = now
    _stamp(current, actor, "Reassigned")
    current.save()
    CaseAssignment.objects.create(
        case=current, from_owner=old_owner, to_owner=new_owner, reason=reason, at=now, by=actor
    )
    moved_tasks = Task.objects.filter(case=current, assignee=old_owner, completed_at__isnull=True).update(
        assignee=new_owner
    )
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Case {current.reference} reassigned",
        detail={"from_owner": old_owner.pk, "to_owner": new_owner.pk, "tasks_moved": moved_tasks},
    )
    notification_send(
        user=new_owner,
        subject=f"Case {current.reference} has been assigned to you",
        body=reason,
        url=current.get_absolute_url(),
        kind="case_assigned",
    )
    case_reassigned.send(sender=Case, case=current, from_owner=old_owner, to_owner=new_owner, actor=actor)
    return current


@transaction.atomic
def case_links_update(
    *,
    actor: User,
    case: Case,
    deal_lines: list[DealLine],
    crime_groups: list[OrganisedCrimeGroup],
    new_deal_line: dict[str, str] | None = None,
    new_crime_group: dict[str, str] | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Link the case to deal lines and organised crime groups (shared named entities), creating new ones."""
    _require_editor(actor)
    lines = list(deal_lines)
    groups = list(crime_groups)
    if new_crime_group and new_crime_group.get("name", "").strip():
        name = new_crime_group["name"].strip()
        group = OrganisedCrimeGroup.objects.filter(name__iexact=name).first() or OrganisedCrimeGroup.objects.create(
            name=name, area=new_crime_group.get("area", "")
        )
        groups.append(group)
    if new_deal_line and new_deal_line.get("name", "").strip():
        name = new_deal_line["name"].strip()
        line = DealLine.objects.filter(name__iexact=name).first() or DealLine.objects.create(
            name=name,
            phone_number=new_deal_line.get("phone_number", ""),
            supply_area=new_deal_line.get("supply_area", ""),
            crime_group=groups[-1] if new_crime_group and groups else None,
        )
        lines.append(line)
    before = (set(case.deal_lines.values_list("pk", flat=True)), set(case.crime_groups.values_list("pk", flat=True)))
    _stamp(case, actor, "Lines and groups changed")
    case.deal_lines.set(lines)
    case.crime_groups.set(groups)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=case,
        summary=f"Lines and groups of case {case.reference} changed",
        detail={
            "deal_lines": sorted({line.pk for line in lines}),
            "crime_groups": sorted({g.pk for g in groups}),
            "deal_lines_before": sorted(before[0]),
            "crime_groups_before": sorted(before[1]),
        },
    )
    return case


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
    _require_editor(actor)
    obj = model(case=case, **{who_field: actor}, **data)
    _validate(obj, exclude=["case", who_field])
    if hasattr(obj, "history"):
        _stamp(obj, actor)
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
def associate_add(*, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None) -> Associate:
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
def voice_entry_add(*, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None) -> VoiceEntry:
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
def chronology_entry_add(
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
def missing_episode_record(
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
    _require_editor(actor)
    current = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    changed = [f for f, v in data.items() if getattr(current, f) != v]
    for field in changed:
        setattr(current, field, data[field])
    _validate(current, exclude=["case", "created_by"])
    current.updated_at = timezone.now()
    _stamp(current, actor)
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
    _require_editor(actor)
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


# ---------------------------------------------------------------------------
# Break glass
# ---------------------------------------------------------------------------


@transaction.atomic
def break_glass_grant(
    *, actor: User, person: YoungPerson, justification: str, request: HttpRequest | None = None
) -> BreakGlassAccess:
    """Time-limited access to a person outside the actor's scope, with a written reason;
    audited as break_glass and listed for supervisors to review."""
    _require_editor(actor)
    justification = (justification or "").strip()
    minimum = conf.get("BREAK_GLASS_MIN_JUSTIFICATION")
    if len(justification) < minimum:
        raise ValidationError({"justification": f"Explain why you need access in at least {minimum} characters."})
    if person.is_merged:
        person = person.merged_into
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        user=actor,
        person=person,
        justification=justification,
        granted_at=now,
        expires_at=now + timedelta(hours=conf.get("BREAK_GLASS_HOURS")),
    )
    audit_record(
        action=Action.BREAK_GLASS,
        actor=actor,
        request=request,
        obj=person,
        summary=f"Broke glass to {person.reference} until {timezone.localtime(access.expires_at):%d/%m/%Y %H:%M}",
        justification=justification,
        detail={"access": access.pk},
    )
    review_url = reverse("cases:break_glass_review")
    for supervisor in actor.team.supervisors.filter(is_active=True) if actor.team_id else []:
        notification_send(
            user=supervisor,
            subject=f"{actor.full_name} used break-glass access to {person.reference}",
            url=review_url,
            kind="break_glass",
        )
    return access


@transaction.atomic
def break_glass_review(
    *, actor: User, access: BreakGlassAccess, note: str = "", request: HttpRequest | None = None
) -> BreakGlassAccess:
    if actor.role != User.Role.SUPERVISOR:
        raise PermissionDenied("Only supervisors review break-glass access.")
    current = BreakGlassAccess.objects.select_for_update().get(pk=access.pk)
    if current.reviewed_at is not None:
        raise ValidationError("This access has already been reviewed.")
    current.reviewed_at = timezone.now()
    current.reviewed_by = actor
    current.review_note = note.strip()
    current.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Break-glass access to {current.person.reference} reviewed",
        detail={"person": current.person_id, "user": current.user_id},
    )
    return current


# ---------------------------------------------------------------------------
# Merge
# ---------------------------------------------------------------------------

# Fields of the merged record copied onto the survivor when the survivor's are empty.
_FILL_IF_EMPTY = (
    "gender",
    "ethnicity",
    "nationality",
    "first_language",
    "home_address",
    "home_postcode",
    "home_local_authority",
    "home_police_force",
    "looked_after_status",
    "responsible_local_authority",
    "social_worker_name",
    "social_worker_phone",
    "social_worker_email",
    "education_status",
    "education_setting",
)
_UNION_LISTS = ("adverse_experiences", "vulnerabilities", "warning_markers")
_JOIN_NOTES = ("adverse_experiences_notes", "vulnerabilities_notes", "warning_markers_notes")
_EMPTY = ("", None, YoungPerson.Gender.NOT_KNOWN, LookedAfterStatus.NOT_KNOWN, YoungPerson.EducationStatus.NOT_KNOWN)


def _combine_people(survivor: YoungPerson, merged: YoungPerson) -> list[str]:
    filled = []
    if survivor.date_of_birth is None and merged.date_of_birth is not None:
        survivor.date_of_birth = merged.date_of_birth
        survivor.estimated_age = None
        survivor.estimated_age_on = None
        filled.append("date_of_birth")
    for field in _FILL_IF_EMPTY:
        if getattr(survivor, field) in _EMPTY and getattr(merged, field) not in _EMPTY:
            setattr(survivor, field, getattr(merged, field))
            filled.append(field)
    if merged.interpreter_needed and not survivor.interpreter_needed:
        survivor.interpreter_needed = True
        filled.append("interpreter_needed")
    for field in _UNION_LISTS:
        union = list(dict.fromkeys([*getattr(survivor, field), *getattr(merged, field)]))
        if union != getattr(survivor, field):
            setattr(survivor, field, union)
            filled.append(field)
    for field in _JOIN_NOTES:
        mine, theirs = getattr(survivor, field).strip(), getattr(merged, field).strip()
        if theirs and theirs not in mine:
            setattr(survivor, field, f"{mine}\n\nFrom merged record {merged.reference}: {theirs}".strip())
            filled.append(field)
    return filled


def _combine_philomena(survivor: YoungPerson, merged: YoungPerson, actor: User) -> str:
    theirs = PhilomenaProfile.objects.filter(person=merged).first()
    if theirs is None:
        return ""
    mine = PhilomenaProfile.objects.filter(person=survivor).first()
    if mine is None:
        theirs.person = survivor
        _stamp(theirs, actor, f"Moved from merged record {merged.reference}")
        theirs.save()
        return "moved"
    for field in PHILOMENA_FIELDS:
        a, b = getattr(mine, field).strip(), getattr(theirs, field).strip()
        if b and b not in a:
            setattr(mine, field, f"{a}\n\nFrom merged record {merged.reference}: {b}".strip())
    mine.updated_at = timezone.now()
    mine.updated_by = actor
    _stamp(mine, actor, f"Combined with merged record {merged.reference}")
    mine.save()
    return "combined"


# Relations moved explicitly above; every other foreign key to YoungPerson (other apps') is moved generically.
_HANDLED = {"cases.case", "cases.alias", "cases.philomenaprofile", "cases.personmerge", "cases.youngperson"}


@transaction.atomic
def person_merge(
    *, actor: User, survivor: YoungPerson, merged: YoungPerson, reason: str, request: HttpRequest | None = None
) -> PersonMerge:
    """Combine two records of the same young person. Everything on `merged` moves to
    `survivor` (cases with all they hold, aliases, profile, grants, links from other apps);
    blank details are filled from `merged`; `merged` stays as a tombstone pointing at
    `survivor`. History is kept on both, and the merge is audited as a combination."""
    if actor.role != User.Role.SUPERVISOR:
        raise PermissionDenied("Only a supervisor can merge records.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason these are the same young person"})
    if survivor.pk == merged.pk:
        raise ValidationError("Choose two different records.")
    locked = {p.pk: p for p in YoungPerson.objects.select_for_update().filter(pk__in=[survivor.pk, merged.pk])}
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    if survivor.is_merged or merged.is_merged:
        raise ValidationError("One of these records has already been merged into another.")

    moved: dict[str, int] = {}
    cases = list(Case.objects.select_for_update().filter(person=merged))
    for case in cases:
        case.person = survivor
        case.version += 1
        case.updated_at = timezone.now()
        _stamp(case, actor, f"Moved from merged record {merged.reference}")
        case.save(update_fields=["person", "version", "updated_at"])
    moved["cases"] = len(cases)
    moved["aliases"] = Alias.objects.filter(person=merged).update(person=survivor)
    # The merged record's own name stays findable as an alias of the survivor.
    merged_name = names.normalise(merged.full_name)
    known = {names.normalise(survivor.full_name), *survivor.aliases.values_list("name_norm", flat=True)}
    if merged_name and merged_name not in known:
        Alias.objects.create(
            person=survivor,
            name=merged.full_name,
            kind=AliasKind.SPELLING,
            notes=f"Name on merged record {merged.reference}",
            created_by=actor,
        )
        moved["names_kept_as_alias"] = 1
    philomena = _combine_philomena(survivor, merged, actor)
    other_links: dict[str, int] = {}
    for relation in YoungPerson._meta.related_objects:
        label = relation.related_model._meta.label_lower
        if label in _HANDLED or relation.many_to_many:
            continue
        if (
            relation.one_to_one
            and relation.related_model._base_manager.filter(**{relation.field.name: survivor}).exists()
        ):
            other_links[f"{label}.{relation.field.name} (kept on merged record)"] = 0
            continue
        count = relation.related_model._base_manager.filter(**{relation.field.name: merged}).update(
            **{relation.field.name: survivor}
        )
        if count:
            other_links[f"{label}.{relation.field.name}"] = count

    filled = _combine_people(survivor, merged)
    now = timezone.now()
    survivor.version += 1
    survivor.updated_at = now
    _stamp(survivor, actor, f"Merged with {merged.reference}")
    survivor.save()
    merged.merged_into = survivor
    merged.merged_at = now
    merged.version += 1
    merged.updated_at = now
    _stamp(merged, actor, f"Merged into {survivor.reference}")
    merged.save()
    YoungPerson.objects.filter(merged_into=merged).update(merged_into=survivor)

    detail = {
        "survivor": survivor.pk,
        "merged": merged.pk,
        "moved": moved,
        "other_links": other_links,
        "philomena": philomena,
        "fields_filled": filled,
    }
    record = PersonMerge.objects.create(
        survivor=survivor, merged=merged, reason=reason, detail=detail, merged_at=now, merged_by=actor
    )
    for obj, summary in (
        (survivor, f"{merged.reference} merged into {survivor.reference}"),
        (merged, f"Merged into {survivor.reference}"),
    ):
        audit_record(
            action=Action.MERGE,
            actor=actor,
            request=request,
            obj=obj,
            summary=summary,
            justification=reason,
            detail=detail,
        )
    person_merged.send(sender=YoungPerson, survivor=survivor, merged=merged, actor=actor)
    return record
