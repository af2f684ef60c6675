"""Writes of the 48-hour post-custody clock: starting checklists, resolving and
reassigning items, versioning templates, and the sweep that enforces deadlines.

Every write is keyword-only, atomic and audited in its own transaction.

Reliability (DESIGN §5, issue 5). Deadlines live in PostgreSQL; Celery only carries
the periodic *sweep*, never an ETA or countdown task per deadline, so a lost message
or a restarted or flushed broker loses nothing: the next sweep finds the same work.

The sweep does three things, each claimed with SELECT … FOR UPDATE SKIP LOCKED so
that two sweeps (two beats, a redelivered message, two workers) share the work
rather than repeat it:

1. reminders: pending items due within the lead time and not yet reminded get a
   ChecklistOutbox row (kind reminder) and ``reminder_queued_at``, in one transaction;
2. escalations: pending items past their due time and not yet escalated get an
   outbox row (kind escalation), a ComplianceRecord and ``escalated_at``;
3. delivery: undelivered outbox rows, a batch (CHECKLIST_DELIVERY_BATCH) per
   transaction: in-app notifications (dedupe key per item, kind and recipient),
   then the emails, then the rows are marked delivered, then COMMIT.

Exactly once. The outbox is UNIQUE (item, kind) and rows are written with ON
CONFLICT DO NOTHING, so each reminder and escalation is *decided* once. In-app
notifications are rows in the same database, written in the transaction that marks
the outbox row delivered, with a unique dedupe key: exactly once, whatever crashes.

Email cannot be exactly once across a crash (an SMTP server is not in our
transaction). We choose **at least once**: emails are sent last, immediately before
the COMMIT that marks them sent, in the same transaction that claimed the rows. A
crash anywhere before the sending starts rolls the batch back and the next sweep
sends each email once; a crash *while* a batch's emails are going out (or between
the last send and the COMMIT) sends those already accepted again on the next sweep
— at most one batch of duplicates, and only in that window. Losing an escalation
about a child is worse than a rare duplicate; each message carries a stable
Message-ID (item and kind) so a mail system that deduplicates drops the copy. A
failed send keeps the in-app part and retries the email with back-off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Case
from cases.selectors import can_edit, teams_of
from custody.models import (
    Checklist,
    ChecklistItem,
    ChecklistOutbox,
    ChecklistTemplate,
    ChecklistTemplateItem,
    ComplianceRecord,
    CustodyEvent,
    ItemCondition,
    ItemStatus,
    OutboxKind,
    OwnerRule,
)
from safeguarding.accounts.models import Team, User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.notifications.models import Notification

from .defaults import default_template_create

logger = logging.getLogger(__name__)
Action = AuditEvent.Action


class ChecklistError(Exception):
    """A checklist change that the rules do not allow; the message says why."""


# ---------------------------------------------------------------------------
# Starting a checklist
# ---------------------------------------------------------------------------


def active_template() -> ChecklistTemplate:
    template = ChecklistTemplate.objects.filter(is_active=True).first()
    if template is None:
        # No template at all (a flushed database): the default of DESIGN §5.
        template = default_template_create()
    if template is None:
        raise ChecklistError("No checklist template is active: an administrator must activate one.")
    return template


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


def _team_supervisors(team: Team) -> list[User]:
    return list(team.supervisors.filter(is_active=True).order_by("full_name", "pk"))


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


@transaction.atomic
def checklist_start(
    *,
    actor: User | None,
    case: Case,
    started_at: datetime,
    start_basis: str = Checklist.StartBasis.RELEASE,
    event: CustodyEvent | None = None,
    template: ChecklistTemplate | None = None,
) -> Checklist:
    """Start a checklist on the case from ``started_at`` with the active template
    version (or ``template``). A checklist already running on the case that started
    earlier is superseded (a re-arrest starts a new checklist)."""
    # One start at a time per case: serialises re-arrest handling and duplicate starts.
    case = Case.objects.select_for_update(of=("self",)).select_related("person", "team", "owner").get(pk=case.pk)
    template = template or active_template()
    # Count real elapsed time: arithmetic on a Europe/London datetime is wall-clock
    # arithmetic in Python (24 h after 20:00 BST on the eve of the October change would
    # land at 20:00 GMT, 25 real hours later). In UTC, an hour is an hour.
    started_at = started_at.astimezone(UTC)
    now = timezone.now()
    checklist = Checklist.objects.create(
        case=case,
        custody_event=event,
        template=template,
        started_at=started_at,
        start_basis=start_basis,
        created_at=now,
        created_by=actor,
    )
    supervisors = _team_supervisors(case.team)
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

    superseded = []
    for older in Checklist.objects.filter(
        case=case, status=Checklist.Status.RUNNING, started_at__lte=started_at
    ).exclude(pk=checklist.pk):
        _supersede(actor=actor, checklist=older, by=checklist, now=now)
        superseded.append(older.pk)

    audit_record(
        action=Action.CREATE,
        actor=actor,
        obj=checklist,
        summary=f"48-hour checklist started on {case.reference} (version {template.version})",
        detail={
            "case": case.pk,
            "custody_event": event.pk if event else None,
            "started_at": started_at.isoformat(),
            "start_basis": start_basis,
            "template_version": template.version,
            "superseded": superseded,
        },
    )
    return checklist


def _supersede(*, actor: User | None, checklist: Checklist, by: Checklist, now: datetime) -> None:
    reason = f"Superseded: re-arrested; a new checklist started at {timezone.localtime(by.started_at):%d/%m/%Y %H:%M}."
    pending = list(ChecklistItem.objects.select_for_update().filter(checklist=checklist, status=ItemStatus.PENDING))
    for item in pending:
        _resolve(item=item, actor=actor, status=ItemStatus.NOT_APPLICABLE, now=now, reason=reason)
    checklist.status = Checklist.Status.SUPERSEDED
    checklist.completed_at = now
    checklist.superseded_by = by
    checklist.save(update_fields=["status", "completed_at", "superseded_by"])


def checklist_start_for_release(*, actor: User | None, event: CustodyEvent) -> Checklist | None:
    """Start the checklist for a custody event's release (the issue-4 screens call this
    whenever an event is saved with, or updated to, a release time).

    * No release recorded (e.g. remanded): None — "clock not started".
    * Identified after release (morning list): the clock starts at identification.
    * Called again for the same event: the checklist already started (idempotent).
    * A re-arrest (a later event on the same case) supersedes the running checklist.
    * An older event recorded after a newer one has started a checklist: None (the
      newer checklist keeps running).
    """
    if event.case_id is None:
        return None
    start = clock_start_for(event)
    if start is None:
        return None
    started_at, basis = start
    with transaction.atomic():
        Case.objects.select_for_update(of=("self",)).filter(pk=event.case_id).first()
        existing = Checklist.objects.filter(custody_event=event).first()
        if existing is not None:
            return existing
        newer = Checklist.objects.filter(
            case_id=event.case_id, status=Checklist.Status.RUNNING, started_at__gt=started_at
        ).exists()
        if newer:
            return None
        return checklist_start(actor=actor, case=event.case, started_at=started_at, start_basis=basis, event=event)


STOPPED_REASON = "Clock stopped: the release time was removed (remanded)."


def _due_for(checklist: Checklist, item: ChecklistItem) -> datetime:
    # The rule of checklist_start: the offset added in UTC (real elapsed time).
    return checklist.started_at.astimezone(UTC) + item.template_item.due_offset


def _reopen(item: ChecklistItem, *, due_at: datetime) -> None:
    """A resolved item back to pending with ``due_at``. Its reminder and escalation flags
    stay as they are (one of each per item, ever); a compliance record it had is open again."""
    item.status = ItemStatus.PENDING
    item.due_at = due_at
    item.resolved_at = item.resolved_by = None
    item.note = item.not_applicable_reason = ""
    item.version = F("version") + 1
    item.save(
        update_fields=["status", "due_at", "resolved_at", "resolved_by", "note", "not_applicable_reason", "version"]
    )
    item.refresh_from_db(fields=["version"])
    ComplianceRecord.objects.filter(item=item).update(resolved_at=None, resolution="")


def _rejudge_deadline(item: ChecklistItem, *, new_due: datetime, now: datetime) -> dict:
    """Move one item's deadline to ``new_due`` and make its reminder, escalation and
    compliance record agree with it (the rule is in checklist_follow_release). Returns
    what changed, for the audit row."""
    old_due = item.due_at
    change: dict = {"item": item.pk, "from": old_due.isoformat(), "to": new_due.isoformat()}
    item.due_at = new_due
    fields = ["due_at"]
    record = ComplianceRecord.objects.filter(item=item).first()
    # The moment that decides whether the deadline was missed: the resolution, or now.
    judged_at = item.resolved_at if not item.is_pending else now
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
        _record_late_resolution(item)
        change["compliance_recorded"] = True
        return change
    item.save(update_fields=fields)
    return change


def _move_start(*, actor: User | None, checklist: Checklist, started_at: datetime, basis: str, now: datetime) -> dict:
    previous = checklist.started_at
    checklist.started_at = started_at.astimezone(UTC)
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
        new_due = _due_for(checklist, item)
        if new_due != item.due_at:
            moved.append(_rejudge_deadline(item, new_due=new_due, now=now))
    return {"from": previous.isoformat(), "to": checklist.started_at.isoformat(), "items": moved}


def checklist_follow_release(*, actor: User | None, event: CustodyEvent) -> Checklist | None:
    """Make the custody event's checklist follow its release time, whenever the release
    time is recorded, corrected or removed (custody.review calls this after each change).

    * No checklist yet: checklist_start_for_release (a release starts the clock).
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
    with transaction.atomic():
        Case.objects.select_for_update(of=("self",)).filter(pk=event.case_id).first()
        checklist = Checklist.objects.select_for_update(of=("self",)).filter(custody_event=event).first()
        if checklist is None:
            return checklist_start_for_release(actor=actor, event=event)
        if checklist.status in (Checklist.Status.COMPLETE, Checklist.Status.SUPERSEDED):
            return checklist
        now = timezone.now()
        start = clock_start_for(event)
        if start is None:
            if checklist.status == Checklist.Status.RUNNING:
                _stop(actor=actor, checklist=checklist, now=now)
            return checklist
        started_at, basis = start
        if checklist.status == Checklist.Status.STOPPED:
            return _restart(actor=actor, checklist=checklist, started_at=started_at, basis=basis, now=now)
        if started_at.astimezone(UTC) == checklist.started_at and basis == checklist.start_basis:
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
    pending = list(ChecklistItem.objects.select_for_update().filter(checklist=checklist, status=ItemStatus.PENDING))
    for item in pending:
        _resolve(item=item, actor=actor, status=ItemStatus.NOT_APPLICABLE, now=now, reason=STOPPED_REASON)
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


def _restart(*, actor: User | None, checklist: Checklist, started_at: datetime, basis: str, now: datetime):
    if Checklist.objects.filter(
        case_id=checklist.case_id, status=Checklist.Status.RUNNING, started_at__gt=started_at
    ).exists():
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
        _reopen(item, due_at=item.due_at)
    moved = _move_start(actor=actor, checklist=checklist, started_at=started_at, basis=basis, now=now)
    for older in Checklist.objects.filter(
        case_id=checklist.case_id, status=Checklist.Status.RUNNING, started_at__lte=checklist.started_at
    ).exclude(pk=checklist.pk):
        _supersede(actor=actor, checklist=older, by=checklist, now=now)
    _complete_if_finished(checklist, now)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        obj=checklist,
        summary=f"48-hour clock on {checklist.case.reference} running again: a release time was recorded",
        detail={"start_moved": moved, "reopened_items": [i.pk for i in stopped]},
    )
    return checklist


# ---------------------------------------------------------------------------
# Resolving and reassigning items
# ---------------------------------------------------------------------------


def _record_late_resolution(item: ChecklistItem) -> None:
    """An item resolved after its due time was missed: its compliance record says when it
    was done — the time of the work, never the time a sweep noticed."""
    if item.resolved_at is None or item.resolved_at <= item.due_at:
        return
    record, created = ComplianceRecord.objects.get_or_create(
        item=item,
        defaults={
            "case_id": item.checklist.case_id,
            "due_at": item.due_at,
            "detected_at": item.resolved_at,
            "resolved_at": item.resolved_at,
            "resolution": item.status,
        },
    )
    if not created and record.resolved_at is None:
        record.resolved_at = item.resolved_at
        record.resolution = item.status
        record.save(update_fields=["resolved_at", "resolution"])


def _resolve(*, item: ChecklistItem, actor: User | None, status: str, now: datetime, note: str = "", reason: str = ""):
    item.status = status
    item.resolved_at = now
    item.resolved_by = actor
    item.note = note
    item.not_applicable_reason = reason
    item.version = F("version") + 1
    item.save(update_fields=["status", "resolved_at", "resolved_by", "note", "not_applicable_reason", "version"])
    item.refresh_from_db(fields=["version"])
    _record_late_resolution(item)


def _lock_pending_item(item: ChecklistItem, actor: User) -> ChecklistItem:
    if not can_edit(actor):
        raise PermissionDenied("Your role can read checklists but not change them.")
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


def _complete_if_finished(checklist: Checklist, now: datetime) -> None:
    if checklist.status != Checklist.Status.RUNNING:
        return
    if not checklist.items.filter(status=ItemStatus.PENDING).exists():
        Checklist.objects.filter(pk=checklist.pk, status=Checklist.Status.RUNNING).update(
            status=Checklist.Status.COMPLETE, completed_at=now
        )


@transaction.atomic
def item_mark_done(*, actor: User, item: ChecklistItem, note: str = "") -> ChecklistItem:
    locked = _lock_pending_item(item, actor)
    now = timezone.now()
    _resolve(item=locked, actor=actor, status=ItemStatus.DONE, now=now, note=note.strip())
    _complete_if_finished(locked.checklist, now)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        obj=locked,
        summary=f"Checklist item done on {locked.checklist.case.reference}: {locked.title}"[:255],
        detail={"status": "done", "late": locked.resolved_at > locked.due_at, "checklist": locked.checklist_id},
    )
    return locked


@transaction.atomic
def item_mark_not_applicable(*, actor: User, item: ChecklistItem, reason: str) -> ChecklistItem:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason this item does not apply"})
    locked = _lock_pending_item(item, actor)
    now = timezone.now()
    _resolve(item=locked, actor=actor, status=ItemStatus.NOT_APPLICABLE, now=now, reason=reason)
    _complete_if_finished(locked.checklist, now)
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


def items_follow_case_owner(*, case: Case, from_owner: User, to_owner: User, actor: User, **kwargs) -> int:
    """When a case is reassigned, its open items that followed the case owner follow the new owner
    (cases.signals.case_reassigned, sent inside the reassignment's transaction)."""
    moved = ChecklistItem.objects.filter(
        checklist__case=case,
        status=ItemStatus.PENDING,
        owner=from_owner,
        template_item__owner_rule=OwnerRule.CASE_OWNER,
    ).update(owner=to_owner, version=F("version") + 1)
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


def conditional_items_follow_person(*, actor: User | None = None, person=None, survivor=None, **kwargs) -> int:
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
    items = list(
        ChecklistItem.objects.select_for_update(of=("self",))
        .select_related("template_item", "checklist")
        .filter(checklist__case__person=person, checklist__status=Checklist.Status.RUNNING)
        .exclude(template_item__condition=ItemCondition.ALWAYS)
        .order_by("checklist_id", "position")
    )
    now = timezone.now()
    reopened, closed = [], []
    for item in items:
        condition = item.template_item.condition
        holds = person.is_looked_after if condition == ItemCondition.LOOKED_AFTER else person.is_out_of_area
        if holds and _closed_by_condition(item):
            _reopen(item, due_at=_due_for(item.checklist, item))
            reopened.append(item)
        elif not holds and item.is_pending:
            _resolve(
                item=item,
                actor=None,
                status=ItemStatus.NOT_APPLICABLE,
                now=now,
                reason=item.template_item.not_applicable_reason,
            )
            closed.append(item)
    for checklist in {i.checklist_id: i.checklist for i in closed}.values():
        _complete_if_finished(checklist, now)
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


# ---------------------------------------------------------------------------
# Templates (admin)
# ---------------------------------------------------------------------------


@transaction.atomic
def template_new_version(*, actor: User, source: ChecklistTemplate, notes: str = "") -> ChecklistTemplate:
    """A copy of ``source`` as the next version, inactive, ready to edit."""
    latest = ChecklistTemplate.objects.select_for_update().order_by("-version").first()
    new = ChecklistTemplate.objects.create(
        name=source.name,
        version=(latest.version if latest else 0) + 1,
        is_active=False,
        notes=notes or f"Copied from version {source.version}.",
        created_by=actor,
    )
    ChecklistTemplateItem.objects.bulk_create(
        [
            ChecklistTemplateItem(
                template=new,
                position=i.position,
                code=i.code,
                title=i.title,
                guidance=i.guidance,
                due_offset_minutes=i.due_offset_minutes,
                owner_rule=i.owner_rule,
                condition=i.condition,
                not_applicable_reason=i.not_applicable_reason,
            )
            for i in source.items.all()
        ]
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        obj=new,
        summary=f"Checklist template version {new.version} drafted from version {source.version}",
    )
    return new


@transaction.atomic
def template_activate(*, actor: User, template: ChecklistTemplate) -> ChecklistTemplate:
    """New checklists use this version from now on; running ones keep theirs."""
    if not template.items.exists():
        raise ChecklistError("A template version needs at least one item before it can be activated.")
    ChecklistTemplate.objects.select_for_update().filter(is_active=True).exclude(pk=template.pk).update(is_active=False)
    ChecklistTemplate.objects.filter(pk=template.pk).update(is_active=True, activated_at=timezone.now())
    template.refresh_from_db()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        obj=template,
        summary=f"Checklist template version {template.version} activated",
    )
    return template


# ---------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------


@dataclass
class SweepResult:
    reminders: int = 0
    escalations: int = 0
    delivered: int = 0
    email_failures: int = 0

    def __str__(self) -> str:
        return (
            f"{self.reminders} reminder(s) and {self.escalations} escalation(s) queued, "
            f"{self.delivered} message(s) delivered, {self.email_failures} email failure(s)"
        )


def _queue_reminders(now: datetime, batch: int) -> int:
    lead = timedelta(minutes=settings.CHECKLIST_REMINDER_LEAD_MINUTES)
    queued = 0
    while True:
        with transaction.atomic():
            # Uses checkitem_remind_due_idx (partial: pending, not reminded).
            ids = list(
                ChecklistItem.objects.filter(
                    status=ItemStatus.PENDING, reminder_queued_at__isnull=True, due_at__lte=now + lead
                )
                .order_by("due_at", "id")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("id", flat=True)[:batch]
            )
            if not ids:
                return queued
            ChecklistOutbox.objects.bulk_create(
                [ChecklistOutbox(item_id=pk, kind=OutboxKind.REMINDER, created_at=now) for pk in ids],
                ignore_conflicts=True,
            )
            ChecklistItem.objects.filter(pk__in=ids).update(reminder_queued_at=now)
            queued += len(ids)


def _queue_escalations(now: datetime, batch: int) -> int:
    escalated = 0
    while True:
        with transaction.atomic():
            # Uses checkitem_escalate_due_idx (partial: pending, not escalated).
            # Strictly after the due time: an item done exactly at its due time is on time.
            rows = list(
                ChecklistItem.objects.filter(status=ItemStatus.PENDING, escalated_at__isnull=True, due_at__lt=now)
                .order_by("due_at", "id")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("id", "due_at", "checklist__case_id")[:batch]
            )
            if not rows:
                return escalated
            ids = [pk for pk, _, _ in rows]
            ChecklistOutbox.objects.bulk_create(
                [ChecklistOutbox(item_id=pk, kind=OutboxKind.ESCALATION, created_at=now) for pk in ids],
                ignore_conflicts=True,
            )
            ComplianceRecord.objects.bulk_create(
                [
                    ComplianceRecord(item_id=pk, case_id=case_id, due_at=due, detected_at=now)
                    for pk, due, case_id in rows
                ],
                ignore_conflicts=True,
            )
            ChecklistItem.objects.filter(pk__in=ids).update(escalated_at=now)
            escalated += len(ids)


def _recipients(row: ChecklistOutbox, supervisors: dict[int, list[User]]) -> list[User]:
    item = row.item
    if row.kind == OutboxKind.REMINDER:
        return [item.owner] if item.owner.is_active else []
    team = item.checklist.case.team
    if team.pk not in supervisors:
        supervisors[team.pk] = _team_supervisors(team) or list(
            # Nobody supervises the team: the force's leads hear about it instead.
            User.objects.filter(role=User.Role.FORCE_LEAD, agency_id=team.agency_id, is_active=True)
        )
    return supervisors[team.pk]


def _message_context(row: ChecklistOutbox, now: datetime) -> dict:
    item = row.item
    checklist = item.checklist
    return {
        "kind": row.kind,
        "case_reference": checklist.case.reference,
        "item_title": item.title,
        "due_at": timezone.localtime(item.due_at),
        "overdue": now > item.due_at,
        "url": f"{settings.SITE_URL}{checklist.get_absolute_url()}",
        "path": checklist.get_absolute_url(),
    }


def _message_id(row: ChecklistOutbox) -> str:
    domain = urlsplit(settings.SITE_URL).hostname or "safeguarding.invalid"
    return f"<checklist-item-{row.item_id}-{row.kind}@{domain}>"


def _deliver_batch(size: int) -> tuple[int, int] | None:
    """Deliver up to ``size`` undelivered outbox rows in one transaction: (delivered,
    email failures), or None when there is nothing left to claim.

    In-app notifications first (one INSERT … ON CONFLICT DO NOTHING on their unique
    dedupe keys), then the emails, last, each over one open mail connection, then the
    rows are marked and the transaction commits at once."""
    now = timezone.now()
    with transaction.atomic():
        # Uses checkoutbox_undelivered_idx (partial: not delivered).
        rows = list(
            ChecklistOutbox.objects.filter(delivered_at__isnull=True)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("id")
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("item", "item__owner", "item__checklist", "item__checklist__case__team")[:size]
        )
        if not rows:
            return None
        supervisors: dict[int, list[User]] = {}
        notifications: list[Notification] = []
        emails: list[tuple[ChecklistOutbox, EmailMessage]] = []
        for row in rows:
            item = row.item
            if item.status != ItemStatus.PENDING:
                # Resolved between the decision and the delivery: nothing to remind about.
                row.delivered_at = now
                row.skipped_reason = f"Item already {item.get_status_display().lower()} at delivery."
                continue
            recipients = _recipients(row, supervisors)
            context = _message_context(row, now)
            subject = render_to_string(f"emails/checklist-{row.kind}-subject.txt", context).strip().splitlines()[0]
            body = render_to_string(f"emails/checklist-{row.kind}-body.txt", context)
            if row.notified_at is None:
                notifications += [
                    Notification(
                        user=user,
                        subject=subject,
                        body=body,
                        url=context["path"],
                        kind=f"checklist_{row.kind}",
                        # The outbox row's natural key (item, kind) and the recipient.
                        dedupe_key=f"checklist:{row.item_id}:{row.kind}:{user.pk}",
                    )
                    for user in recipients
                ]
                row.notified_at = now
                row.recipients = [u.pk for u in recipients]
            row.attempts += 1
            addresses = [u.email for u in recipients if u.email]
            if addresses:
                message = EmailMessage(
                    subject=subject, body=body, to=addresses, headers={"Message-ID": _message_id(row)}
                )
                emails.append((row, message))
            else:
                row.delivered_at = now
        # notification_send() would cost a savepoint per row; the unique dedupe key
        # gives the same guarantee in one statement (and waits on a concurrent insert).
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        failed = _send_emails(emails, now)
        ChecklistOutbox.objects.bulk_update(
            rows,
            [
                "notified_at",
                "recipients",
                "attempts",
                "email_sent_at",
                "delivered_at",
                "skipped_reason",
                "last_error",
                "next_attempt_at",
            ],
        )
    # COMMIT: the rows are marked sent in the transaction that claimed them.
    return len(rows) - failed, failed


def _send_emails(emails: list[tuple[ChecklistOutbox, EmailMessage]], now: datetime) -> int:
    """Send each message; mark its row sent, or keep it for a retry with back-off. Returns failures."""
    if not emails:
        return 0
    failed = 0
    connection = None
    try:
        connection = get_connection()
        connection.open()
    except Exception as exc:  # the mail server is down: every row waits for a retry
        connection = None
        opening_error = exc
    for row, message in emails:
        try:
            if connection is None:
                raise opening_error
            message.connection = connection
            message.send()
        except Exception as exc:  # any mail failure: keep the in-app part, retry the email
            backoff = min(settings.CHECKLIST_EMAIL_RETRY_MINUTES * 2 ** (row.attempts - 1), 60)
            row.last_error = f"{type(exc).__name__}: {exc}"[:500]
            row.next_attempt_at = now + timedelta(minutes=backoff)
            failed += 1
            logger.warning("Checklist email for outbox row %s failed; retrying in %s min", row.pk, backoff)
        else:
            row.email_sent_at = row.delivered_at = now
    if connection is not None:
        connection.close()
    return failed


def outbox_deliver() -> tuple[int, int]:
    """Deliver every outbox row due for delivery: (delivered, email failures)."""
    delivered = failed = 0
    while True:
        outcome = _deliver_batch(settings.CHECKLIST_DELIVERY_BATCH)
        if outcome is None:
            return delivered, failed
        # Rows whose email failed wait for their retry time, so the loop ends; their
        # in-app notifications are already written.
        delivered += outcome[0]
        failed += outcome[1]


def checklist_sweep(*, now: datetime | None = None) -> SweepResult:
    """Run by beat every CHECKLIST_SWEEP_SECONDS. Idempotent; safe to run concurrently."""
    # In UTC: "due within the lead time" is real time, even for a caller's local ``now``.
    now = (now or timezone.now()).astimezone(UTC)
    batch = settings.CHECKLIST_SWEEP_BATCH
    result = SweepResult()
    result.reminders = _queue_reminders(now, batch)
    result.escalations = _queue_escalations(now, batch)
    result.delivered, result.email_failures = outbox_deliver()
    return result
