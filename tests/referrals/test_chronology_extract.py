"""The chronology extract a referral shares: its date range and entry types, never
intelligence unless that restricted section is shared with a justification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from referrals.models import Section
from tests.conftest import verified_client
from tests.factories.cases import ManualEntryFactory

from .helpers import inbox_agency, make_case, partner_of, sent_referral

pytestmark = pytest.mark.django_db


def test_extract_keeps_to_its_range_and_leaves_out_intelligence(personas):
    case = make_case(personas.officer_a)
    now = timezone.now()
    ManualEntryFactory(case=case, occurred_at=now - timedelta(days=40), text="Old home visit outside the range")
    ManualEntryFactory(case=case, occurred_at=now - timedelta(days=3), text="Recent contact inside the range")
    ManualEntryFactory(
        case=case, entry_type="intelligence", occurred_at=now - timedelta(days=2), text="Intelligence about the line"
    )
    mash = inbox_agency()
    client = verified_client(partner_of(mash, "mash.one@council.example"))
    start = timezone.localdate() - timedelta(days=10)
    referral = sent_referral(personas.officer_a, mash, case=case, sections=[Section.CHRONOLOGY], chronology_from=start)
    body = client.get(referral.get_partner_url()).content.decode()
    assert "Recent contact inside the range" in body
    assert "Old home visit outside the range" not in body
    assert "Intelligence about the line" not in body
    shared = sent_referral(
        personas.officer_a,
        mash,
        case=case,
        sections=[Section.INTELLIGENCE],
        restricted_justification="The MASH needs this to plan a joint visit safely.",
    )
    body = client.get(shared.get_partner_url()).content.decode()
    assert "Intelligence about the line" in body
    assert "Recent contact inside the range" not in body
