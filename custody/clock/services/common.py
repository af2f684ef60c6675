"""What the clock's writes share: resolving and reopening an item, and the deadline rule."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F

from custody.models import (
    Checklist,
    ChecklistItem,
    ComplianceRecord,
    ItemStatus,
)
from safeguarding.accounts.models import Team, User
from safeguarding.audit.models import AuditEvent
from safeguarding.core.time import add_elapsed

Action = AuditEvent.Action


class ChecklistError(Exception):
    """A checklist change that the rules do not allow; the message says why."""


def team_supervisors(team: Team) -> list[User]:
    return list(team.supervisors.filter(is_active=True).order_by("full_name", "pk"))


def escalation_recipients(team: Team, known: dict[int, list[User]]) -> list[User]:
    """Who hears of a missed deadline: the team's supervisors, or the force's leads when
    nobody supervises the team. ``known`` keeps each team's answer for one delivery."""
    if team.pk not in known:
        known[team.pk] = team_supervisors(team) or list(
            User.objects.filter(role=User.Role.FORCE_LEAD, agency_id=team.agency_id, is_active=True)
        )
    return known[team.pk]


def due_for(checklist: Checklist, item: ChecklistItem) -> datetime:
    # The rule of a checklist's start: the offset added in UTC (real elapsed time).
    return add_elapsed(checklist.started_at, item.template_item.due_offset)


def reopen(item: ChecklistItem, *, due_at: datetime) -> None:
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


def record_late_resolution(item: ChecklistItem) -> None:
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


def resolve(
    *, item: ChecklistItem, actor: User | None, status: str, now: datetime, note: str = "", reason: str = ""
) -> None:
    item.status = status
    item.resolved_at = now
    item.resolved_by = actor
    item.note = note
    item.not_applicable_reason = reason
    item.version = F("version") + 1
    item.save(update_fields=["status", "resolved_at", "resolved_by", "note", "not_applicable_reason", "version"])
    item.refresh_from_db(fields=["version"])
    record_late_resolution(item)


def complete_if_finished(checklist: Checklist, now: datetime) -> None:
    if checklist.status != Checklist.Status.RUNNING:
        return
    if not checklist.items.pending().exists():
        Checklist.objects.filter(pk=checklist.pk, status=Checklist.Status.RUNNING).update(
            status=Checklist.Status.COMPLETE, completed_at=now
        )
