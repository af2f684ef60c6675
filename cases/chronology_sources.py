"""The cases app's own chronology sources (registered by cases.wiring).
Each is one or two queries however many entries there are."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import cast

from django.urls import reverse
from django.utils import timezone

from .chronology import ChronologyEntry
from .models import (
    CaseAssignment,
    CaseStatus,
    CaseStatusChange,
    ManualChronologyEntry,
    MissingEpisode,
    MissingRiskGrading,
    Placement,
    Reclassification,
    Task,
    VoiceEntry,
)


def case_events(person, visible_cases, user) -> Iterable[ChronologyEntry]:
    cases = list(visible_cases.select_related("team", "owner", "created_by"))
    by_pk = {c.pk: c for c in cases}
    for case in cases:
        yield ChronologyEntry(
            occurred_at=case.opened_at,
            type="case",
            title=f"Case {case.reference} opened",
            text=f"{case.team.name}; officer in charge {case.owner.full_name}. "
            f"Exploitation: {', '.join(case.get_exploitation_types_display()) or 'not recorded'}.",
            case=case,
            by=case.created_by.full_name if case.created_by else "",
            url=case.get_absolute_url(),
            tag=case.get_risk_level_display() + " risk",
        )
    for change in CaseStatusChange.objects.filter(case__in=visible_cases).select_related("by"):
        yield ChronologyEntry(
            occurred_at=change.at,
            type="case",
            title=f"Case {by_pk[change.case_id].reference}: {CaseStatus(change.to_status).label.lower()}",
            text=change.reason,
            case=by_pk.get(change.case_id),
            by=change.by.full_name,
            url=by_pk[change.case_id].get_absolute_url(),
        )
    for assignment in CaseAssignment.objects.filter(case__in=visible_cases).select_related("to_owner", "by"):
        yield ChronologyEntry(
            occurred_at=assignment.at,
            type="case",
            title=f"Case {by_pk[assignment.case_id].reference} reassigned to {assignment.to_owner.full_name}",
            text=assignment.reason,
            case=by_pk.get(assignment.case_id),
            by=assignment.by.full_name,
        )


def manual_entries(person, visible_cases, user) -> Iterable[ChronologyEntry]:
    for entry in ManualChronologyEntry.objects.filter(case__in=visible_cases).select_related("case", "created_by"):
        yield ChronologyEntry(
            occurred_at=entry.occurred_at,
            type=f"entry_{entry.entry_type}",
            title=entry.get_entry_type_display(),
            text=entry.text,
            case=entry.case,
            by=entry.created_by.full_name,
        )


def missing_episodes(person, visible_cases, user) -> Iterable[ChronologyEntry]:
    for episode in MissingEpisode.objects.filter(case__in=visible_cases).select_related("case", "created_by"):
        yield ChronologyEntry(
            occurred_at=episode.reported_missing_at,
            type="missing",
            title=f"Reported missing from {episode.missing_from}",
            text=f"Reported by {episode.reported_by}." + (f" {episode.notes}" if episode.notes else ""),
            case=episode.case,
            by=episode.created_by.full_name,
            url=reverse("cases:missing_edit", args=[episode.pk]),
            tag=f"{episode.get_risk_grade_display()} risk",
        )
        if episode.found_at:
            where = f" ({episode.get_found_location_display().lower()})" if episode.found_location else ""
            yield ChronologyEntry(
                occurred_at=episode.found_at,
                type="missing",
                title=f"Found or returned: {episode.found_where or 'place not recorded'}{where}",
                text=f"By {episode.found_by}." if episode.found_by else "",
                case=episode.case,
                by=episode.created_by.full_name,
                url=reverse("cases:missing_edit", args=[episode.pk]),
            )


def missing_regradings(person, visible_cases, user) -> Iterable[ChronologyEntry]:
    """Re-gradings only: the first grading is on the "reported missing" entry."""
    gradings = (
        MissingRiskGrading.objects.filter(episode__case__in=visible_cases)
        .select_related("episode", "episode__case", "graded_by")
        .order_by("episode_id", "graded_at", "id")
    )
    seen: set[int] = set()
    for grading in gradings:
        if grading.episode_id not in seen:
            seen.add(grading.episode_id)
            continue
        yield ChronologyEntry(
            occurred_at=grading.graded_at,
            type="missing",
            title=f"Missing episode re-graded: {grading.get_grade_display().lower()} risk",
            text=grading.reason,
            case=grading.episode.case,
            by=grading.graded_by.full_name,
            url=reverse("cases:missing_regrade", args=[grading.episode_id]),
            tag=f"{grading.get_grade_display()} risk",
        )


def voice_entries(person, visible_cases, user) -> Iterable[ChronologyEntry]:
    for entry in VoiceEntry.objects.filter(case__in=visible_cases).select_related("case", "recorded_by"):
        yield ChronologyEntry(
            # A voice entry is dated, not timed: place it at midday of that day.
            occurred_at=timezone.make_aware(datetime.combine(entry.spoken_on, time(12))),
            type="voice",
            title="In their own words",
            text=entry.account + (f"\n\nWhat they want: {entry.wishes}" if entry.wishes else ""),
            case=entry.case,
            by=entry.recorded_by.full_name,
        )


def tasks(person, visible_cases, user) -> Iterable[ChronologyEntry]:
    for task in Task.objects.filter(case__in=visible_cases, completed_at__isnull=False).select_related(
        "case", "completed_by"
    ):
        completed_at = cast(datetime, task.completed_at)  # filtered on completed_at__isnull=False
        late = " (done after it was due)" if completed_at > task.due_at else ""
        yield ChronologyEntry(
            occurred_at=completed_at,
            type="task",
            title=f"Task done: {task.title}{late}",
            text=task.completion_note,
            case=task.case,
            by=task.completed_by.full_name if task.completed_by else "",
        )


def placements(person, visible_cases, user) -> Iterable[ChronologyEntry]:
    """Where the young person moved to, and when they left."""
    for placement in Placement.objects.filter(case__in=visible_cases).select_related("case", "created_by"):
        yield ChronologyEntry(
            occurred_at=timezone.make_aware(datetime.combine(placement.from_date, time.min)),
            type="placement",
            title=f"Placed: {placement.type_label.lower()}",
            text=", ".join(part for part in (placement.provider, placement.address) if part),
            case=placement.case,
            by=placement.created_by.full_name,
            url=placement.case.get_absolute_url(),
        )
        if placement.to_date is not None:
            yield ChronologyEntry(
                occurred_at=timezone.make_aware(datetime.combine(placement.to_date, time.min)),
                type="placement",
                title=f"Left placement: {placement.type_label.lower()}",
                text=placement.provider,
                case=placement.case,
                by=placement.created_by.full_name,
                url=placement.case.get_absolute_url(),
            )


def reclassifications(person, visible_cases, user) -> Iterable[ChronologyEntry]:
    """Each request to reclassify the case, and the supervisor's decision on it."""
    for change in Reclassification.objects.filter(case__in=visible_cases).select_related(
        "case", "requested_by", "decided_by"
    ):
        label = change.get_to_classification_display()
        yield ChronologyEntry(
            occurred_at=change.requested_at,
            type="classification",
            title=f"Reclassification to {label.lower()} asked for",
            text=change.reason,
            case=change.case,
            by=change.requested_by.full_name,
            url=change.case.get_absolute_url(),
        )
        if change.decided_at is not None and change.decided_by is not None:
            yield ChronologyEntry(
                occurred_at=change.decided_at,
                type="classification",
                title=f"Reclassification to {label.lower()} {change.get_status_display().lower()}",
                text=change.decision_note,
                case=change.case,
                by=change.decided_by.full_name,
                url=change.case.get_absolute_url(),
                tag=change.get_status_display(),
            )
