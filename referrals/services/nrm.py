"""NRM notifications: the route rules on submission, the decisions and their dates.

The rules the national guidance sets are checked here, each with a message on its field:
a child's referral needs the children's services referral first (and the Independent
Child Trafficking Guardian referral where the area has the service); an adult needs
consent, or goes to the Duty to Notify (MS1); no decision is dated before submission;
a Conclusive Grounds decision cannot fall inside the recovery period.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cases.models.people import age_on
from cases.signals import fulfil_checklist_item
from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor

from ..models import (
    DecisionMaker,
    DecisionStage,
    NRMReconsideration,
    NRMReferral,
    NRMRoute,
    Outcome,
    Referral,
    ReferralStatus,
    ReferralType,
)
from .common import Action

NRM_ITEM_CODE = "nrm_considered"


def childrens_referrals(case: Case):
    """The sent children's services referrals of the case: what a child's NRM stands on."""
    return Referral.objects.filter(case=case, referral_type=ReferralType.CHILDRENS_SERVICES).exclude(
        status=ReferralStatus.DRAFT
    )


def _check_child_route(case: Case, data: dict) -> dict[str, str]:
    """A child's referral stands on the children's services referral (recorded on ``data``)
    and, where the area has the service, the guardian referral."""
    referral = data.get("childrens_referral") or childrens_referrals(case).order_by("-sent_at").first()
    if referral is None:
        return {
            "route": "A child's NRM referral needs the children's services referral first: send it from the case, "
            "then record the NRM"
        }
    data["childrens_referral"] = referral
    if referral.agency.has_icgt_service and not data.get("icgt_referred_on"):
        return {
            "icgt_referred_on": f"{referral.agency.name}'s area has an Independent Child Trafficking Guardian "
            "service: enter the date of the guardian referral"
        }
    return {}


def _check_adult_route(case: Case, route: str, data: dict) -> dict[str, str]:
    """An adult consents, or goes to the Duty to Notify (MS1); under 18 on the date submitted is a child."""
    born, submitted = case.person.date_of_birth, data.get("submitted_on")
    if born is not None and submitted is not None and age_on(born, submitted) < 18:
        return {"route": "This young person was under 18 on the date submitted: choose the child route"}
    if route == NRMRoute.ADULT_CONSENT and not data.get("consent_given"):
        return {"consent_given": "Confirm the adult consented; without consent, choose the Duty to Notify (MS1) route"}
    if route == NRMRoute.ADULT_MS1 and not data.get("ms1_submitted"):
        return {"ms1_submitted": "Confirm the Duty to Notify (MS1) was submitted: without consent it is required"}
    return {}


def _check_panel(route: str | None, data: dict) -> dict[str, str]:
    if data.get("decision_maker") != DecisionMaker.PANEL:
        return {}
    if route != NRMRoute.CHILD:
        return {"decision_maker": "Devolved decision-making panels decide children's cases only"}
    panel = data.get("panel")
    if panel is None or not panel.is_decision_panel:
        return {"panel": "Choose the local authority's decision-making panel"}
    return {}


def _check_submission(case: Case, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    submitted = data.get("submitted_on")
    if submitted and submitted > timezone.localdate():
        errors["submitted_on"] = "The date submitted must be today or in the past"
    route = data.get("route")
    if route == NRMRoute.CHILD:
        errors |= _check_child_route(case, data)
    elif route in (NRMRoute.ADULT_CONSENT, NRMRoute.ADULT_MS1):
        errors |= _check_adult_route(case, route, data)
    errors |= _check_panel(route, data)
    return errors


@transaction.atomic
def nrm_create(*, actor: User, case: Case, data: dict, request=None) -> NRMReferral:
    require_editor(actor)
    data = dict(data)
    errors = _check_submission(case, data)
    if errors:
        raise ValidationError(errors)
    route = data["route"]
    panel = data.get("panel") if data.get("decision_maker") == DecisionMaker.PANEL else None
    nrm = NRMReferral.objects.create(
        case=case,
        first_responder=actor,
        first_responder_organisation=(data.get("first_responder_organisation") or actor.agency.name).strip(),
        submitted_on=data["submitted_on"],
        home_office_reference=(data.get("home_office_reference") or "").strip(),
        route=route,
        consent_given=bool(data.get("consent_given")) and route == NRMRoute.ADULT_CONSENT,
        ms1_submitted=bool(data.get("ms1_submitted")) and route == NRMRoute.ADULT_MS1,
        decision_maker=data.get("decision_maker") or DecisionMaker.SCA,
        panel=panel,
        childrens_referral=data.get("childrens_referral") if route == NRMRoute.CHILD else None,
        icgt_referred_on=data.get("icgt_referred_on") if route == NRMRoute.CHILD else None,
        created_by=actor,
    )
    audit_record(
        action=Action.DISCLOSE,
        actor=actor,
        request=request,
        obj=nrm,
        summary=f"NRM referral {nrm.reference} on {case.reference} ({nrm.get_route_display()})",
        recipient=nrm.decision_maker_name,
        detail={"case": case.pk, "route": route, "submitted_on": nrm.submitted_on.isoformat()},
    )
    fulfil_checklist_item(
        actor=actor,
        case=case,
        code=NRM_ITEM_CODE,
        note=f"NRM referral {nrm.reference} submitted on {nrm.submitted_on:%d/%m/%Y} ({nrm.get_absolute_url()}).",
    )
    return nrm


def _check_decision_date(nrm: NRMReferral, day, field: str) -> str | None:
    if day is None:
        return "Enter the date of the decision"
    if day < nrm.submitted_on:
        return f"The decision cannot be dated before the referral was submitted ({nrm.submitted_on:%d/%m/%Y})"
    if day > timezone.localdate():
        return "The decision date must be today or in the past"
    return None


def _check_cg_stage(nrm: NRMReferral, day: date | None) -> dict[str, str]:
    if nrm.cg_outcome:
        return {"stage": "The Conclusive Grounds decision is already recorded: record a reconsideration instead"}
    if nrm.rg_outcome != Outcome.POSITIVE:
        return {"stage": "A Conclusive Grounds decision follows a positive Reasonable Grounds decision"}
    if day and nrm.recovery_period_ends_on and day < nrm.recovery_period_ends_on:
        return {
            "decided_on": "A Conclusive Grounds decision cannot fall inside the recovery period, which runs to "
            f"{nrm.recovery_period_ends_on:%d/%m/%Y}"
        }
    return {}


def _check_grounds_decision(nrm: NRMReferral, stage: str | None, outcome: str | None, day: date | None) -> dict:
    """A Reasonable or Conclusive Grounds decision: once each, dated, in order."""
    errors: dict[str, str] = {}
    if not outcome:
        errors["outcome"] = "Choose the outcome of the decision"
    message = _check_decision_date(nrm, day, "decided_on")
    if message:
        errors["decided_on"] = message
    if stage == DecisionStage.RG and nrm.rg_outcome:
        errors["stage"] = "The Reasonable Grounds decision is already recorded: record a reconsideration instead"
    if stage == DecisionStage.CG:
        errors |= _check_cg_stage(nrm, day)
    return errors


@transaction.atomic
def nrm_decision_record(*, actor: User, nrm: NRMReferral, data: dict, request=None) -> NRMReferral:
    """Record the Reasonable Grounds or Conclusive Grounds decision (once each; a change
    of mind is a reconsideration), or the public-order disqualification."""
    require_editor(actor)
    locked = NRMReferral.objects.select_for_update(of=("self",)).select_related("case").get(pk=nrm.pk)
    stage, outcome, day = data.get("stage"), data.get("outcome"), data.get("decided_on")
    if stage == "public_order":
        message = _check_decision_date(locked, day, "decided_on")
        if message:
            raise ValidationError({"decided_on": message})
        locked.public_order_disqualified, locked.public_order_on = True, day
        fields = ["public_order_disqualified", "public_order_on"]
    else:
        errors = _check_grounds_decision(locked, stage, outcome, day)
        if errors:
            raise ValidationError(errors)
        outcome, day = cast(str, outcome), cast(date, day)  # both checked above
        if stage == DecisionStage.RG:
            locked.rg_outcome, locked.rg_decided_on = outcome, day
            fields = ["rg_outcome", "rg_decided_on"]
        else:
            locked.cg_outcome, locked.cg_decided_on = outcome, day
            fields = ["cg_outcome", "cg_decided_on"]
    locked.save(update_fields=fields)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=locked,
        summary=f"NRM {locked.reference}: {stage} decision recorded",
        detail={"stage": stage, "outcome": outcome or "", "decided_on": cast(date, day).isoformat()},
    )
    return locked


@transaction.atomic
def nrm_reconsideration_add(*, actor: User, nrm: NRMReferral, data: dict, request=None) -> NRMReconsideration:
    require_editor(actor)
    errors: dict[str, str] = {}
    stage, requested = data.get("stage"), data.get("requested_on")
    decided_outcome = nrm.rg_outcome if stage == DecisionStage.RG else nrm.cg_outcome
    decided_on = nrm.rg_decided_on if stage == DecisionStage.RG else nrm.cg_decided_on
    if not decided_outcome:
        errors["stage"] = "Only a decision already made can be reconsidered"
    if requested is None:
        errors["requested_on"] = "Enter the date the reconsideration was requested"
    elif decided_on and requested < decided_on:
        errors["requested_on"] = f"The request cannot be dated before the decision ({decided_on:%d/%m/%Y})"
    elif requested > timezone.localdate():
        errors["requested_on"] = "The date requested must be today or in the past"
    outcome, outcome_on = data.get("outcome") or "", data.get("decided_on")
    if outcome and outcome_on is None:
        errors["decided_on"] = "Enter the date of the reconsidered decision"
    elif outcome_on and requested and outcome_on < requested:
        errors["decided_on"] = "The reconsidered decision cannot be dated before the request"
    if not (data.get("reason") or "").strip():
        errors["reason"] = "Give the grounds for the reconsideration"
    if errors:
        raise ValidationError(errors)
    stage, requested = cast(str, stage), cast(date, requested)  # both checked above
    reconsideration = NRMReconsideration.objects.create(
        nrm=nrm,
        stage=stage,
        requested_on=requested,
        reason=data["reason"].strip(),
        outcome=outcome,
        decided_on=outcome_on if outcome else None,
        created_by=actor,
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=reconsideration,
        summary=f"NRM {nrm.reference}: reconsideration of the {reconsideration.get_stage_display()} decision",
        detail={"nrm": nrm.pk, "outcome": outcome},
    )
    return reconsideration


@transaction.atomic
def nrm_reconsideration_decide(
    *, actor: User, reconsideration: NRMReconsideration, data: dict, request=None
) -> NRMReconsideration:
    """The outcome of a reconsideration that was awaited when it was recorded."""
    require_editor(actor)
    locked = NRMReconsideration.objects.select_for_update().get(pk=reconsideration.pk)
    errors: dict[str, str] = {}
    if locked.outcome:
        errors["outcome"] = "This reconsideration's outcome is already recorded"
    elif not data.get("outcome"):
        errors["outcome"] = "Choose the outcome of the reconsideration"
    day = data.get("decided_on")
    if day is None:
        errors["decided_on"] = "Enter the date of the reconsidered decision"
    elif day < locked.requested_on:
        errors["decided_on"] = "The reconsidered decision cannot be dated before the request"
    elif day > timezone.localdate():
        errors["decided_on"] = "The decision date must be today or in the past"
    if errors:
        raise ValidationError(errors)
    locked.outcome, locked.decided_on = data["outcome"], day
    locked.save(update_fields=["outcome", "decided_on"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=locked,
        summary=f"NRM {locked.nrm.reference}: reconsideration decided",
        detail={"nrm": locked.nrm_id, "outcome": locked.outcome},
    )
    return locked
