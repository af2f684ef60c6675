"""Writes of cross-border handovers. Sharing the risk summary is a disclosure (DPA 2018
s62): its audit row names the recipient."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor

from ..models import Handover, RiskDisclosure

Action = AuditEvent.Action
HANDOVER_FIELDS = (
    "home_police_force",
    "force_contact_name",
    "force_contact_role",
    "force_contact_phone",
    "force_contact_email",
    "home_local_authority",
    "la_contact_name",
    "la_contact_role",
    "la_contact_phone",
    "la_contact_email",
    "risk_summary",
    "handover_at",
    "meeting_point",
    "handed_over_by",
    "received_by",
)


@transaction.atomic
def handover_create(*, actor: User, case: Case, data: dict, request=None) -> Handover:
    require_editor(actor)
    values = {f: (data[f].strip() if isinstance(data.get(f), str) else data.get(f)) for f in HANDOVER_FIELDS}
    handover = Handover.objects.create(case=case, created_by=actor, **values)
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=handover,
        summary=f"{handover.reference}: handover of {case.reference} to {handover.home_local_authority} planned",
        detail={"case": case.pk},
    )
    return handover


def _lock(handover: Handover) -> Handover:
    return Handover.objects.select_for_update(of=("self",)).select_related("case").get(pk=handover.pk)


@transaction.atomic
def handover_disclose(*, actor: User, handover: Handover, who: str, method: str, request=None) -> RiskDisclosure:
    """The risk summary shared with the home force's or local authority's named contact."""
    require_editor(actor)
    handover = _lock(handover)
    if who not in ("force", "la"):
        raise ValidationError({"who": "Choose who the risk summary was shared with"})
    recipient = handover.recipient(who)
    disclosure = RiskDisclosure.objects.create(
        handover=handover, recipient=recipient[:255], method=method.strip(), disclosed_by=actor
    )
    audit_record(
        action=Action.DISCLOSE,
        actor=actor,
        request=request,
        obj=handover.case,
        summary=f"{handover.reference}: risk summary shared with {recipient}",
        recipient=recipient,
        detail={"handover": handover.pk, "to": who, "method": disclosure.method},
    )
    return disclosure


@transaction.atomic
def handover_outcome_record(*, actor: User, handover: Handover, outcome: str, notes: str, request=None) -> Handover:
    require_editor(actor)
    handover = _lock(handover)
    if handover.handover_at > timezone.now():
        raise ValidationError({"outcome": "The handover has not happened yet: record its outcome afterwards"})
    handover.outcome = outcome
    handover.outcome_notes = notes.strip()
    handover.outcome_recorded_at = timezone.now()
    handover.save(update_fields=["outcome", "outcome_notes", "outcome_recorded_at"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=handover,
        summary=f"{handover.reference}: outcome recorded",
        detail={"outcome": outcome},
    )
    return handover


@transaction.atomic
def handover_acceptance_record(*, actor: User, handover: Handover, data: dict, request=None) -> Handover:
    """The home authority accepted responsibility in writing."""
    require_editor(actor)
    handover = _lock(handover)
    accepted_on = data["accepted_on"]
    if accepted_on > timezone.localdate():
        raise ValidationError({"accepted_on": "The date accepted must be today or in the past"})
    handover.accepted_on = accepted_on
    handover.accepted_by = data["accepted_by"].strip()
    handover.acceptance_reference = data["acceptance_reference"].strip()
    handover.save(update_fields=["accepted_on", "accepted_by", "acceptance_reference"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=handover,
        summary=f"{handover.reference}: {handover.home_local_authority} accepted responsibility in writing",
        detail={"accepted_on": accepted_on.isoformat()},
    )
    return handover
