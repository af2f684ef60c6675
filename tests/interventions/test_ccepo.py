"""CCE Prevention Orders: the adult respondent, evidence, victims in the officer's scope,
conditions with their necessity, the order, variations, breaches linked to an offence,
the register, the evidence pack (page and PDF), chronology and audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import chronology
from interventions import services
from interventions.models import CCEPOApplication, CCEPOBreach, CCEPOStatus
from safeguarding.audit.models import AuditEvent
from tests.conftest import verified_client
from tests.factories.cases import CaseFactory
from tests.factories.custody import CustodyEventFactory

from .helpers import (
    EXPLOITER,
    NECESSITY,
    RISK,
    adult_associate,
    case_aged,
    ccepo_application,
    ccepo_data,
    ccepo_order,
)
from .test_documents import pdf_text

pytestmark = pytest.mark.django_db


def test_a_seventeen_year_old_respondent_is_refused_citing_the_act(personas):
    case = case_aged(personas.officer_a, 15)
    respondent = adult_associate(case, years=17)
    with pytest.raises(ValidationError) as refused:
        services.ccepo_create(actor=personas.officer_a, case=case, data=ccepo_data(respondent))
    message = refused.value.message_dict["respondent"][0]
    assert "18 or over" in message and "Crime and Policing Act 2026" in message
    assert not CCEPOApplication.objects.exists()


def test_a_respondent_without_a_date_of_birth_is_refused(personas):
    case = case_aged(personas.officer_a, 15)
    respondent = adult_associate(case, years=None)
    with pytest.raises(ValidationError) as refused:
        services.ccepo_create(actor=personas.officer_a, case=case, data=ccepo_data(respondent))
    assert "date of birth" in refused.value.message_dict["respondent"][0]


def test_the_form_refuses_a_seventeen_year_old_next_to_the_field_keeping_what_was_typed(personas):
    case = case_aged(personas.officer_a, 15)
    respondent = adult_associate(case, years=17)
    day = timezone.localdate()
    response = verified_client(personas.officer_a).post(
        reverse("interventions:ccepo_create", args=[case.pk]),
        {
            "respondent": respondent.pk,
            "route": "free_standing",
            "applied_on_0": day.day,
            "applied_on_1": day.month,
            "applied_on_2": day.year,
            "risk_assessment": "Typed risk kept",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Typed risk kept" in body and "Crime and Policing Act 2026" in body
    assert not CCEPOApplication.objects.exists()


def test_victims_are_cases_in_the_officers_scope(personas):
    case = case_aged(personas.officer_a, 15)
    mine = CaseFactory(owner=personas.officer_a)
    theirs = CaseFactory(owner=personas.officer_b)
    respondent = adult_associate(case)
    with pytest.raises(ValidationError) as refused:
        services.ccepo_create(
            actor=personas.officer_a,
            case=case,
            data=ccepo_data(respondent, victim_references=f"{mine.reference}, {theirs.reference}"),
        )
    assert theirs.reference in refused.value.message_dict["victim_references"][0]
    application = services.ccepo_create(
        actor=personas.officer_a, case=case, data=ccepo_data(respondent, victim_references=mine.reference)
    )
    assert set(application.victims.all()) == {case, mine}


def test_an_order_needs_conditions_and_a_duration_within_the_limits(personas, settings):
    case = case_aged(personas.officer_a, 15)
    respondent = adult_associate(case)
    application = services.ccepo_create(actor=personas.officer_a, case=case, data=ccepo_data(respondent))
    data = {
        "court": "Testford Magistrates' Court",
        "made_on": timezone.localdate(),
        "order_type": "full",
        "duration_months": 6,
        "until_further_order": False,
        "served_on": None,
        "served_how": "",
    }
    with pytest.raises(ValidationError) as refused:
        services.ccepo_order_record(actor=personas.officer_a, application=application, data=data)
    assert "court" in refused.value.message_dict  # no conditions yet
    assert "at least 24 months" in refused.value.message_dict["duration_months"][0]
    settings.CCEPO_FULL_MIN_MONTHS = 3
    services.ccepo_condition_add(
        actor=personas.officer_a, application=application, data={"text": "Not to enter Testford", "necessity": "x"}
    )
    services.ccepo_order_record(actor=personas.officer_a, application=application, data=data)
    application.refresh_from_db()
    assert application.status == CCEPOStatus.FULL and application.expires_on is not None


def test_an_interim_order_then_a_full_one(personas):
    application = ccepo_order(personas.officer_a, order_type="interim")
    assert application.status == CCEPOStatus.INTERIM
    services.ccepo_order_record(
        actor=personas.officer_a,
        application=application,
        data={
            "court": "Testford Crown Court",
            "made_on": timezone.localdate(),
            "order_type": "full",
            "duration_months": None,
            "until_further_order": True,
            "served_on": None,
            "served_how": "",
        },
    )
    application.refresh_from_db()
    assert application.status == CCEPOStatus.FULL and application.until_further_order


def test_a_breach_is_an_offence_linked_to_custody_or_a_crime_reference(personas):
    application = ccepo_order(personas.officer_a)
    data = {
        "occurred_at": timezone.now() - timedelta(hours=3),
        "description": "Seen with the child",
        "crime_reference": "",
    }
    with pytest.raises(ValidationError) as refused:
        services.ccepo_breach_add(actor=personas.officer_a, application=application, data=data)
    assert "crime_reference" in refused.value.message_dict
    event = CustodyEventFactory(case=application.case)
    breach = services.ccepo_breach_add(
        actor=personas.officer_a, application=application, data={**data, "custody_event": event}
    )
    assert breach.custody_event == event
    services.ccepo_breach_add(
        actor=personas.officer_a, application=application, data={**data, "crime_reference": "WS/12345/26"}
    )
    assert CCEPOBreach.objects.count() == 2
    assert AuditEvent.objects.filter(action="create", object_type="interventions.ccepobreach").count() == 2


def test_a_breach_before_the_order_took_effect_is_refused(personas):
    application = ccepo_order(personas.officer_a)
    with pytest.raises(ValidationError) as refused:
        services.ccepo_breach_add(
            actor=personas.officer_a,
            application=application,
            data={
                "occurred_at": timezone.now() - timedelta(days=30),
                "description": "x",
                "crime_reference": "WS/1/26",
            },
        )
    assert "did not apply yet" in refused.value.message_dict["occurred_at"][0]


def test_variations_only_after_the_order(personas):
    application = ccepo_application(personas.officer_a)
    data = {"varied_on": timezone.localdate(), "court": "Testford", "change": "Exclusion zone widened"}
    with pytest.raises(ValidationError):
        services.ccepo_variation_add(actor=personas.officer_a, application=application, data=data)
    order = ccepo_order(personas.officer_a)
    services.ccepo_variation_add(actor=personas.officer_a, application=order, data=data)
    assert order.variations.count() == 1


def test_the_register_lists_orders_in_scope(personas):
    mine = ccepo_order(personas.officer_a)
    theirs = ccepo_order(personas.officer_b)
    pending = ccepo_application(personas.officer_a)
    body = verified_client(personas.officer_a).get(reverse("interventions:ccepo_register")).content.decode()
    assert mine.reference in body and theirs.reference not in body and pending.reference not in body
    lead = verified_client(personas.force_lead).get(reverse("interventions:ccepo_register")).content.decode()
    assert mine.reference in lead and theirs.reference in lead
    assert AuditEvent.objects.filter(action="list", object_type="interventions.ccepoapplication").exists()


def test_the_evidence_pack_is_assembled_from_the_records(personas):
    application = ccepo_order(personas.officer_a)
    client = verified_client(personas.officer_a)
    page = client.get(reverse("interventions:ccepo_pack", args=[application.pk]))
    assert "no-store" in page["Cache-Control"]
    text = pdf_text(client.get(reverse("interventions:ccepo_pack_pdf", args=[application.pk])))
    for expected in (
        EXPLOITER,
        RISK,
        NECESSITY,
        "Phone download",
        "Testford Magistrates",  # the apostrophe is escaped in the page
        application.case.person.full_name,
    ):
        assert expected in page.content.decode() and expected in text, expected
    assert AuditEvent.objects.filter(action="export", object_type="interventions.ccepoapplication").count() == 2


def test_pages_are_scoped_and_audited(personas):
    application = ccepo_order(personas.officer_a)
    url = application.get_absolute_url()
    assert verified_client(personas.officer_a).get(url).status_code == 200
    assert AuditEvent.objects.filter(action="view", object_id=str(application.pk)).exists()
    assert verified_client(personas.officer_b).get(url).status_code == 404
    assert verified_client(personas.partner).get(url).status_code == 403
    lead = verified_client(personas.force_lead)
    assert lead.get(url).status_code == 200
    assert lead.get(reverse("interventions:ccepo_breach_add", args=[application.pk])).status_code == 403


def test_the_chronology_shows_the_application_order_and_breach(personas):
    application = ccepo_order(personas.officer_a)
    services.ccepo_breach_add(
        actor=personas.officer_a,
        application=application,
        data={"occurred_at": timezone.now() - timedelta(hours=1), "description": "x", "crime_reference": "WS/9/26"},
    )
    entries = chronology.chronology_for(person=application.case.person, user=personas.officer_a).entries
    titles = [e.title for e in entries if e.type == "ccepo"]
    assert any("applied for against" in t for t in titles)
    assert any("full order made" in t for t in titles)
    assert f"Breach of {application.reference}" in titles
