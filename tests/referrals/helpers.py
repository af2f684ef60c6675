"""Builders for the referral tests. Everything is invented."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from referrals import services
from referrals.models import Referral, ReferralType, Section, Urgency
from safeguarding.accounts.models import Agency, User
from tests.factories import PartnerAgencyFactory, UserFactory
from tests.factories.cases import CaseFactory

SECRET_RISK = "Carries a knife for the Ricky line"  # in the risk rationale: shared only with "risk"


def inbox_agency(name: str = "Testshire MASH", **extra) -> Agency:
    agency = PartnerAgencyFactory(name=name)
    agency.referral_inbox_email = extra.pop("inbox", "mash@council.example")
    for key, value in extra.items():
        setattr(agency, key, value)
    agency.save()
    return agency


def partner_of(agency: Agency, email: str) -> User:
    return UserFactory(email=email, role=User.Role.PARTNER, agency=agency)


def referral_data(agency: Agency, **overrides) -> dict:
    data = {
        "referral_type": ReferralType.CHILDRENS_SERVICES,
        "agency": agency,
        "urgency": Urgency.URGENT,
        "reason": "Found far from home with two phones.",
        "ask": "Decide on a strategy discussion.",
        "sections": [Section.PERSON],
        "restricted_justification": "",
        "chronology_from": None,
        "chronology_to": None,
        "chronology_types": [],
        "share_expires_on": timezone.localdate() + timedelta(days=30),
    }
    data.update(overrides)
    return data


def make_case(owner: User):
    return CaseFactory(owner=owner, risk_rationale=SECRET_RISK)


def sent_referral(owner: User, agency: Agency, case=None, **overrides) -> Referral:
    case = case or make_case(owner)
    return services.referral_create(actor=owner, case=case, data=referral_data(agency, **overrides), send=True)
