"""NRM notifications: the route rules, decision dates, the recovery period, the checklist
item, the summary for the national form, and the overdue RG notice sent exactly once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from custody.models import ItemStatus
from referrals import services
from referrals.models import NRMOutbox, NRMReferral, NRMRoute, Outcome, ReferralType
from safeguarding.notifications.models import Notification
from tests.conftest import verified_client
from tests.custody.clock.helpers import start_checklist
from tests.dates import born_years_ago

from .helpers import SECRET_RISK, inbox_agency, make_case, sent_referral

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {"route": NRMRoute.CHILD, "submitted_on": timezone.localdate(), "decision_maker": "sca"}
    data.update(overrides)
    return data


def _refused(actor, case, data, field) -> str:
    with pytest.raises(ValidationError) as error:
        services.nrm_create(actor=actor, case=case, data=data)
    assert field in error.value.message_dict
    assert not NRMReferral.objects.exists()
    return error.value.message_dict[field][0]


def test_a_child_needs_the_childrens_services_referral_first(personas):
    case = make_case(personas.officer_a)
    assert "children's services referral first" in _refused(personas.officer_a, case, _data(), "route")
    # A referral to another agency is not enough.
    sent_referral(personas.officer_a, inbox_agency("Testshire Health"), case=case, referral_type=ReferralType.HEALTH)
    _refused(personas.officer_a, case, _data(), "route")
    referral = sent_referral(personas.officer_a, inbox_agency(), case=case)
    nrm = services.nrm_create(actor=personas.officer_a, case=case, data=_data())
    assert nrm.childrens_referral == referral


def test_a_guardian_referral_is_needed_where_the_area_has_the_service(personas):
    case = make_case(personas.officer_a)
    sent_referral(personas.officer_a, inbox_agency(has_icgt_service=True), case=case)
    assert "Guardian" in _refused(personas.officer_a, case, _data(), "icgt_referred_on")
    nrm = services.nrm_create(actor=personas.officer_a, case=case, data=_data(icgt_referred_on=timezone.localdate()))
    assert nrm.icgt_referred_on == timezone.localdate()


def test_adult_routes_need_consent_or_the_ms1(personas):
    case = make_case(personas.officer_a)
    case.person.date_of_birth = born_years_ago(19)
    case.person.save()
    msg = _refused(personas.officer_a, case, _data(route=NRMRoute.ADULT_CONSENT), "consent_given")
    assert "Duty to Notify" in msg
    _refused(personas.officer_a, case, _data(route=NRMRoute.ADULT_MS1), "ms1_submitted")
    nrm = services.nrm_create(
        actor=personas.officer_a, case=case, data=_data(route=NRMRoute.ADULT_MS1, ms1_submitted=True)
    )
    assert nrm.ms1_submitted


def test_a_child_cannot_take_an_adult_route(personas):
    case = make_case(personas.officer_a)  # 15 years old
    _refused(personas.officer_a, case, _data(route=NRMRoute.ADULT_CONSENT, consent_given=True), "route")


@pytest.fixture
def nrm(personas):
    case = make_case(personas.officer_a)
    sent_referral(personas.officer_a, inbox_agency(), case=case)
    return services.nrm_create(
        actor=personas.officer_a, case=case, data=_data(submitted_on=timezone.localdate() - timedelta(days=60))
    )


def _decide(personas, nrm, **data):
    return services.nrm_decision_record(actor=personas.officer_a, nrm=nrm, data=data)


def test_decision_dates_and_the_recovery_period(personas, nrm):
    with pytest.raises(ValidationError) as error:
        _decide(personas, nrm, stage="rg", outcome=Outcome.POSITIVE, decided_on=nrm.submitted_on - timedelta(days=1))
    assert "before the referral was submitted" in error.value.message_dict["decided_on"][0]
    rg_day = nrm.submitted_on + timedelta(days=3)
    nrm = _decide(personas, nrm, stage="rg", outcome=Outcome.POSITIVE, decided_on=rg_day)
    assert nrm.recovery_period_ends_on == rg_day + timedelta(days=30)
    with pytest.raises(ValidationError) as error:
        _decide(personas, nrm, stage="cg", outcome=Outcome.POSITIVE, decided_on=rg_day + timedelta(days=29))
    assert "inside the recovery period" in error.value.message_dict["decided_on"][0]
    nrm.refresh_from_db()
    assert nrm.cg_outcome == ""
    nrm = _decide(personas, nrm, stage="cg", outcome=Outcome.POSITIVE, decided_on=rg_day + timedelta(days=30))
    assert nrm.cg_outcome == Outcome.POSITIVE
    with pytest.raises(ValidationError):
        _decide(personas, nrm, stage="rg", outcome=Outcome.NEGATIVE, decided_on=rg_day)
    recon = services.nrm_reconsideration_add(
        actor=personas.officer_a,
        nrm=nrm,
        data={"stage": "cg", "requested_on": timezone.localdate(), "reason": "New evidence", "outcome": ""},
    )
    assert recon.outcome == ""
    nrm = _decide(personas, nrm, stage="public_order", decided_on=timezone.localdate())
    assert nrm.public_order_disqualified


def test_outcomes_flow_to_the_chronology(personas, nrm):
    _decide(personas, nrm, stage="rg", outcome=Outcome.NEGATIVE, decided_on=nrm.submitted_on + timedelta(days=2))
    page = verified_client(personas.officer_a).get(reverse("cases:person_chronology", args=[nrm.case.person_id]))
    assert "negative Reasonable Grounds decision" in page.content.decode()


def test_an_nrm_marks_the_nrm_considered_item_done(personas):
    case = make_case(personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a)
    sent_referral(personas.officer_a, inbox_agency(), case=case)
    nrm = services.nrm_create(actor=personas.officer_a, case=case, data=_data())
    item = checklist.items.get(template_item__code="nrm_considered")
    assert item.status == ItemStatus.DONE and nrm.reference in item.note


def test_summary_follows_the_national_form_and_prints(personas, nrm):
    client = verified_client(personas.officer_a)
    body = client.get(reverse("referrals:nrm_summary", args=[nrm.pk])).content.decode()
    titles = ["1. First responder", "3. Potential victim", "5. Exploitation indicators", "7. Account and chronology"]
    positions = [body.index(t) for t in titles]
    assert positions == sorted(positions)
    assert SECRET_RISK in body and nrm.case.person.family_name in body
    assert client.get(reverse("referrals:nrm_summary_print", args=[nrm.pk])).status_code == 200


def test_overdue_rg_notifies_officer_and_supervisor_exactly_once(personas):
    case = make_case(personas.officer_a)
    sent_referral(personas.officer_a, inbox_agency(), case=case)
    # Submitted Friday 4 December 2026: five working days end on Friday 11 December.
    with time_machine.travel(date(2026, 12, 4).isoformat() + "T12:00:00+00:00", tick=False):
        nrm = services.nrm_create(actor=personas.officer_a, case=case, data=_data())
    with time_machine.travel("2026-12-11T15:00:00+00:00", tick=False):
        services.nrm_sweep()
    assert not NRMOutbox.objects.exists()
    with time_machine.travel("2026-12-14T09:00:00+00:00", tick=False):
        services.nrm_sweep()
        services.nrm_sweep()
    assert NRMOutbox.objects.filter(nrm=nrm).count() == 1
    notified = Notification.objects.filter(kind="nrm_rg_overdue")
    assert sorted(notified.values_list("user_id", flat=True)) == sorted([personas.officer_a.pk, personas.supervisor.pk])


def test_nrm_form_shows_the_rule_next_to_its_field(personas):
    case = make_case(personas.officer_a)
    today = timezone.localdate()
    response = verified_client(personas.officer_a).post(
        reverse("referrals:nrm_create", args=[case.pk]),
        {
            "route": "child",
            "submitted_on_0": today.day,
            "submitted_on_1": today.month,
            "submitted_on_2": today.year,
            "home_office_reference": "HO-TYPED-123",
            "first_responder_organisation": "Testshire Police",
            "decision_maker": "sca",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "children&#x27;s services referral first" in body and "HO-TYPED-123" in body
    assert not NRMReferral.objects.exists()


def test_the_nrm_sweep_is_a_declared_periodic_task():
    from safeguarding.core import periodic

    spec = next(s for s in periodic.registered() if s.name == "referrals.nrm_sweep")
    assert spec.task == "referrals.tasks.nrm_sweep"


def test_decision_form_refuses_a_date_before_submission_next_to_the_field(personas, nrm):
    before = nrm.submitted_on - timedelta(days=1)
    response = verified_client(personas.officer_a).post(
        reverse("referrals:nrm_decision", args=[nrm.pk]),
        {
            "stage": "rg",
            "outcome": "positive",
            "decided_on_0": before.day,
            "decided_on_1": before.month,
            "decided_on_2": before.year,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "cannot be dated before the referral was submitted" in body
    assert f'value="{before.year}"' in body
    nrm.refresh_from_db()
    assert nrm.rg_outcome == ""


def test_force_lead_reads_the_nrm_but_cannot_record_decisions(personas, nrm):
    client = verified_client(personas.force_lead)
    assert client.get(nrm.get_absolute_url()).status_code == 200
    today = timezone.localdate()
    response = client.post(
        reverse("referrals:nrm_decision", args=[nrm.pk]),
        {
            "stage": "rg",
            "outcome": "positive",
            "decided_on_0": today.day,
            "decided_on_1": today.month,
            "decided_on_2": today.year,
        },
    )
    assert response.status_code == 403
    nrm.refresh_from_db()
    assert nrm.rg_outcome == ""


def test_an_awaited_reconsideration_gets_its_outcome_later(personas, nrm):
    rg_day = nrm.submitted_on + timedelta(days=2)
    nrm = _decide(personas, nrm, stage="rg", outcome=Outcome.NEGATIVE, decided_on=rg_day)
    recon = services.nrm_reconsideration_add(
        actor=personas.officer_a,
        nrm=nrm,
        data={"stage": "rg", "requested_on": rg_day + timedelta(days=1), "reason": "New account from the child"},
    )
    client = verified_client(personas.officer_a)
    url = reverse("referrals:nrm_reconsideration_outcome", args=[recon.pk])
    early = rg_day
    response = client.post(
        url, {"outcome": "positive", "decided_on_0": early.day, "decided_on_1": early.month, "decided_on_2": early.year}
    )
    assert "cannot be dated before the request" in response.content.decode()
    day = timezone.localdate()
    client.post(
        url, {"outcome": "positive", "decided_on_0": day.day, "decided_on_1": day.month, "decided_on_2": day.year}
    )
    recon.refresh_from_db()
    assert recon.outcome == Outcome.POSITIVE and recon.decided_on == day
    assert verified_client(personas.officer_b).get(url).status_code == 404
