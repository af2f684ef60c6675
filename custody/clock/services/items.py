"""Resolving and reassigning checklist items, and items following their case owner and
the young person's circumstances."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.models import Case, YoungPerson
from cases.selectors import teams_of
from custody.models import (
    Checklist,
    ChecklistItem,
    ItemCondition,
    ItemStatus,
    OwnerRule,
)
from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor

from .common import Action, ChecklistError, complete_if_finished, due_for, reopen, resolve


def _lock_pending_item(item: ChecklistItem, actor: User) -> ChecklistItem:
    require_editor(actor)
    # Lock first, then read the clock: a sweep holding the row finishes before we
    # decide whether the item was on time, so the two never disagree.
    locked = (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("checklist", "checklist__case")
        .get(pk=item.pk)
    )
    if locked.status != ItemStatus.PENDING:
        raise ChecklistError(f"This item is already {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def item_mark_done(*, actor: User, item: ChecklistItem, note: str = "") -> ChecklistItem:
    locked = _lock_pending_item(item, actor)
    now = timezone.now()
    resolve(item=locked, actor=actor, status=ItemStatus.DONE, now=now, note=note.strip())
    complete_if_finished(locked.checklist, now)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        obj=locked,
        summary=f"Checklist item done on {locked.checklist.case.reference}: {locked.title}"[:255],
        detail={
            "status": "done",
            "late": cast(datetime, locked.resolved_at) > locked.due_at,  # resolve() has set it
            "checklist": locked.checklist_id,
        },
    )
    return locked


@transaction.atomic
def item_mark_not_applicable(*, actor: User, item: ChecklistItem, reason: str) -> ChecklistItem:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason this item does not apply"})
    locked = _lock_pending_item(item, actor)
    now = timezone.now()
    resolve(item=locked, actor=actor, status=ItemStatus.NOT_APPLICABLE, now=now, reason=reason)
    complete_if_finished(locked.checklist, now)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        obj=locked,
        summary=f"Checklist item not applicable on {locked.checklist.case.reference}: {locked.title}"[:255],
        detail={"status": "not_applicable", "checklist": locked.checklist_id},
    )
    return locked


def owners_for_reassignment(actor: User, item: ChecklistItem) -> list[User]:
    """Whom a supervisor may give an item to: the officers and supervisors of the case's team."""
    team = item.checklist.case.team
    officers = User.objects.filter(role=User.Role.OFFICER, team=team, is_active=True)
    supervisors = team.supervisors.filter(is_active=True)
    return sorted({*officers, *supervisors}, key=lambda u: (u.full_name, u.pk))


@transaction.atomic
def item_reassign(*, actor: User, item: ChecklistItem, owner: User, reason: str = "") -> ChecklistItem:
    """A supervisor of the case's team gives an open item to someone else in the team."""
    if actor.role != User.Role.SUPERVISOR or not teams_of(actor).filter(pk=item.checklist.case.team_id).exists():
        raise PermissionDenied("Only a supervisor of the case's team can reassign checklist items.")
    locked = _lock_pending_item(item, actor)
    if owner not in owners_for_reassignment(actor, locked):
        raise ValidationError({"owner": "Choose an officer or supervisor of the case's team"})
    previous = locked.owner_id
    if previous == owner.pk:
        return locked
    # A new owner should hear about a deadline that is close: a reminder not yet
    # queued will go to them; one already sent stays sent (exactly once per item).
    ChecklistItem.objects.filter(pk=locked.pk).update(owner=owner, version=F("version") + 1)
    locked.refresh_from_db()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        obj=locked,
        summary=f"Checklist item reassigned on {locked.checklist.case.reference}: {locked.title}"[:255],
        detail={"from_owner": previous, "to_owner": owner.pk, "reason": reason.strip()},
    )
    return locked


def items_follow_case_owner(*, case: Case, from_owner: User, to_owner: User, actor: User, **kwargs: Any) -> int:
    """When a case is reassigned, its open items that followed the case owner follow the new owner
    (cases.signals.case_reassigned, sent inside the reassignment's transaction)."""
    moved = (
        ChecklistItem.objects.pending()
        .filter(
            checklist__case=case,
            owner=from_owner,
            template_item__owner_rule=OwnerRule.CASE_OWNER,
        )
        .update(owner=to_owner, version=F("version") + 1)
    )
    if moved:
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            object_type="custody.checklist",
            object_id="",
            summary=f"{moved} open checklist item(s) on {case.reference} moved to the new case owner",
            detail={"case": case.pk, "from_owner": from_owner.pk, "to_owner": to_owner.pk},
        )
    return moved


def _closed_by_condition(item: ChecklistItem) -> bool:
    """Made not applicable automatically because its condition was false (never by a person)."""
    return (
        item.status == ItemStatus.NOT_APPLICABLE
        and item.resolved_by_id is None
        and item.not_applicable_reason == item.template_item.not_applicable_reason
    )


def conditional_items_follow_person(
    *, actor: User | None = None, person: YoungPerson | None = None, survivor: YoungPerson | None = None, **kwargs: Any
) -> int:
    """The items that depend on the young person (looked-after; out of area) follow an edit
    of the person while a checklist runs (cases.signals.person_updated and person_merged,
    sent inside the edit's transaction). Returns how many items changed.

    * The condition became true: an item closed automatically because it was false
      reopens as pending with its due time from the checklist's start (already past: the
      next sweep escalates it). An item a person marked not applicable stays so.
    * The condition became false: a pending item becomes not applicable with the
      template's reason, as at the start; a done item stays done.

    Only running checklists change: a complete or superseded one is history.
    """
    person = survivor or person  # person_merged names the surviving record "survivor"
    if person is None:
        return 0  # both signals always name a person
    items = list(
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("template_item", "checklist")
        .filter(checklist__case__person=person, checklist__status=Checklist.Status.RUNNING)
        .exclude(template_item__condition=ItemCondition.ALWAYS)
        .order_by("checklist_id", "position")
    )
    now = timezone.now()
    reopened: list[ChecklistItem] = []
    closed: list[ChecklistItem] = []
    for item in items:
        condition = item.template_item.condition
        holds = person.is_looked_after if condition == ItemCondition.LOOKED_AFTER else person.is_out_of_area
        if holds and _closed_by_condition(item):
            reopen(item, due_at=due_for(item.checklist, item))
            reopened.append(item)
        elif not holds and item.is_pending:
            resolve(
                item=item,
                actor=None,
                status=ItemStatus.NOT_APPLICABLE,
                now=now,
                reason=item.template_item.not_applicable_reason,
            )
            closed.append(item)
    for checklist in {i.checklist_id: i.checklist for i in closed}.values():
        complete_if_finished(checklist, now)
    for item in reopened + closed:
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            obj=item,
            summary=(
                f"Checklist item {'reopened' if item in reopened else 'no longer applies'} after an edit of "
                f"{person.reference}: {item.title}"
            )[:255],
            detail={
                "status": item.status,
                "condition": item.template_item.condition,
                "checklist": item.checklist_id,
                "due_at": item.due_at.isoformat(),
            },
        )
    return len(reopened) + len(closed)


def items_complete_by_code(
    *, actor: User, case: Case, code: str, note: str, at: datetime | None = None
) -> list[ChecklistItem]:
    """Mark done the pending items with this template code on the case's running
    checklists, because another record fulfils them (a referral sent, an NRM made).
    Called inside the caller's transaction; each item gets its own audit row. Items
    already resolved, and checklists that ended, are left as they are."""
    now = at or timezone.now()
    items = list(
        ChecklistItem.objects.pending()
        .on_running_checklists()
        .select_for_update(of=("self",))
        .select_related("checklist", "checklist__case")
        .filter(checklist__case=case, template_item__code=code)
    )
    for item in items:
        resolve(item=item, actor=actor, status=ItemStatus.DONE, now=now, note=note)
        complete_if_finished(item.checklist, now)
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            obj=item,
            summary=f"Checklist item done on {case.reference} by a linked record: {item.title}"[:255],
            detail={"status": "done", "code": code, "late": now > item.due_at, "note": note},
        )
    return items
