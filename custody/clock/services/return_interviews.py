"""The return home interview clock: started, moved or cancelled by the missing
episode's return (cases.signals.missing_episode_returned, inside its transaction),
recorded by an officer, and enforced by the 48-hour clock's sweep (queue_* below,
called from sweep.checklist_sweep): the same claims, the same kind of outbox, the
same delivery."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from cases.models import Case, MissingEpisode
from custody.models import OutboxKind, ReturnInterview, ReturnInterviewOutbox, ReturnInterviewStatus
from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.core.time import add_elapsed
from safeguarding.notifications.delivery import Message, Skip, notifications_deliver
from safeguarding.notifications.emails import message_id
from safeguarding.notifications.outbox import Due, outbox_queue

from .common import Action, escalation_recipients

PENDING = ReturnInterviewStatus.PENDING


def interview_due(returned_at: datetime) -> datetime:
    # Real elapsed time: 72 hours are 72 hours across a change of the clocks.
    return add_elapsed(returned_at, timedelta(hours=settings.RETURN_INTERVIEW_DUE_HOURS))


def interview_follow_return(
    *, episode: MissingEpisode, actor: User, previous_found_at: datetime | None, **kwargs: Any
) -> ReturnInterview | None:
    """Receiver of missing_episode_returned. A return recorded: the interview is due 72 hours
    later. Moved: a pending interview moves with it (its reminder and escalation stay one
    each, ever). Removed: a pending interview is cancelled. A done interview is history."""
    interview = ReturnInterview.objects.select_for_update().filter(episode=episode).first()
    found_at = episode.found_at
    if interview is None:
        if found_at is None:
            return None
        interview = ReturnInterview.objects.create(
            case_id=episode.case_id,
            episode=episode,
            returned_at=found_at,
            due_at=interview_due(found_at),
            owner=episode.case.owner,
        )
        change = "started"
    elif interview.status == ReturnInterviewStatus.DONE:
        return interview
    elif found_at is None:
        interview.status = ReturnInterviewStatus.CANCELLED
        interview.version = F("version") + 1
        interview.save(update_fields=["status", "version"])
        change = "cancelled"
    else:
        interview.status = PENDING
        interview.returned_at = found_at
        interview.due_at = interview_due(found_at)
        interview.version = F("version") + 1
        interview.save(update_fields=["status", "returned_at", "due_at", "version"])
        change = "moved"
    interview.refresh_from_db()
    audit_record(
        action=Action.CREATE if change == "started" else Action.UPDATE,
        actor=actor,
        obj=interview,
        summary=f"Return home interview clock {change} on case {episode.case.reference}",
        detail={"case": episode.case_id, "due_at": interview.due_at.isoformat()},
    )
    return interview


@transaction.atomic
def interview_record(
    *,
    actor: User,
    interview: ReturnInterview,
    conducted_at: datetime,
    conducted_by: str,
    summary: str,
    request: HttpRequest | None = None,
) -> ReturnInterview:
    """The interview took place: when, who held it and what came of it."""
    require_editor(actor)
    current = ReturnInterview.objects.select_for_update().select_related("case").get(pk=interview.pk)
    if current.status != PENDING:
        raise ValidationError({"conducted_at": f"This interview is already {current.get_status_display().lower()}"})
    if conducted_at < current.returned_at:
        raise ValidationError({"conducted_at": "The interview must be after they returned"})
    if conducted_at > timezone.now():
        raise ValidationError({"conducted_at": "The interview must be now or in the past"})
    if not conducted_by.strip():
        raise ValidationError({"conducted_by": "Enter who held the interview"})
    if not summary.strip():
        raise ValidationError({"summary": "Write what the young person said and what happens next"})
    current.status = ReturnInterviewStatus.DONE
    current.conducted_at = conducted_at
    current.conducted_by = conducted_by.strip()
    current.summary = summary.strip()
    current.recorded_at = timezone.now()
    current.recorded_by = actor
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Return home interview recorded on case {current.case.reference}",
        detail={"case": current.case_id, "late": current.was_late},
    )
    return current


def interviews_follow_case_owner(*, case: Case, from_owner: User, to_owner: User, actor: User, **kwargs: Any) -> int:
    """A reassigned case's pending interviews go to the new owner (cases.signals.case_reassigned)."""
    return (
        ReturnInterview.objects.pending()
        .filter(case=case, owner=from_owner)
        .update(owner=to_owner, version=F("version") + 1)
    )


# ---------------------------------------------------------------------------
# The sweep's part (called by sweep.checklist_sweep)
# ---------------------------------------------------------------------------


def queue_interview_reminders(now: datetime, batch: int) -> int:
    lead = timedelta(hours=settings.RETURN_INTERVIEW_REMINDER_LEAD_HOURS)
    # Uses rhi_remind_due_idx (partial: pending, not reminded).
    reminders = Due(
        rows=ReturnInterview.objects.due_for_reminder(now, lead),
        outbox=lambda row, at: ReturnInterviewOutbox(interview_id=row[0], kind=OutboxKind.REMINDER, created_at=at),
        mark="reminder_queued_at",
    )
    return outbox_queue(reminders, now=now, batch=batch)


def queue_interview_escalations(now: datetime, batch: int) -> int:
    # Uses rhi_escalate_due_idx. Strictly after the due time, as for checklist items.
    escalations = Due(
        rows=ReturnInterview.objects.due_for_escalation(now),
        outbox=lambda row, at: ReturnInterviewOutbox(interview_id=row[0], kind=OutboxKind.ESCALATION, created_at=at),
        mark="escalated_at",
    )
    return outbox_queue(escalations, now=now, batch=batch)


def _composer() -> Callable[[ReturnInterviewOutbox, datetime], Message | Skip]:
    supervisors: dict[int, list[User]] = {}

    def recipients(row: ReturnInterviewOutbox) -> list[User]:
        interview = row.interview
        if row.kind == OutboxKind.REMINDER:
            return [interview.owner] if interview.owner.is_active else []
        return escalation_recipients(interview.case.team, supervisors)

    def compose(row: ReturnInterviewOutbox, now: datetime) -> Message | Skip:
        interview = row.interview
        if not interview.is_pending:
            return Skip(f"Interview already {interview.get_status_display().lower()} at delivery.")
        path = interview.get_absolute_url()
        return Message(
            recipients=recipients(row),
            email=f"return-interview-{row.kind}",
            context={
                "kind": row.kind,
                "case_reference": interview.case.reference,
                "due_at": timezone.localtime(interview.due_at),
                "overdue": interview.is_overdue(now),
                "url": f"{settings.SITE_URL}{path}",
                "path": path,
            },
            kind=f"return_interview_{row.kind}",
            path=path,
            dedupe_key=f"return-interview:{row.interview_id}:{row.kind}",
            message_id=message_id(f"return-interview-{row.interview_id}-{row.kind}"),
        )

    return compose


def interview_outbox_deliver() -> tuple[int, int]:
    outbox = ReturnInterviewOutbox.objects.select_related("interview", "interview__owner", "interview__case__team")
    return notifications_deliver(
        outbox=outbox,
        compose=_composer(),
        batch_size=settings.CHECKLIST_DELIVERY_BATCH,
        retry_minutes=settings.CHECKLIST_EMAIL_RETRY_MINUTES,
    )
