"""The officer's referral form: the children's services referral prefilled from the case,
and bad input answered next to its field with what was typed kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from tests.conftest import verified_client

from .helpers import SECRET_RISK, inbox_agency, make_case

pytestmark = pytest.mark.django_db


def _post(case, agency, **overrides):
    expires = timezone.localdate() + timedelta(days=10)
    data = {
        "referral_type": "childrens_services",
        "agency": agency.pk,
        "urgency": "urgent",
        "reason": "Typed reason that must be kept",
        "ask": "Typed ask",
        "sections": ["person"],
        "share_expires_on_0": expires.day,
        "share_expires_on_1": expires.month,
        "share_expires_on_2": expires.year,
        "action": "send",
    }
    data.update(overrides)
    return data


def test_childrens_referral_is_prefilled_from_the_case(personas):
    inbox_agency()
    case = make_case(personas.officer_a)
    page = verified_client(personas.officer_a).get(
        reverse("referrals:referral_create", args=[case.pk]) + "?type=childrens_services"
    )
    body = page.content.decode()
    assert SECRET_RISK in body and case.person.given_name in body


def test_send_from_the_form(personas):
    agency = inbox_agency()
    case = make_case(personas.officer_a)
    response = verified_client(personas.officer_a).post(
        reverse("referrals:referral_create", args=[case.pk]), _post(case, agency)
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == referral.get_absolute_url()
    assert referral.status == "sent"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sections": []}, "Choose at least one section to share"),
        (
            {"share_expires_on_0": "1", "share_expires_on_1": "1", "share_expires_on_2": "2020"},
            "must be today or in the future",
        ),
        ({"sections": ["intelligence"]}, "Explain why intelligence must be shared"),
    ],
)
def test_bad_input_keeps_what_was_typed(personas, overrides, message):
    agency = inbox_agency()
    case = make_case(personas.officer_a)
    response = verified_client(personas.officer_a).post(
        reverse("referrals:referral_create", args=[case.pk]), _post(case, agency, **overrides)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body and "Typed reason that must be kept" in body
    assert not Referral.objects.exists()


def test_an_agency_without_inbox_is_refused_on_its_field(personas):
    agency = inbox_agency("Testshire Housing", inbox="")
    case = make_case(personas.officer_a)
    response = verified_client(personas.officer_a).post(
        reverse("referrals:referral_create", args=[case.pk]), _post(case, agency)
    )
    assert "has no referral inbox email" in response.content.decode()
    assert not Referral.objects.exists()
