"""Writes of Community Protection Warnings and Notices. Each is atomic with its audit row;
a rule across fields is a ValidationError naming the field, so nothing is half-saved."""

from __future__ import annotations

from datetime import date
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case, YoungPerson
from cases.models.people import age_on
from safeguarding.accounts.models import Team, User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.notifications.services import notification_send

from ..models import BreachAction, CommunityProtection, ConditionKind, CPBreach, CPCondition, CPKind, CPStatus

Action = AuditEvent.Action
S43 = "the Anti-social Behaviour, Crime and Policing Act 2014 s43"


def age_refusal(person: YoungPerson, on: date) -> str | None:
    """Why a warning or notice cannot be issued to this person on this day, or None."""
    minimum = settings.CP_MINIMUM_AGE
    if person.date_of_birth is None:
        return (
            f"Record {person.full_name}'s date of birth first: a warning or notice can only be issued "
            f"to someone aged {minimum} or over on the date of issue ({S43})"
        )
    age = age_on(person.date_of_birth, on)
    if age < minimum:
        return (
            f"{person.full_name} {'will be' if on > timezone.localdate() else 'is'} {age} on {on:%-d %B %Y}: a warning or notice can only be issued "
            f"to someone aged {minimum} or over on the date of issue ({S43})"
        )
    return None


def supervises_case(user: User, case: Case) -> bool:
    return user.role == User.Role.SUPERVISOR and Team.objects.filter(pk=case.team_id, supervisors=user).exists()


def _lock(notice: CommunityProtection) -> CommunityProtection:
    return (
        CommunityProtection.objects.select_for_update(of=("self",))
        .select_related("case", "case__person")
        .get(pk=notice.pk)
    )


def _require_status(notice: CommunityProtection, *allowed: str, doing: str) -> None:
    if notice.status not in allowed:
        raise ValidationError(f"{notice.reference} is {notice.get_status_display().lower()}: it cannot be {doing} now")


def _check_warning_followed(case: Case, warning: CommunityProtection | None, issue_on: date | None) -> dict[str, str]:
    """A notice follows a written warning on the same case that has been served, and is issued after it."""
    if warning is None:
        return {"warning": "Choose the served warning this notice follows"}
    if warning.case_id != case.pk or warning.kind != CPKind.WARNING:
        return {"warning": "Choose a warning on this case"}
    if warning.status != CPStatus.SERVED:
        return {
            "warning": f"{warning.reference} has not been served: a notice can only follow a written warning "
            f"that has been served ({S43})"
        }
    if issue_on is not None and warning.served_on and issue_on < warning.served_on:
        return {"planned_issue_on": "A notice cannot be issued before the warning it follows was served"}
    return {}


@transaction.atomic
def cp_create(*, actor: User, case: Case, kind: str, data: dict, request=None) -> CommunityProtection:
    """A draft warning or notice. A notice follows a served warning on the same case and
    starts with that warning's conditions (the officer changes them before submitting)."""
    require_editor(actor)
    errors: dict[str, str] = {}
    issue_on = data.get("planned_issue_on")
    review_on = data.get("review_on")
    if issue_on is not None:
        refusal = age_refusal(case.person, issue_on)
        if refusal:
            errors["planned_issue_on"] = refusal
        if review_on is not None and review_on < issue_on:
            errors["review_on"] = "The review date must be on or after the date of issue"
    warning = data.get("warning") if kind == CPKind.NOTICE else None
    if kind == CPKind.NOTICE:
        errors |= _check_warning_followed(case, warning, issue_on)
    if errors:
        raise ValidationError(errors)
    notice = CommunityProtection.objects.create(
        case=case,
        kind=kind,
        warning=warning,
        conduct=data["conduct"].strip(),
        effect=data["effect"].strip(),
        planned_issue_on=cast(date, issue_on),  # the form requires both dates
        review_on=cast(date, review_on),
        created_by=actor,
    )
    if warning is not None:
        CPCondition.objects.bulk_create(
            CPCondition(
                notice=notice,
                kind=c.kind,
                text=c.text,
                area_name=c.area_name,
                area_description=c.area_description,
                area_map_url=c.area_map_url,
                position=c.position,
            )
            for c in warning.conditions.all()
        )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=notice,
        summary=f"{notice.reference} drafted on {case.reference}",
        detail={"case": case.pk, "kind": kind, "warning": warning.pk if warning else None},
    )
    return notice


@transaction.atomic
def cp_condition_add(*, actor: User, notice: CommunityProtection, data: dict, request=None) -> CPCondition:
    require_editor(actor)
    notice = _lock(notice)
    _require_status(notice, CPStatus.DRAFT, doing="changed")
    kind = data["kind"]
    text = (data.get("text") or "").strip()
    area_name = (data.get("area_name") or "").strip()
    if kind == ConditionKind.AREA_EXCLUSION and not area_name:
        raise ValidationError({"area_name": "Enter the name of the area they must stay out of"})
    if kind != ConditionKind.AREA_EXCLUSION and not text:
        raise ValidationError({"text": "Enter what they must do or stop doing"})
    last = notice.conditions.order_by("-position").first()
    condition = CPCondition.objects.create(
        notice=notice,
        kind=kind,
        text=text,
        area_name=area_name if kind == ConditionKind.AREA_EXCLUSION else "",
        area_description=(data.get("area_description") or "").strip() if kind == ConditionKind.AREA_EXCLUSION else "",
        area_map_url=(data.get("area_map_url") or "").strip() if kind == ConditionKind.AREA_EXCLUSION else "",
        position=(last.position + 1) if last else 1,
    )
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=notice,
        summary=f"{notice.reference}: condition added",
        detail={"condition_added": condition.pk, "kind": kind},
    )
    return condition


@transaction.atomic
def cp_condition_remove(*, actor: User, notice: CommunityProtection, condition_id: int, request=None) -> None:
    require_editor(actor)
    notice = _lock(notice)
    _require_status(notice, CPStatus.DRAFT, doing="changed")
    deleted, _ = notice.conditions.filter(pk=condition_id).delete()
    if deleted:
        audit_record(
            action=Action.UPDATE,
            actor=actor,
            request=request,
            obj=notice,
            summary=f"{notice.reference}: condition removed",
            detail={"condition_removed": condition_id},
        )


@transaction.atomic
def cp_submit(*, actor: User, notice: CommunityProtection, request=None) -> CommunityProtection:
    """Ask the case team's supervisors to approve: nothing is issued before they have."""
    require_editor(actor)
    notice = _lock(notice)
    _require_status(notice, CPStatus.DRAFT, doing="sent for approval")
    if not notice.conditions.exists():
        raise ValidationError("Add at least one condition before sending it for approval")
    refusal = age_refusal(notice.case.person, notice.planned_issue_on)
    if refusal:
        raise ValidationError(refusal)
    notice.status = CPStatus.AWAITING_APPROVAL
    notice.submitted_at = timezone.now()
    notice.save(update_fields=["status", "submitted_at"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=notice,
        summary=f"{notice.reference} sent for supervisor approval",
        detail={"status": notice.status},
    )
    for supervisor in User.objects.filter(supervised_teams=notice.case.team_id, is_active=True).exclude(pk=actor.pk):
        notification_send(
            user=supervisor,
            subject=f"{notice.reference} on case {notice.case.reference} is waiting for your approval",
            url=notice.get_absolute_url(),
            kind="community_protection",
        )
    return notice


@transaction.atomic
def cp_decide(
    *, actor: User, notice: CommunityProtection, approve: bool, note: str = "", request=None
) -> CommunityProtection:
    """A supervisor of the case's team approves it for issue, or returns it to a draft saying why."""
    if not supervises_case(actor, notice.case):
        raise PermissionDenied("Only a supervisor of the case's team can approve a warning or notice.")
    notice = _lock(notice)
    _require_status(notice, CPStatus.AWAITING_APPROVAL, doing="approved")
    if notice.created_by_id == actor.pk:
        raise ValidationError({"decision": "You drafted this: another supervisor of the team must approve it"})
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": "Say what needs to change before it can be approved"})
    notice.status = CPStatus.APPROVED if approve else CPStatus.DRAFT
    notice.decided_by = actor
    notice.decided_at = timezone.now()
    notice.decision_note = note
    notice.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=notice,
        summary=f"{notice.reference} {'approved' if approve else 'returned to the officer'}",
        detail={"status": notice.status, "approved": approve},
    )
    notification_send(
        user=notice.created_by,
        subject=f"{notice.reference} {'approved for issue' if approve else 'returned: changes needed'}",
        url=notice.get_absolute_url(),
        kind="community_protection",
    )
    return notice


@transaction.atomic
def cp_issue(*, actor: User, notice: CommunityProtection, issued_on: date, request=None) -> CommunityProtection:
    require_editor(actor)
    notice = _lock(notice)
    _require_status(notice, CPStatus.APPROVED, doing="issued (it needs a supervisor's approval first)")
    if issued_on > timezone.localdate():
        raise ValidationError({"issued_on": "The date of issue must be today or in the past"})
    refusal = age_refusal(notice.case.person, issued_on)
    if refusal:
        raise ValidationError({"issued_on": refusal})
    if notice.warning_id and notice.warning and notice.warning.served_on and issued_on < notice.warning.served_on:
        raise ValidationError({"issued_on": "A notice cannot be issued before the warning it follows was served"})
    notice.status = CPStatus.ISSUED
    notice.issued_on = issued_on
    notice.issued_by = actor
    notice.save(update_fields=["status", "issued_on", "issued_by"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=notice,
        summary=f"{notice.reference} issued",
        detail={"status": notice.status, "issued_on": issued_on.isoformat()},
    )
    return notice


@transaction.atomic
def cp_serve(
    *, actor: User, notice: CommunityProtection, served_on: date, served_how: str, request=None
) -> CommunityProtection:
    require_editor(actor)
    notice = _lock(notice)
    _require_status(notice, CPStatus.ISSUED, doing="served (it must be issued first)")
    if served_on > timezone.localdate():
        raise ValidationError({"served_on": "The date of service must be today or in the past"})
    if notice.issued_on and served_on < notice.issued_on:
        raise ValidationError(
            {"served_on": f"The date of service cannot be before it was issued ({notice.issued_on:%-d %B %Y})"}
        )
    notice.status = CPStatus.SERVED
    notice.served_on = served_on
    notice.served_how = served_how
    notice.served_by = actor
    notice.save(update_fields=["status", "served_on", "served_how", "served_by"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=notice,
        summary=f"{notice.reference} served",
        detail={"status": notice.status, "served_on": served_on.isoformat(), "served_how": served_how},
    )
    return notice


NOTICE_ONLY_ACTIONS = {BreachAction.FIXED_PENALTY, BreachAction.PROSECUTION}


@transaction.atomic
def cp_breach_record(*, actor: User, notice: CommunityProtection, data: dict, request=None) -> CPBreach:
    """A breach of a served warning or notice. One dated before service is refused: the
    person was not bound by it yet."""
    require_editor(actor)
    notice = _lock(notice)
    occurred_at = data["occurred_at"]
    action = data["action"]
    errors: dict[str, str] = {}
    if notice.status != CPStatus.SERVED or notice.served_on is None:
        raise ValidationError(
            {"occurred_at": f"{notice.reference} has not been served: a breach can only be recorded after service"}
        )
    if timezone.localtime(occurred_at).date() < notice.served_on:
        errors["occurred_at"] = (
            f"The breach is dated before {notice.reference} was served on {notice.served_on:%-d %B %Y}: "
            "it did not apply yet"
        )
    elif occurred_at > timezone.now():
        errors["occurred_at"] = "When it happened must be now or in the past"
    if action in NOTICE_ONLY_ACTIONS and not notice.is_notice:
        errors["action"] = "A warning cannot lead to a fixed penalty or prosecution: escalate to a notice first"
    if action == BreachAction.ESCALATED and notice.is_notice:
        errors["action"] = "A notice cannot be escalated to a notice: choose another action"
    if errors:
        raise ValidationError(errors)
    breach = CPBreach.objects.create(
        notice=notice,
        occurred_at=occurred_at,
        location=data["location"].strip(),
        reported_by=data["reported_by"].strip(),
        action=action,
        action_detail=(data.get("action_detail") or "").strip(),
        fixed_penalty_amount=settings.CPN_FIXED_PENALTY_AMOUNT if action == BreachAction.FIXED_PENALTY else None,
        recorded_by=actor,
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=breach,
        summary=f"Breach of {notice.reference} recorded",
        detail={"notice": notice.pk, "action": action},
    )
    return breach
