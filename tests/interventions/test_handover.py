"""Cross-border handover: named contacts, the risk summary's disclosure naming its
recipient, the plan, outcome and written acceptance, and the handover pack assembled from
the case through the pack registry (custody events and referrals from their own apps)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.models import PhilomenaProfile
from interventions import services
from safeguarding.audit.models import AuditEvent
from safeguarding.core import documents
from tests.conftest import verified_client
from tests.factories.cases import ManualEntryFactory
from tests.factories.custody import CustodyEventFactory
from tests.referrals.helpers import inbox_agency, sent_referral

from .helpers import HOME_FORCE, HOME_LA, make_handover, served_warning
from .test_documents import pdf_text

pytestmark = pytest.mark.django_db


def test_the_form_is_prefilled_from_the_case(personas):
    handover = make_handover(personas.officer_a)
    case = handover.case
    body = verified_client(personas.officer_a).get(reverse("interventions:handover_create", args=[case.pk])).content
    text = body.decode()
    assert HOME_LA in text and HOME_FORCE in text and case.risk_rationale in text


def test_sharing_the_risk_summary_is_an_audited_disclosure_naming_the_recipient(personas):
    handover = make_handover(personas.officer_a)
    services.handover_disclose(actor=personas.officer_a, handover=handover, who="la", method="Secure email")
    row = AuditEvent.objects.get(action="disclose")
    assert row.recipient == f"Lee Socialworker, {HOME_LA}"
    assert row.object_id == str(handover.case_id)
    assert handover.disclosures.get().recipient == row.recipient


def test_an_outcome_cannot_be_recorded_before_the_handover(personas):
    handover = make_handover(personas.officer_a, handover_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        services.handover_outcome_record(actor=personas.officer_a, handover=handover, outcome="completed", notes="")
    assert "outcome" in refused.value.message_dict


def test_the_written_acceptance_is_recorded(personas):
    handover = make_handover(personas.officer_a)
    client = verified_client(personas.officer_a)
    url = reverse("interventions:handover_acceptance", args=[handover.pk])
    response = client.post(url, {"accepted_by": "Typed name kept"})
    assert response.status_code == 200 and "Typed name kept" in response.content.decode()
    day = timezone.localdate()
    response = client.post(
        url,
        {
            "accepted_on_0": day.day,
            "accepted_on_1": day.month,
            "accepted_on_2": day.year,
            "accepted_by": "Lee Socialworker, team manager",
            "acceptance_reference": "Email of today, ref EC/123",
        },
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.accepted_on == day


def test_the_pack_holds_what_the_case_holds_and_nothing_restricted(personas):
    handover = make_handover(personas.officer_a)
    case = handover.case
    PhilomenaProfile.objects.create(person=case.person, physical_description="Tall, short dark hair, scar on chin")
    CustodyEventFactory(case=case, custody_suite="Testford Central", offences="Possession with intent")
    agency = inbox_agency()
    sent_referral(personas.officer_a, agency, case=case)
    warning = served_warning(personas.officer_a, personas.supervisor, case=case)
    ManualEntryFactory(case=case, entry_type="intelligence", text="Secret source says Ricky line")
    client = verified_client(personas.officer_a)
    page = client.get(reverse("interventions:handover_pack", args=[handover.pk]))
    html = page.content.decode()
    text = pdf_text(client.get(reverse("interventions:handover_pack_pdf", args=[handover.pk])))
    for expected in (
        case.person.full_name,
        "scar on chin",
        case.risk_rationale,
        "Testford Central",
        "Possession with intent",
        agency.name,
        "You must stop carrying or delivering packages for others.",
        warning.reference,
    ):
        assert expected in html and expected in text, expected
    assert "Secret source" not in html and "Secret source" not in text
    assert "no-store" in page["Cache-Control"]
    exports = AuditEvent.objects.filter(action="export", object_type="interventions.handover")
    assert exports.count() == 2 and all(HOME_LA in e.recipient for e in exports)


def test_a_restricted_pack_section_is_refused():
    with pytest.raises(ValueError):
        documents.register_pack_section(
            documents.PackSection(
                key="digital_review", title="x", template="x.html", context=lambda c, u: {}, restricted=True
            )
        )


def test_pages_are_scoped(personas):
    handover = make_handover(personas.officer_a)
    url = handover.get_absolute_url()
    assert verified_client(personas.officer_a).get(url).status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="interventions.handover").exists()
    assert verified_client(personas.officer_b).get(url).status_code == 404
    assert verified_client(personas.partner).get(url).status_code == 403
    lead = verified_client(personas.force_lead)
    assert lead.get(url).status_code == 200
    assert lead.get(reverse("interventions:handover_disclose", args=[handover.pk])).status_code == 403
