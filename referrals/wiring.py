"""Referrals plugged into the rest of the product, from ReferralsConfig.ready(): chronology
entries, the case and person page sections, home panels, navigation and the NRM sweep.
cases never imports referrals: it reads these through its registries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import cast

from django.db.models import QuerySet
from django.utils import timezone

from cases import chronology
from cases.models import Case, YoungPerson
from cases.selectors import can_edit
from safeguarding.accounts.models import User
from safeguarding.core.access import AuthenticatedRequest
from safeguarding.core.working_days import working_day_clock

from .models import RG_TARGET_WORKING_DAYS, NRMReferral, Referral, ReferralMessage, ReferralStatus
from .selectors import awaiting_answer_for_officer, partner_home_list


def _at_noon(day: date | None) -> datetime:
    """A decision's day as a time on the chronology (only called when the day is recorded)."""
    return timezone.make_aware(datetime.combine(cast(date, day), time(12)))


def chronology_referrals(person: YoungPerson, visible_cases: QuerySet[Case], user: User) -> Iterable:
    referrals = Referral.objects.filter(case__in=visible_cases).exclude(status=ReferralStatus.DRAFT)
    for referral in referrals.select_related("case", "agency", "created_by"):
        yield chronology.ChronologyEntry(
            occurred_at=cast(datetime, referral.sent_at),  # drafts are excluded: a sent referral has one
            type="referral",
            title=f"Referral {referral.reference} sent to {referral.agency.name}",
            text=f"{referral.get_referral_type_display()}. {referral.reason}",
            case=referral.case,
            by=referral.created_by.full_name,
            url=referral.get_absolute_url(),
            tag=referral.get_urgency_display().split(":")[0],
        )
    messages = ReferralMessage.objects.filter(referral__case__in=visible_cases).select_related(
        "referral", "referral__case", "referral__agency", "author"
    )
    for message in messages:
        referral = message.referral
        yield chronology.ChronologyEntry(
            occurred_at=message.created_at,
            type="referral",
            title=f"Referral {referral.reference} ({referral.agency.name}): {message.get_kind_display().lower()}",
            text=message.text,
            case=referral.case,
            by=message.author.full_name,
            url=referral.get_absolute_url(),
        )


def chronology_nrm(person: YoungPerson, visible_cases: QuerySet[Case], user: User) -> Iterable:
    for nrm in NRMReferral.objects.filter(case__in=visible_cases).select_related("case", "first_responder", "panel"):
        url = nrm.get_absolute_url()
        yield chronology.ChronologyEntry(
            occurred_at=_at_noon(nrm.submitted_on),
            type="nrm",
            title=f"NRM referral {nrm.reference} submitted ({nrm.get_route_display()})",
            text=f"To {nrm.decision_maker_name}.",
            by=nrm.first_responder.full_name,
            case=nrm.case,
            url=url,
        )
        if nrm.rg_outcome:
            yield chronology.ChronologyEntry(
                occurred_at=_at_noon(nrm.rg_decided_on),
                type="nrm",
                title=f"NRM {nrm.reference}: {nrm.get_rg_outcome_display().lower()} Reasonable Grounds decision",
                tag=nrm.get_rg_outcome_display(),
                case=nrm.case,
                url=url,
            )
        if nrm.cg_outcome:
            yield chronology.ChronologyEntry(
                occurred_at=_at_noon(nrm.cg_decided_on),
                type="nrm",
                title=f"NRM {nrm.reference}: {nrm.get_cg_outcome_display().lower()} Conclusive Grounds decision",
                tag=nrm.get_cg_outcome_display(),
                case=nrm.case,
                url=url,
            )
        if nrm.public_order_disqualified:
            yield chronology.ChronologyEntry(
                occurred_at=_at_noon(nrm.public_order_on),
                type="nrm",
                title=f"NRM {nrm.reference}: disqualified on public-order grounds",
                case=nrm.case,
                url=url,
            )


def nrm_rows(nrms) -> list[dict]:
    today = timezone.localdate()
    rows = []
    for nrm in nrms:
        clock = None
        if not nrm.rg_outcome:
            clock = working_day_clock(started=nrm.submitted_on, target_days=RG_TARGET_WORKING_DAYS, today=today)
        rows.append({"nrm": nrm, "clock": clock})
    return rows


def referral_rows(referrals) -> list[dict]:
    today = timezone.localdate()
    rows = []
    for referral in referrals:
        clock = None
        if referral.awaiting_partner and referral.response_due_on:
            clock = working_day_clock(
                started=timezone.localtime(referral.sent_at).date(),
                target_days=referral.response_target_working_days,
                today=today,
            )
        rows.append({"referral": referral, "clock": clock})
    return rows


def case_section_context(request: AuthenticatedRequest, case: Case) -> dict | None:
    referrals = case.referrals.select_related("agency").order_by("-created_at")
    nrms = case.nrm_referrals.select_related("panel").order_by("-submitted_on")
    return {
        "case": case,
        "referral_rows": referral_rows(referrals),
        "nrm_rows": nrm_rows(nrms),
        "can_edit": can_edit(request.user),
    }


def person_section_context(request: AuthenticatedRequest, person: YoungPerson, visible_cases) -> dict | None:
    referrals = list(
        Referral.objects.filter(case__in=visible_cases).select_related("agency", "case").order_by("-created_at")
    )
    nrms = list(NRMReferral.objects.filter(case__in=visible_cases).select_related("case", "panel"))
    if not referrals and not nrms:
        return None
    return {"referral_rows": referral_rows(referrals), "nrm_rows": nrm_rows(nrms)}


def home_panel_officer(request: AuthenticatedRequest) -> dict:
    return {"rows": referral_rows(awaiting_answer_for_officer(request.user))}


def home_panel_partner(request: AuthenticatedRequest) -> dict:
    return {"referrals": partner_home_list(request.user)}


def pack_section_context(case: Case, user: User) -> dict | None:
    """Referrals sent from the case and its NRM referrals, for a pack that leaves the force:
    which agency was asked and what came of it, never the content shared with them."""
    referrals = list(
        case.referrals.exclude(status=ReferralStatus.DRAFT).select_related("agency").order_by("sent_at", "pk")
    )
    nrms = list(case.nrm_referrals.order_by("submitted_on", "pk"))
    if not referrals and not nrms:
        return None
    return {"referrals": referrals, "nrms": nrms}


def ready() -> None:
    from cases import sections
    from safeguarding.core import documents, home, navigation, periodic
    from safeguarding.core.home import Panel
    from safeguarding.core.navigation import NavItem

    documents.register_pack_section(
        documents.PackSection(
            key="referrals",
            title="Referrals and NRM",
            template="referrals/pack_section.html",
            context=pack_section_context,
            order=60,
        )
    )
    from . import figures

    figures.register()
    from safeguarding.notifications import kinds

    kinds.register(
        kinds.EmailKind(
            key="nrm_rg_overdue",
            label="Overdue NRM Reasonable Grounds decisions",
            hint="When a Reasonable Grounds decision is past its five working days.",
            roles=("officer", "supervisor"),
            order=30,
        )
    )
    chronology.register(chronology_referrals, types={"referral": "Referrals to partner agencies"}, order=60)
    chronology.register(chronology_nrm, types={"nrm": "National Referral Mechanism"}, order=65)
    sections.register_case_section(
        sections.Section(
            key="referrals",
            title="Referrals and NRM",
            template="referrals/case_section.html",
            context=case_section_context,
            order=40,
        )
    )
    sections.register_person_section(
        sections.Section(
            key="referrals",
            title="Referrals and NRM",
            template="referrals/person_section.html",
            context=person_section_context,
            order=40,
        )
    )
    home.register(
        Panel(
            key="referrals_awaiting",
            title="Referrals awaiting an answer",
            template="referrals/home_panel_officer.html",
            roles=(User.Role.OFFICER, User.Role.SUPERVISOR),
            context=home_panel_officer,
            order=30,
        )
    )
    home.register(
        Panel(
            key="referrals_shared",
            title="Referrals shared with your agency",
            template="referrals/home_panel_partner.html",
            roles=(User.Role.PARTNER,),
            context=home_panel_partner,
            order=10,
        )
    )
    navigation.register(NavItem("Referrals", "referrals:partner_list", (User.Role.PARTNER,), order=10))
    periodic.register(
        name="referrals.nrm_sweep", task="referrals.tasks.nrm_sweep", every_seconds_setting="NRM_SWEEP_SECONDS"
    )
