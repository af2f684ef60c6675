"""Referrals to partner agencies: made and sent by an officer, answered by the agency.

Every write is atomic with its audit row. Sending is the disclosure (DPA 2018 s62):
its audit row names the recipient agency and the sections shared.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cases.signals import fulfil_checklist_item
from safeguarding.accounts.models import Agency, User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.core.working_days import add_working_days

from ..models import (
    RESTRICTED_SECTIONS,
    TRANSITIONS,
    MessageKind,
    Referral,
    ReferralMessage,
    ReferralStatus,
    ReferralType,
)
from .common import Action, ReferralError, email_agency_inbox, notify_officers, notify_partners

MASH_ITEM_CODE = "mash_referral"


def share_expiry(day) -> datetime:
    """A share "until 3 March" lasts to the end of that day, local time."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def default_share_expiry_date():
    return timezone.localdate() + timedelta(days=settings.REFERRAL_SHARE_DAYS)


def _check_share(data: dict, *, agency: Agency | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if agency is not None and not agency.referral_inbox_email:
        errors["agency"] = (
            f"{agency.name} has no referral inbox email: choose another agency, or ask an administrator to add it"
        )
    sections = data.get("sections") or []
    if not sections:
        errors["sections"] = "Choose at least one section to share"
    restricted = RESTRICTED_SECTIONS & set(sections)
    justification = (data.get("restricted_justification") or "").strip()
    if restricted and len(justification) < settings.REFERRAL_RESTRICTED_MIN_JUSTIFICATION:
        errors["restricted_justification"] = (
            "Explain why intelligence must be shared with this agency "
            f"(at least {settings.REFERRAL_RESTRICTED_MIN_JUSTIFICATION} characters)"
        )
    expires = data.get("share_expires_on")
    if expires is None:
        errors["share_expires_on"] = "Enter the date the share ends"
    elif expires < timezone.localdate():
        errors["share_expires_on"] = "The date the share ends must be today or in the future"
    start, end = data.get("chronology_from"), data.get("chronology_to")
    if start and end and start > end:
        errors["chronology_to"] = "The end of the chronology extract must be on or after its start"
    return errors


@transaction.atomic
def referral_create(*, actor: User, case: Case, data: dict, send: bool = False, request=None) -> Referral:
    """A draft referral from the case (sent at once when ``send``). Nothing is saved on bad input."""
    require_editor(actor)
    agency = data.get("agency")
    errors = _check_share(data, agency=agency)
    if errors:
        raise ValidationError(errors)
    agency = cast(Agency, agency)  # _check_share refuses a referral with no agency
    sections = list(data["sections"])
    referral = Referral.objects.create(
        case=case,
        agency=agency,
        referral_type=data["referral_type"],
        urgency=data["urgency"],
        reason=data["reason"].strip(),
        ask=data["ask"].strip(),
        sections=sections,
        chronology_from=data.get("chronology_from"),
        chronology_to=data.get("chronology_to"),
        chronology_types=list(data.get("chronology_types") or []),
        restricted_justification=(data.get("restricted_justification") or "").strip()
        if RESTRICTED_SECTIONS & set(sections)
        else "",
        share_expires_at=share_expiry(data["share_expires_on"]),
        created_by=actor,
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=referral,
        summary=f"Referral {referral.reference} drafted on {case.reference} to {agency.name}",
        detail={"case": case.pk, "agency": agency.pk, "sections": sections},
    )
    if send:
        referral = referral_send(actor=actor, referral=referral, request=request)
    return referral


def _lock(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "agency", "created_by", "case__owner")
        .get(pk=referral.pk)
    )


def _move(referral: Referral, to: str) -> None:
    if to not in TRANSITIONS[referral.status]:
        raise ReferralError(
            f"A referral that is {referral.get_status_display().lower()} cannot be {ReferralStatus(to).label.lower()}."
        )
    referral.status = to


@transaction.atomic
def referral_send(*, actor: User, referral: Referral, request=None) -> Referral:
    require_editor(actor)
    locked = _lock(referral)
    errors = _check_share(
        {
            "sections": locked.sections,
            "restricted_justification": locked.restricted_justification,
            "share_expires_on": timezone.localtime(locked.share_expires_at - timedelta(seconds=1)).date(),
        },
        agency=locked.agency,
    )
    if errors:
        raise ValidationError(errors)
    _move(locked, ReferralStatus.SENT)
    now = timezone.now()
    locked.sent_at = now
    target = (
        settings.REFERRAL_CHILDRENS_TARGET_WORKING_DAYS
        if locked.referral_type == ReferralType.CHILDRENS_SERVICES
        else locked.agency.response_target_working_days
    )
    locked.response_target_working_days = target
    locked.response_due_on = add_working_days(timezone.localtime(now).date(), target) if target is not None else None
    locked.save(update_fields=["status", "sent_at", "response_target_working_days", "response_due_on"])
    audit_record(
        action=Action.DISCLOSE,
        actor=actor,
        request=request,
        obj=locked,
        summary=f"Referral {locked.reference} on {locked.case.reference} sent to {locked.agency.name}",
        recipient=locked.agency.name,
        justification=locked.restricted_justification,
        detail={
            "case": locked.case_id,
            "agency": locked.agency_id,
            "sections": locked.sections,
            "chronology_from": locked.chronology_from.isoformat() if locked.chronology_from else None,
            "chronology_to": locked.chronology_to.isoformat() if locked.chronology_to else None,
            "share_expires_at": locked.share_expires_at.isoformat(),
        },
    )
    if locked.referral_type == ReferralType.CHILDRENS_SERVICES:
        fulfil_checklist_item(
            actor=actor,
            case=locked.case,
            code=MASH_ITEM_CODE,
            note=f"Referral {locked.reference} sent to {locked.agency.name} ({locked.get_absolute_url()}).",
            at=now,
        )
    notify_partners(locked, f"New referral {locked.reference} from {settings.FORCE_NAME}")
    email_agency_inbox(locked, event="sent")
    return locked


@transaction.atomic
def referral_revoke(*, actor: User, referral: Referral, request=None) -> Referral:
    require_editor(actor)
    locked = _lock(referral)
    if locked.share_revoked_at is not None:
        raise ReferralError("This share was already revoked.")
    locked.share_revoked_at = timezone.now()
    locked.share_revoked_by = actor
    locked.save(update_fields=["share_revoked_at", "share_revoked_by"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=locked,
        summary=f"Share of referral {locked.reference} with {locked.agency.name} revoked",
        recipient=locked.agency.name,
        detail={"revoked": True},
    )
    return locked


@transaction.atomic
def referral_close(*, actor: User, referral: Referral, request=None) -> Referral:
    require_editor(actor)
    locked = _lock(referral)
    _move(locked, ReferralStatus.CLOSED)
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    audit_record(
        action=Action.UPDATE, actor=actor, request=request, obj=locked, summary=f"Referral {locked.reference} closed"
    )
    return locked


def _partner_guard(actor: User, referral: Referral) -> None:
    if actor.role != User.Role.PARTNER or actor.agency_id != referral.agency_id or not referral.share_is_live:
        raise PermissionDenied("This referral is not shared with your agency.")


_PARTNER_MOVES = {
    "acknowledge": (ReferralStatus.ACKNOWLEDGED, "acknowledged"),
    "accept": (ReferralStatus.ACCEPTED, "accepted"),
    "decline": (ReferralStatus.DECLINED, "declined"),
}


@transaction.atomic
def referral_partner_decide(
    *, actor: User, referral: Referral, action: str, reason: str = "", request=None
) -> Referral:
    """A partner acknowledges, accepts or declines (with a reason)."""
    locked = _lock(referral)
    _partner_guard(actor, locked)
    to, verb = _PARTNER_MOVES[action]
    reason = (reason or "").strip()
    if to == ReferralStatus.DECLINED and not reason:
        raise ValidationError({"reason": "Give the reason you are declining the referral"})
    _move(locked, to)
    now = timezone.now()
    fields = ["status"]
    if to == ReferralStatus.ACKNOWLEDGED:
        locked.acknowledged_at = now
        fields.append("acknowledged_at")
    else:
        locked.decided_at = now
        locked.decline_reason = reason if to == ReferralStatus.DECLINED else ""
        fields += ["decided_at", "decline_reason"]
    locked.save(update_fields=fields)
    text = f"{actor.agency.name} {verb} the referral." + (f" Reason: {reason}" if reason else "")
    ReferralMessage.objects.create(referral=locked, kind=MessageKind.STATUS, text=text, author=actor, created_at=now)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=locked,
        summary=f"Referral {locked.reference} {verb} by {actor.agency.name}",
        detail={"status": to},
    )
    notify_officers(locked, f"Referral {locked.reference} {verb} by {locked.agency.name}")
    return locked


@transaction.atomic
def referral_message_add(*, actor: User, referral: Referral, kind: str, text: str, request=None) -> ReferralMessage:
    """A partner's question or update, or an officer's answer, in the referral's thread."""
    text = (text or "").strip()
    locked = _lock(referral)
    if kind == MessageKind.ANSWER:
        require_editor(actor)
        if locked.status == ReferralStatus.DRAFT:
            raise ReferralError("Send the referral before writing to the agency.")
    elif kind in (MessageKind.QUESTION, MessageKind.UPDATE):
        _partner_guard(actor, locked)
    else:
        raise ReferralError("Choose a question, an update or an answer.")
    if not text:
        raise ValidationError({"text": "Write your message"})
    message = ReferralMessage.objects.create(referral=locked, kind=kind, text=text, author=actor)
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=message,
        summary=f"{message.get_kind_display()} on referral {locked.reference}",
        recipient=locked.agency.name if kind == MessageKind.ANSWER else "",
        detail={"referral": locked.pk, "kind": kind},
    )
    if kind == MessageKind.ANSWER:
        notify_partners(locked, f"Answer on referral {locked.reference} from {settings.FORCE_NAME}")
        email_agency_inbox(locked, event="answer")
    else:
        notify_officers(
            locked, f"{message.get_kind_display()} on referral {locked.reference} from {locked.agency.name}"
        )
    return message
