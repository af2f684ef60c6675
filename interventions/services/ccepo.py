"""Writes of CCE Prevention Orders: the application against an adult associate, its
evidence and conditions, the order the court made, variations and breaches. Each is
atomic with its audit row; a rule across fields is a ValidationError naming the field."""

from __future__ import annotations

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Associate, Case
from cases.models.people import age_on
from cases.selectors import case_in_own_scope, cases_visible_to
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor

from ..models import (
    CCEPOApplication,
    CCEPOBreach,
    CCEPOCondition,
    CCEPOEvidence,
    CCEPOStatus,
    CCEPOVariation,
    OrderType,
)

Action = AuditEvent.Action
ACT = "the Crime and Policing Act 2026"
CASE_REFERENCE = re.compile(r"^SG0*(\d+)$", re.IGNORECASE)


def respondent_refusal(associate: Associate, on: date) -> str | None:
    minimum = settings.CCEPO_MINIMUM_AGE
    if associate.date_of_birth is None:
        return (
            f"Record {associate.name}'s date of birth on the case first: an order can only be made against "
            f"someone aged {minimum} or over ({ACT})"
        )
    age = age_on(associate.date_of_birth, on)
    if age < minimum:
        return (
            f"{associate.name} is {age} on {on:%-d %B %Y}: a CCE Prevention Order can only be made against "
            f"an adult aged {minimum} or over ({ACT}); consider a youth injunction instead"
        )
    return None


def victim_cases(actor: User, case: Case, text: str) -> list[Case]:
    """The case, and the other cases named by reference, each in the officer's own scope."""
    wanted: list[int] = []
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        match = CASE_REFERENCE.match(token)
        if not match:
            raise ValidationError({"victim_references": f"“{token[:20]}” is not a case reference like SG000123"})
        wanted.append(int(match.group(1)))
    found = {c.pk: c for c in cases_visible_to(actor).filter(pk__in=wanted)}
    for pk in wanted:
        other = found.get(pk)
        if other is None or not case_in_own_scope(actor, other):
            raise ValidationError({"victim_references": f"SG{pk:06d} is not one of your cases"})
    return [case, *(found[pk] for pk in dict.fromkeys(wanted) if pk != case.pk)]


def _audit(actor, request, application: CCEPOApplication, summary: str, detail: dict | None = None) -> None:
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=application,
        summary=f"{application.reference}: {summary}",
        detail=detail,
    )


def _lock(application: CCEPOApplication) -> CCEPOApplication:
    return (
        CCEPOApplication.objects.select_for_update(of=("self",))
        .select_related("case", "respondent")
        .get(pk=application.pk)
    )


def _not_future(value: date, field: str, label: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: f"{label} must be today or in the past"})


@transaction.atomic
def ccepo_create(*, actor: User, case: Case, data: dict, request=None) -> CCEPOApplication:
    require_editor(actor)
    respondent: Associate = data["respondent"]
    applied_on: date = data["applied_on"]
    errors: dict[str, str] = {}
    if respondent.case_id != case.pk:
        errors["respondent"] = "Choose an associate recorded on this case"
    else:
        refusal = respondent_refusal(respondent, applied_on)
        if refusal:
            errors["respondent"] = refusal
    if errors:
        raise ValidationError(errors)
    victims = victim_cases(actor, case, data.get("victim_references") or "")
    application = CCEPOApplication.objects.create(
        case=case,
        respondent=respondent,
        route=data["route"],
        applied_on=applied_on,
        risk_assessment=data["risk_assessment"].strip(),
        created_by=actor,
    )
    application.victims.set(victims)
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=application,
        summary=f"{application.reference} prepared on {case.reference} against an associate",
        detail={"case": case.pk, "respondent": respondent.pk, "victims": [v.pk for v in victims]},
    )
    return application


@transaction.atomic
def ccepo_evidence_add(*, actor: User, application: CCEPOApplication, data: dict, request=None) -> CCEPOEvidence:
    require_editor(actor)
    application = _lock(application)
    _not_future(data["dated_on"], "dated_on", "The date of the evidence")
    item = CCEPOEvidence.objects.create(
        application=application,
        description=data["description"].strip(),
        source=data["source"].strip(),
        dated_on=data["dated_on"],
        recorded_by=actor,
    )
    _audit(actor, request, application, "evidence added", {"evidence_added": item.pk})
    return item


@transaction.atomic
def ccepo_condition_add(*, actor: User, application: CCEPOApplication, data: dict, request=None) -> CCEPOCondition:
    require_editor(actor)
    application = _lock(application)
    if application.status != CCEPOStatus.APPLICATION:
        raise ValidationError({"text": "The court has decided: record a change to the conditions as a variation"})
    last = application.conditions.order_by("-position").first()
    condition = CCEPOCondition.objects.create(
        application=application,
        text=data["text"].strip(),
        necessity=data["necessity"].strip(),
        position=(last.position + 1) if last else 1,
    )
    _audit(actor, request, application, "condition proposed", {"condition_added": condition.pk})
    return condition


def _duration_errors(data: dict) -> dict[str, str]:
    if data["order_type"] != OrderType.FULL or data.get("until_further_order"):
        return {}
    months = data.get("duration_months")
    low, high = settings.CCEPO_FULL_MIN_MONTHS, settings.CCEPO_FULL_MAX_MONTHS
    if not months:
        return {"duration_months": "Enter how many months the order lasts, or choose until further order"}
    if low is not None and months < low:
        return {"duration_months": f"A full order lasts at least {low} months"}
    if high is not None and months > high:
        return {"duration_months": f"A full order lasts at most {high} months"}
    return {}


@transaction.atomic
def ccepo_order_record(*, actor: User, application: CCEPOApplication, data: dict, request=None) -> CCEPOApplication:
    """The court's order (interim, then full, or full at once) with its service."""
    require_editor(actor)
    application = _lock(application)
    made_on: date = data["made_on"]
    served_on: date | None = data.get("served_on")
    errors = _duration_errors(data)
    if made_on < application.applied_on:
        errors["made_on"] = f"The order cannot be made before the application ({application.applied_on:%-d %B %Y})"
    elif made_on > timezone.localdate():
        errors["made_on"] = "The date made must be today or in the past"
    if served_on is not None and served_on < made_on:
        errors["served_on"] = "The order cannot be served before it was made"
    if not application.conditions.exists():
        errors["court"] = "Add the conditions before recording the order"
    if application.status == CCEPOStatus.FULL:
        errors["order_type"] = "A full order is already recorded: record a change as a variation"
    if errors:
        raise ValidationError(errors)
    full = data["order_type"] == OrderType.FULL
    application.status = CCEPOStatus.FULL if full else CCEPOStatus.INTERIM
    application.court = data["court"].strip()
    application.made_on = made_on
    application.order_type = data["order_type"]
    application.until_further_order = bool(data.get("until_further_order"))
    application.duration_months = None if application.until_further_order else data.get("duration_months")
    application.served_on = served_on
    application.served_how = (data.get("served_how") or "").strip()
    application.save()
    _audit(
        actor,
        request,
        application,
        f"{application.get_order_type_display().lower()} recorded",
        {"order_type": application.order_type, "made_on": made_on.isoformat()},
    )
    return application


def _require_order(application: CCEPOApplication, field: str) -> None:
    if not application.is_order:
        raise ValidationError({field: "No order has been made yet"})


@transaction.atomic
def ccepo_variation_add(*, actor: User, application: CCEPOApplication, data: dict, request=None) -> CCEPOVariation:
    require_editor(actor)
    application = _lock(application)
    _require_order(application, "varied_on")
    _not_future(data["varied_on"], "varied_on", "The date varied")
    if application.made_on and data["varied_on"] < application.made_on:
        raise ValidationError({"varied_on": "An order cannot be varied before it was made"})
    variation = CCEPOVariation.objects.create(
        application=application,
        varied_on=data["varied_on"],
        court=data["court"].strip(),
        change=data["change"].strip(),
        recorded_by=actor,
    )
    _audit(actor, request, application, "variation recorded", {"variation_added": variation.pk})
    return variation


@transaction.atomic
def ccepo_breach_add(*, actor: User, application: CCEPOApplication, data: dict, request=None) -> CCEPOBreach:
    require_editor(actor)
    application = _lock(application)
    _require_order(application, "occurred_at")
    occurred_at = data["occurred_at"]
    custody_event = data.get("custody_event")
    crime_reference = (data.get("crime_reference") or "").strip()
    errors: dict[str, str] = {}
    bound_from = application.served_on or application.made_on
    if bound_from and timezone.localtime(occurred_at).date() < bound_from:
        errors["occurred_at"] = f"The order did not apply yet: it took effect on {bound_from:%-d %B %Y}"
    elif occurred_at > timezone.now():
        errors["occurred_at"] = "When it happened must be now or in the past"
    if custody_event is None and not crime_reference:
        errors["crime_reference"] = "A breach is an offence: choose its custody event or enter its crime reference"
    if errors:
        raise ValidationError(errors)
    breach = CCEPOBreach.objects.create(
        application=application,
        occurred_at=occurred_at,
        description=data["description"].strip(),
        custody_event=custody_event,
        crime_reference=crime_reference,
        recorded_by=actor,
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=breach,
        summary=f"Breach of {application.reference} recorded",
        detail={"application": application.pk, "custody_event": custody_event.pk if custody_event else None},
    )
    return breach
