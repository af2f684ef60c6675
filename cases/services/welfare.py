"""Writes of placements, reclassifications and digital reviews: keyword-only, atomic,
audited in the same transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.notifications.services import notification_send

from ..models import (
    ApprovalStatus,
    Associate,
    Case,
    CaseClassification,
    DigitalFinding,
    DigitalReview,
    Placement,
    PlacementType,
    Reclassification,
)
from ..selectors import digital_review_scope_allows, teams_of
from ._common import Action, validate

# ---------------------------------------------------------------------------
# Placements
# ---------------------------------------------------------------------------


def _overlapping(case: Case, from_date, to_date) -> Placement | None:
    """Another placement of the same young person (on any of their cases) overlapping
    [from_date, to_date) — a placement with no end runs on."""
    overlap = Q(to_date__isnull=True) | Q(to_date__gt=from_date)
    if to_date is not None:
        overlap &= Q(from_date__lt=to_date)
    return (
        Placement.objects.select_for_update()
        .filter(overlap, case__person_id=case.person_id)
        .order_by("from_date")
        .first()
    )


@transaction.atomic
def placement_create(*, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None) -> Placement:
    require_editor(actor)
    data = dict(data)
    if data.get("placement_type") != PlacementType.SECURE:
        data["secure_order_on"], data["secure_order_court"] = None, ""
    else:
        errors = {}
        if not data.get("secure_order_on"):
            errors["secure_order_on"] = "Enter the date of the secure accommodation order"
        if not (data.get("secure_order_court") or "").strip():
            errors["secure_order_court"] = "Enter the court that made the secure accommodation order"
        if errors:
            raise ValidationError(errors)
    if data.get("placement_type") != PlacementType.OTHER:
        data["type_other"] = ""
    elif not (data.get("type_other") or "").strip():
        raise ValidationError({"type_other": "Describe the type of placement"})
    from_date, to_date = data.get("from_date"), data.get("to_date")
    if from_date is None:
        raise ValidationError({"from_date": "Enter the date the placement started"})
    if from_date and to_date and to_date <= from_date:
        raise ValidationError({"to_date": "The end of the placement must be after its start"})
    # Serialise placements of one young person: two officers adding at once cannot both pass.
    Case.objects.select_for_update().filter(person_id=case.person_id).exists()
    clash = _overlapping(case, from_date, to_date)
    if clash is not None:
        until = f" to {clash.to_date:%d/%m/%Y}" if clash.to_date else " with no end date"
        raise ValidationError(
            {
                "from_date": f"This overlaps another placement ({clash.get_placement_type_display().lower()} "
                f"from {clash.from_date:%d/%m/%Y}{until}): end that placement first or change these dates"
            }
        )
    placement = Placement(case=case, created_by=actor, **data)
    validate(placement, exclude=["case", "created_by"])
    placement.save()
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=placement,
        summary=f"Placement added on case {case.reference}",
        detail={"case": case.pk},
    )
    return placement


@transaction.atomic
def placement_end(
    *, actor: User, placement: Placement, to_date: date | None, request: HttpRequest | None = None
) -> Placement:
    """The young person left: the placement ends on ``to_date`` (the day they left)."""
    require_editor(actor)
    current = Placement.objects.select_for_update().select_related("case").get(pk=placement.pk)
    if current.to_date is not None:
        raise ValidationError({"to_date": "This placement has already ended"})
    if to_date is None:
        raise ValidationError({"to_date": "Enter the day they left"})
    if to_date <= current.from_date:
        raise ValidationError({"to_date": "The end of the placement must be after its start"})
    if to_date > timezone.localdate():
        raise ValidationError({"to_date": "The end of the placement must be today or in the past"})
    current.to_date = to_date
    current.save(update_fields=["to_date"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Placement ended on case {current.case.reference}",
        detail={"case": current.case_id, "to_date": to_date.isoformat()},
    )
    return current


# ---------------------------------------------------------------------------
# Reclassification
# ---------------------------------------------------------------------------


def current_classification(case: Case) -> Reclassification | None:
    """The latest approved reclassification: the only ones in effect."""
    return (
        case.reclassifications.filter(status=ApprovalStatus.APPROVED)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
        .first()
    )


@transaction.atomic
def reclassification_request(
    *,
    actor: User,
    case: Case,
    to_classification: str,
    reason: str,
    suspects: list[Associate],
    s45_defence_noted: bool,
    s45_notes: str = "",
    request: HttpRequest | None = None,
) -> Reclassification:
    """Asked by an officer; not in effect until a supervisor of the case's team approves it."""
    require_editor(actor)
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.reclassifications.filter(status=ApprovalStatus.PENDING).exists():
        raise ValidationError({"to_classification": "A reclassification of this case is already waiting for approval"})
    in_effect = current_classification(current)
    from_classification = in_effect.to_classification if in_effect else ""
    if to_classification not in CaseClassification.values:
        raise ValidationError({"to_classification": "Choose the new classification"})
    if to_classification == from_classification:
        raise ValidationError({"to_classification": "The case already has this classification"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the classification changes"})
    if any(s.case_id != current.pk for s in suspects):
        raise ValidationError({"suspects": "Choose suspects from this case's associates"})
    change = Reclassification.objects.create(
        case=current,
        from_classification=from_classification,
        to_classification=to_classification,
        reason=reason.strip(),
        s45_defence_noted=s45_defence_noted,
        s45_notes=s45_notes.strip(),
        requested_by=actor,
    )
    change.suspects.set(suspects)
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=change,
        summary=f"Reclassification of case {current.reference} asked for",
        detail={"case": current.pk, "to": to_classification, "suspects": [s.pk for s in suspects]},
    )
    for supervisor in current.team.supervisors.filter(is_active=True):
        notification_send(
            user=supervisor,
            subject=f"Case {current.reference}: a reclassification waits for your approval",
            url=current.get_absolute_url(),
            kind="case_reclassification_approval",
        )
    return change


@transaction.atomic
def reclassification_decide(
    *, actor: User, change: Reclassification, approve: bool, note: str = "", request: HttpRequest | None = None
) -> Reclassification:
    """A supervisor of the case's team approves (it takes effect now) or refuses (with a note)."""
    current = Reclassification.objects.select_for_update().select_related("case").get(pk=change.pk)
    if actor.role != User.Role.SUPERVISOR or not teams_of(actor).filter(pk=current.case.team_id).exists():
        raise PermissionDenied("Only a supervisor of the case's team decides on a reclassification.")
    if current.status != ApprovalStatus.PENDING:
        raise ValidationError({"decision": f"This reclassification is already {current.get_status_display().lower()}"})
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why the reclassification is not approved"})
    current.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    current.decided_at = timezone.now()
    current.decided_by = actor
    current.decision_note = note.strip()
    current.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Reclassification of case {current.case.reference} {current.get_status_display().lower()}",
        detail={"case": current.case_id, "decision": current.status},
    )
    if current.requested_by_id != actor.pk:
        notification_send(
            user=current.requested_by,
            subject=f"Case {current.case.reference}: reclassification {current.get_status_display().lower()}",
            url=current.case.get_absolute_url(),
            kind="case_reclassification_decision",
        )
    return current


# ---------------------------------------------------------------------------
# Digital review (restricted)
# ---------------------------------------------------------------------------


@transaction.atomic
def digital_review_create(
    *,
    actor: User,
    case: Case,
    device: str,
    reviewed_by_name: str,
    reviewed_on,
    findings: dict[str, str],
    request: HttpRequest | None = None,
) -> DigitalReview:
    """``findings``: category → what was found (empty categories are left out; one at least)."""
    require_editor(actor)
    if not digital_review_scope_allows(actor, case):
        raise PermissionDenied("Digital reviews are for the case's own team.")
    findings = {c: t.strip() for c, t in findings.items() if (t or "").strip()}
    if not findings:
        raise ValidationError({"exploiter_contact": "Enter what the review found in at least one category"})
    if reviewed_on and reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The date of the review must be today or in the past"})
    review = DigitalReview(
        case=case,
        device=device.strip(),
        reviewed_by_name=reviewed_by_name.strip(),
        reviewed_on=reviewed_on,
        created_by=actor,
    )
    validate(review, exclude=["case", "created_by"])
    review.save()
    DigitalFinding.objects.bulk_create(
        [DigitalFinding(review=review, category=c, detail=t) for c, t in findings.items()]
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=review,
        summary=f"Digital review added on case {case.reference} (restricted)",
        detail={"case": case.pk, "categories": sorted(findings)},
    )
    return review
