"""Writes to cases: open, edit (optimistic locking), status machine, reassignment, lines and groups."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.core.db import apply_versioned_edit
from safeguarding.notifications.services import notification_send

from ..closure import closure_blockers
from ..models import (
    Case,
    CaseAssignment,
    CaseStatus,
    CaseStatusChange,
    ClosureOutcome,
    DealLine,
    OrganisedCrimeGroup,
    Task,
    YoungPerson,
)
from ..selectors import can_edit, officers_for_assignment, teams_of
from ..signals import case_reassigned
from ._common import Action, stamp_history, validate

CASE_FIELDS = (
    "exploitation_types",
    "exploitation_other",
    "risk_level",
    "risk_rationale",
    "risk_review_on",
    "how_identified",
    "operation_name",
    "how_identified_detail",
    "records_review_on",
)


class CaseTransitionError(Exception):
    """A status change the case's status machine does not allow; the message says why."""


@transaction.atomic
def case_create(
    *,
    actor: User,
    person: YoungPerson,
    owner: User,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Case:
    require_editor(actor)
    if person.is_merged:
        raise ValidationError("This record was merged into another: open the case on that record.")
    if not officers_for_assignment(actor).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": "Choose an officer of your team (or of a team you supervise)."})
    # An officer for assignment always has a team (officers_for_assignment).
    case = Case(person=person, owner=owner, team_id=cast(int, owner.team_id), created_by=actor)
    for field in CASE_FIELDS:
        if field in data:
            setattr(case, field, data[field])
    validate(case, exclude=["person", "owner", "team", "created_by"])
    stamp_history(case, actor, "Case opened")
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
    require_editor(actor)

    def prepare(current: Case, changed: list[str]) -> None:
        validate(current, exclude=["person", "owner", "team", "created_by"])
        stamp_history(current, actor)

    current, changed = apply_versioned_edit(
        case, data=data, fields=CASE_FIELDS, expected_version=expected_version, prepare=prepare
    )
    if not changed:
        return current
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


def _check_closure(
    case: Case, to: str, outcomes: list[str], outcome_other: str, records_review_on: date | None
) -> None:
    """Asking to close needs the outcomes; approving needs the next records review date;
    both are refused while anything registered in cases.closure still blocks the case."""
    errors: dict[str, str] = {}
    if to == CaseStatus.AWAITING_CLOSURE_APPROVAL:
        if not outcomes:
            errors["outcomes"] = "Choose at least one outcome for the young person"
        elif any(o not in ClosureOutcome.values for o in outcomes):
            errors["outcomes"] = "Choose outcomes from the list"
        elif ClosureOutcome.OTHER in outcomes and not outcome_other.strip():
            errors["outcome_other"] = "Describe the other outcome"
    if to == CaseStatus.CLOSED:
        if records_review_on is None:
            errors["records_review_on"] = "Enter the date of the next records review"
        elif records_review_on <= timezone.localdate():
            errors["records_review_on"] = "The next records review must be in the future"
    blockers = closure_blockers(case)
    if blockers:
        errors["to"] = "The case cannot close yet: " + "; ".join(blockers)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_transition(
    *,
    actor: User,
    case: Case,
    to: str,
    reason: str = "",
    outcomes: list[str] | None = None,
    outcome_other: str = "",
    records_review_on: date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Move a case through identified → active → awaiting closure approval → closed (and reopen).
    Raises CaseTransitionError with a message for the user when the move is not allowed, and
    ValidationError({field: message}) when a closure lacks what it needs or is blocked."""
    if not can_edit(actor):
        raise CaseTransitionError("Your role can read cases but not change their status.")
    if to not in CaseStatus.values:
        raise CaseTransitionError("Choose a status from the list.")
    current = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    reason = _check_move(actor, current, to, (reason or "").strip())
    outcomes = list(outcomes or [])
    if to in (CaseStatus.AWAITING_CLOSURE_APPROVAL, CaseStatus.CLOSED):
        _check_closure(current, to, outcomes, outcome_other, records_review_on)
    move = (current.status, to)
    now = timezone.now()
    previous = current.status
    detail = _apply_status(
        current,
        to,
        reason=reason,
        outcomes=outcomes,
        outcome_other=outcome_other,
        records_review_on=records_review_on,
        now=now,
    )
    stamp_history(current, actor, TRANSITIONS[move])
    current.save()
    CaseStatusChange.objects.create(case=current, from_status=previous, to_status=to, reason=reason, at=now, by=actor)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Case {current.reference}: {CaseStatus(previous).label} → {CaseStatus(to).label}",
        detail=detail,
    )
    _tell_of_transition(actor, current, previous)
    return current


def _check_move(actor: User, current: Case, to: str, reason: str) -> str:
    """The reason, once the move is one the case may make, by this actor, with what it needs."""
    move = (current.status, to)
    if move not in TRANSITIONS:
        raise CaseTransitionError(_refusal(current.status, to))
    if to == CaseStatus.CLOSED and actor.role != User.Role.SUPERVISOR:
        raise CaseTransitionError("Only a supervisor can approve the closure of a case.")
    needs = NEEDS_REASON.get(move) or NEEDS_REASON.get(to)
    if needs and not reason:
        raise CaseTransitionError(needs)
    return reason


def _apply_status(
    current: Case,
    to: str,
    *,
    reason: str,
    outcomes: list[str],
    outcome_other: str,
    records_review_on: date | None,
    now: datetime,
) -> dict[str, Any]:
    """Set the new status and what it records on the case; the audit detail of the move."""
    previous = current.status
    current.status = to
    detail: dict[str, Any] = {"from": previous, "to": to}
    if to == CaseStatus.AWAITING_CLOSURE_APPROVAL:
        current.closure_reason = reason
        current.closure_outcomes = outcomes
        current.closure_outcome_other = outcome_other.strip() if ClosureOutcome.OTHER in outcomes else ""
        detail["outcomes"] = outcomes
    if to == CaseStatus.CLOSED:
        current.closed_at = now
        current.records_review_on = records_review_on
        detail["records_review_on"] = records_review_on.isoformat() if records_review_on else None
    if previous == CaseStatus.CLOSED:
        current.closed_at = None
    current.version += 1
    current.updated_at = now
    return detail


def _tell_of_transition(actor: User, current: Case, previous: str) -> None:
    """A closure asked for goes to the team's supervisors; the decision on it to the owner."""
    url = current.get_absolute_url()
    if current.status == CaseStatus.AWAITING_CLOSURE_APPROVAL:
        for supervisor in current.team.supervisors.filter(is_active=True):
            notification_send(
                user=supervisor,
                subject=f"Case {current.reference} is waiting for your closure approval",
                url=url,
                kind="case_closure_approval",
            )
    elif previous == CaseStatus.AWAITING_CLOSURE_APPROVAL and actor.pk != current.owner_id:
        outcome = "closure was approved" if current.status == CaseStatus.CLOSED else "stays open"
        notification_send(
            user=current.owner, subject=f"Case {current.reference}: {outcome}", url=url, kind="case_closure_decision"
        )


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
    stamp_history(current, actor, "Reassigned")
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
    require_editor(actor)
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
    stamp_history(case, actor, "Lines and groups changed")
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
