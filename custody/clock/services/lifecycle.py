"""A checklist's life: started from a release, following the release time when it is
corrected or removed (moved, stopped, running again), superseded by a re-arrest."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from custody.models import (
    Checklist,
    ChecklistItem,
    ComplianceRecord,
    CustodyEvent,
    ItemCondition,
    ItemStatus,
    OwnerRule,
)
from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.time import as_utc

from .common import Action, complete_if_finished, due_for, record_late_resolution, reopen, resolve, team_supervisors
from .templates import active_template


def _identified_at(event: CustodyEvent) -> datetime | None:
    """When the young person was identified, for events found on the morning list:
    the review decision (or, failing that, when the event was recorded). An event
    entered by hand was known at the time, so its clock runs from release."""
    if getattr(event, "source", "") != "custody_review":
        return None
    row = getattr(event, "source_row", None)
    decided = getattr(row, "decided_at", None) if row is not None else None
    return decided or event.created_at


def clock_start_for(event: CustodyEvent) -> tuple[datetime, str] | None:
    """(when the clock starts, why) for a custody event; None while it has not started
    (no release recorded yet — e.g. remanded)."""
    if event.released_at is None:
        return None
    identified = _identified_at(event)
    if identified is not None and identified > event.released_at:
        return identified, Checklist.StartBasis.IDENTIFICATION
    return event.released_at, Checklist.StartBasis.RELEASE


def _owner_for(rule: str, case: Case, supervisors: list[User]) -> User:
    if rule == OwnerRule.TEAM_SUPERVISOR and supervisors:
        return supervisors[0]
    return case.owner


def _condition_holds(condition: str, case: Case) -> bool:
    person = case.person
    if condition == ItemCondition.LOOKED_AFTER:
        return person.is_looked_after
    if condition == ItemCondition.OUT_OF_AREA:
        return person.is_out_of_area
    return True


def _newer_running(case_id: int, started_at: datetime) -> bool:
    """A checklist from a later arrest runs on the case: an older release never displaces it."""
    return Checklist.objects.filter(
        case_id=case_id, status=Checklist.Status.RUNNING, started_at__gt=started_at
    ).exists()


def _supersede_older(*, actor: User | None, checklist: Checklist, now: datetime) -> list[int]:
    """A re-arrest: every other checklist running on the case that started no later than
    ``checklist`` is superseded by it. Returns their ids."""
    older = Checklist.objects.filter(
        case_id=checklist.case_id, status=Checklist.Status.RUNNING, started_at__lte=checklist.started_at
    ).exclude(pk=checklist.pk)
    superseded = []
    for other in older:
        _supersede(actor=actor, checklist=other, by=checklist, now=now)
        superseded.append(other.pk)
    return superseded


def _start(*, actor: User | None, case: Case, event: CustodyEvent, started_at: datetime, basis: str) -> Checklist:
    """A new checklist on the (locked) case from ``started_at``, with the active template
    version; older running checklists are superseded."""
    template = active_template()
    started_at = as_utc(started_at)  # deadlines count real hours (see safeguarding/core/time.py)
    now = timezone.now()
    checklist = Checklist.objects.create(
        case=case,
        custody_event=event,
        template=template,
        started_at=started_at,
        start_basis=basis,
        created_at=now,
        created_by=actor,
    )
    supervisors = team_supervisors(case.team)
    items = []
    for template_item in template.items.order_by("position"):
        applies = _condition_holds(template_item.condition, case)
        items.append(
            ChecklistItem(
                checklist=checklist,
                template_item=template_item,
                position=template_item.position,
                title=template_item.title,
                due_at=started_at + template_item.due_offset,
                owner=_owner_for(template_item.owner_rule, case, supervisors),
                status=ItemStatus.PENDING if applies else ItemStatus.NOT_APPLICABLE,
                resolved_at=None if applies else now,
                not_applicable_reason="" if applies else template_item.not_applicable_reason,
            )
        )
    ChecklistItem.objects.bulk_create(items)
    superseded = _supersede_older(actor=actor, checklist=checklist, now=now)
    audit_record(
        action=Action.CREATE,
        actor=actor,
        obj=checklist,
        summary=f"48-hour checklist started on {case.reference} (version {template.version})",
        detail={
            "case": case.pk,
            "custody_event": event.pk,
            "started_at": started_at.isoformat(),
            "start_basis": basis,
            "template_version": template.version,
            "superseded": superseded,
        },
    )
    return checklist


def _supersede(*, actor: User | None, checklist: Checklist, by: Checklist, now: datetime) -> None:
    reason = f"Superseded: re-arrested; a new checklist started at {timezone.localtime(by.started_at):%d/%m/%Y %H:%M}."
    pending = list(ChecklistItem.objects.pending().select_for_update().filter(checklist=checklist))
    for item in pending:
        resolve(item=item, actor=actor, status=ItemStatus.NOT_APPLICABLE, now=now, reason=reason)
    checklist.status = Checklist.Status.SUPERSEDED
    checklist.completed_at = now
    checklist.superseded_by = by
    checklist.save(update_fields=["status", "completed_at", "superseded_by"])


STOPPED_REASON = "Clock stopped: the release time was removed (remanded)."


def _rejudge_deadline(item: ChecklistItem, *, new_due: datetime, now: datetime) -> dict[str, Any]:
    """Move one item's deadline to ``new_due`` and make its reminder, escalation and
    compliance record agree with it (the rule is in checklist_follow_release). Returns
    what changed, for the audit row."""
    old_due = item.due_at
    change: dict[str, Any] = {"item": item.pk, "from": old_due.isoformat(), "to": new_due.isoformat()}
    item.due_at = new_due
    fields = ["due_at"]
    record = ComplianceRecord.objects.filter(item=item).first()
    # The moment that decides whether the deadline was missed: the resolution, or now.
    # A resolved item always has its resolution time (check constraint).
    judged_at = cast(datetime, item.resolved_at) if not item.is_pending else now
    missed = judged_at > new_due
    if item.is_pending and item.escalated_at is not None and not missed:
        # Escalated for a deadline that, corrected, has not passed: the item is on time
        # again. The sweep may judge it afresh at the new deadline (a new compliance
        # record), but the escalation message is not repeated (one per item).
        item.escalated_at = None
        fields.append("escalated_at")
    if record is not None and not missed:
        change["compliance_withdrawn"] = {
            "due_at": record.due_at.isoformat(),
            "detected_at": record.detected_at.isoformat(),
        }
        record.delete()
    elif record is not None:
        record.due_at = new_due
        record.save(update_fields=["due_at"])
    elif missed and not item.is_pending and item.resolved_by_id is not None:
        # Resolved by a person after the corrected deadline: a missed deadline after all.
        item.save(update_fields=fields)
        record_late_resolution(item)
        change["compliance_recorded"] = True
        return change
    item.save(update_fields=fields)
    return change


def _move_start(
    *, actor: User | None, checklist: Checklist, started_at: datetime, basis: str, now: datetime
) -> dict[str, Any]:
    previous = checklist.started_at
    checklist.started_at = as_utc(started_at)
    checklist.start_basis = basis
    checklist.start_corrected_at = now
    checklist.start_corrected_from = previous
    checklist.save(update_fields=["started_at", "start_basis", "start_corrected_at", "start_corrected_from"])
    moved = []
    items = (
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("template_item")
        .filter(checklist=checklist)
    )
    for item in items.order_by("position"):
        new_due = due_for(checklist, item)
        if new_due != item.due_at:
            moved.append(_rejudge_deadline(item, new_due=new_due, now=now))
    return {"from": previous.isoformat(), "to": checklist.started_at.isoformat(), "items": moved}


def checklist_follow_release(*, actor: User | None, event: CustodyEvent) -> Checklist | None:
    """The one way into the clock: make the custody event's checklist follow its release
    time, whenever the event is recorded with one or its release time is recorded,
    corrected or removed (custody.review calls this after each change).

    * No release recorded (e.g. remanded) and no checklist: None, "clock not started".
    * No checklist yet: a release starts the clock, from release, or from identification
      for a young person found on the morning list after release. An older event
      recorded after a newer one has started a checklist starts nothing (None: the
      newer checklist keeps running); otherwise a re-arrest supersedes the running one.
    * Called again with nothing changed: the same checklist (idempotent).
    * The release time corrected while the checklist runs: the clock's start moves (the
      identification rule of clock_start_for still applies) and every item's due time is
      recomputed from it — the offset added in UTC, as at the start. Then, per item:

      - **Reminder**: an item's reminder is sent once (the outbox is UNIQUE per item and
        kind). A reminder already sent is not sent again for a later deadline; one not
        yet sent goes out before the new deadline as usual.
      - **Escalation and compliance record** (judged at the item's resolution, or now if
        it is still open): if the corrected deadline has *not* passed, the deadline was
        not missed — the compliance record is withdrawn (its old values kept in the audit
        row), and an escalated open item is marked not escalated so that the sweep judges
        it again at the new deadline and writes a fresh compliance record if it is
        missed; the escalation message itself is not repeated (one per item: the
        supervisor has heard of it, and the clocks pages show it in red again). If the
        corrected deadline has passed, the record keeps its place with the new due time;
        an item a person resolved after the corrected deadline gets a compliance record.
      - Items resolved or not applicable keep their status; only their due time moves.

      The correction is audited (old and new start, each item moved, each record
      withdrawn) and the checklist page says "corrected … (was …)".
    * The release time removed (back to remand): the clock stops. Open items become not
      applicable with STOPPED_REASON, the checklist ends as "stopped"; nothing more is
      sent. Done items stay done.
    * A release time recorded again on a stopped checklist: it runs again from the new
      start; the items the stop closed reopen with their new due times (the rule above).
    * A complete or superseded checklist is history and is not rewritten: the correction
      is audited on the event only.
    """
    if event.case_id is None:
        return None
    start = clock_start_for(event)
    with transaction.atomic():
        # One change at a time per case: serialises duplicate starts, re-arrests and corrections.
        case = (
            Case.objects.select_for_update(of=("self",)).select_related("person", "team", "owner").get(pk=event.case_id)
        )
        checklist = Checklist.objects.select_for_update(of=("self",)).filter(custody_event=event).first()
        if checklist is None:
            if start is None or _newer_running(case.pk, start[0]):
                return None
            return _start(actor=actor, case=case, event=event, started_at=start[0], basis=start[1])
        if checklist.status in (Checklist.Status.COMPLETE, Checklist.Status.SUPERSEDED):
            return checklist
        now = timezone.now()
        if start is None:
            if checklist.status == Checklist.Status.RUNNING:
                _stop(actor=actor, checklist=checklist, now=now)
            return checklist
        started_at, basis = start
        if checklist.status == Checklist.Status.STOPPED:
            return _restart(actor=actor, checklist=checklist, started_at=started_at, basis=basis, now=now)
        if as_utc(started_at) == checklist.started_at and basis == checklist.start_basis:
            return checklist
        moved = _move_start(actor=actor, checklist=checklist, started_at=started_at, basis=basis, now=now)
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            obj=checklist,
            summary=f"48-hour clock on {checklist.case.reference} moved: the release time was corrected",
            detail={"start_moved": moved, "custody_event": event.pk, "start_basis": basis},
        )
        return checklist


def _stop(*, actor: User | None, checklist: Checklist, now: datetime) -> None:
    pending = list(ChecklistItem.objects.pending().select_for_update().filter(checklist=checklist))
    for item in pending:
        resolve(item=item, actor=actor, status=ItemStatus.NOT_APPLICABLE, now=now, reason=STOPPED_REASON)
    checklist.status = Checklist.Status.STOPPED
    checklist.completed_at = now
    checklist.save(update_fields=["status", "completed_at"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        obj=checklist,
        summary=f"48-hour clock on {checklist.case.reference} stopped: the release time was removed",
        detail={"stopped_items": [i.pk for i in pending], "custody_event": checklist.custody_event_id},
    )


def _restart(*, actor: User | None, checklist: Checklist, started_at: datetime, basis: str, now: datetime) -> Checklist:
    if _newer_running(checklist.case_id, started_at):
        return checklist  # a later arrest has its own clock running; this one stays stopped
    stopped = list(
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("template_item")
        .filter(checklist=checklist, status=ItemStatus.NOT_APPLICABLE, not_applicable_reason=STOPPED_REASON)
    )
    checklist.status = Checklist.Status.RUNNING
    checklist.completed_at = None
    checklist.save(update_fields=["status", "completed_at"])
    for item in stopped:
        reopen(item, due_at=item.due_at)
    moved = _move_start(actor=actor, checklist=checklist, started_at=started_at, basis=basis, now=now)
    _supersede_older(actor=actor, checklist=checklist, now=now)
    complete_if_finished(checklist, now)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        obj=checklist,
        summary=f"48-hour clock on {checklist.case.reference} running again: a release time was recorded",
        detail={"start_moved": moved, "reopened_items": [i.pk for i in stopped]},
    )
    return checklist
