"""Who may GET which referrals URL (see tests/access_matrix.py).

Officer pages: case readers, scoped to the case (officer_b: another team, 404); the
force lead reads and changes nothing (403 on forms); partners and admins are refused
officer pages (403). The partner portal is for partners only (403 to everyone else);
what a partner may open there is tested in test_partner_portal. POST-only URLs answer 405.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.access_matrix import FORBIDDEN, NOT_ALLOWED, NOT_FOUND, OK, everyone, only

READ = {
    "officer_a": OK,
    "officer_b": NOT_FOUND,
    "supervisor": OK,
    "force_lead": OK,
    "partner": FORBIDDEN,
    "admin": FORBIDDEN,
}
CHANGE = {**READ, "force_lead": FORBIDDEN}

MATRIX: dict[str, dict[str, int]] = {
    "referrals:referral_create": CHANGE,
    "referrals:referral_detail": READ,
    "referrals:referral_send": everyone(NOT_ALLOWED),
    "referrals:referral_revoke": everyone(NOT_ALLOWED),
    "referrals:referral_close": everyone(NOT_ALLOWED),
    "referrals:referral_answer": everyone(NOT_ALLOWED),
    "referrals:partner_list": only(["partner"]),
    "referrals:partner_detail": only(["partner"]),
    "referrals:partner_act": everyone(NOT_ALLOWED),
    "referrals:nrm_create": CHANGE,
    "referrals:nrm_detail": READ,
    "referrals:nrm_summary": READ,
    "referrals:nrm_summary_print": READ,
    "referrals:nrm_decision": CHANGE,
    "referrals:nrm_reconsideration": CHANGE,
    "referrals:nrm_reconsideration_outcome": CHANGE,
}


def url_kwargs(personas) -> dict[str, dict]:
    from referrals import services
    from referrals.models import NRMReconsideration, NRMRoute
    from tests.factories.cases import CaseFactory
    from tests.referrals.helpers import referral_data

    agency = personas.partner_agency
    agency.referral_inbox_email = "referrals@partner.example"
    agency.save()
    case = CaseFactory(owner=personas.officer_a)
    referral = services.referral_create(actor=personas.officer_a, case=case, data=referral_data(agency), send=True)
    nrm = services.nrm_create(
        actor=personas.officer_a,
        case=case,
        data={
            "route": NRMRoute.CHILD,
            "submitted_on": timezone.localdate() - timedelta(days=1),
            "decision_maker": "sca",
        },
    )
    reconsideration = NRMReconsideration.objects.create(
        nrm=nrm, stage="rg", requested_on=timezone.localdate(), reason="Matrix", created_by=personas.officer_a
    )
    on_referral = {"pk": referral.pk}
    on_nrm = {"pk": nrm.pk}
    return {
        "referrals:referral_create": {"pk": case.pk},
        "referrals:referral_detail": on_referral,
        "referrals:referral_send": on_referral,
        "referrals:referral_revoke": on_referral,
        "referrals:referral_close": on_referral,
        "referrals:referral_answer": on_referral,
        "referrals:partner_detail": on_referral,
        "referrals:partner_act": {"pk": referral.pk, "action": "accept"},
        "referrals:nrm_create": {"pk": case.pk},
        "referrals:nrm_detail": on_nrm,
        "referrals:nrm_summary": on_nrm,
        "referrals:nrm_summary_print": on_nrm,
        "referrals:nrm_decision": on_nrm,
        "referrals:nrm_reconsideration": on_nrm,
        "referrals:nrm_reconsideration_outcome": {"pk": reconsideration.pk},
    }
