"""Validation with clear messages that keep what was typed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, YoungPerson
from tests.factories.cases import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("cases:person_create")


def _post(personas, **overrides):
    data = {
        "given_name": "Priyanka",
        "family_name": "Testcase",
        "home_address": "1 Example Way",
        "gender": "female",
        "ethnicity": "",
        "looked_after_status": "not_known",
        "education_status": "not_known",
        "duplicates_checked": "True",
    }
    data.update(overrides)
    return personas.client("officer_a").post(URL, data)


def test_date_of_birth_in_the_future_is_refused_and_input_kept(personas):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = _post(
        personas,
        date_of_birth_0=str(tomorrow.day),
        date_of_birth_1=str(tomorrow.month),
        date_of_birth_2=str(tomorrow.year),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Date of birth must be today or in the past" in page
    assert 'value="Priyanka"' in page and "1 Example Way" in page
    assert f'value="{tomorrow.year}"' in page
    assert not YoungPerson.objects.exists()


def test_estimated_age_must_be_between_8_and_25(personas):
    for age in ("7", "26"):
        response = _post(personas, estimated_age=age)
        assert "Estimated age must be between 8 and 25" in response.content.decode()
        assert f'value="{age}"' in response.content.decode()
    assert not YoungPerson.objects.exists()


def test_age_or_date_of_birth_is_required(personas):
    response = _post(personas)
    assert "Enter a date of birth or, if it is not known, an estimated age" in response.content.decode()


def test_at_least_one_name_is_required(personas):
    response = _post(personas, given_name="", family_name="", estimated_age="15")
    assert "Enter a first name or a last name" in response.content.decode()
    response = _post(personas, given_name="", family_name="Onlylast", estimated_age="15")
    assert response.status_code == 302


def test_not_a_real_date_is_explained(personas):
    response = _post(personas, date_of_birth_0="31", date_of_birth_1="2", date_of_birth_2="2011")
    assert "Date of birth must be a real date" in response.content.decode()


def test_estimated_age_is_shown_as_estimated(personas):
    _post(personas, estimated_age="15")
    person = YoungPerson.objects.get()
    assert person.age_display == "about 15 (estimated)"
    page = personas.client("officer_a").get(reverse("cases:person_detail", args=[person.pk])).content.decode()
    assert "Age about 15 (estimated)" in page


def test_estimated_age_grows_with_time(personas):
    person = YoungPersonFactory(
        date_of_birth=None, estimated_age=14, estimated_age_on=timezone.localdate() - timedelta(days=800)
    )
    assert person.age == 16


def test_database_refuses_a_person_without_name_or_age():
    with pytest.raises(IntegrityError), transaction.atomic():
        YoungPerson.objects.create(given_name="", family_name="", date_of_birth=timezone.localdate())
    with pytest.raises(IntegrityError), transaction.atomic():
        YoungPerson.objects.create(given_name="No", family_name="Age")
    with pytest.raises(IntegrityError), transaction.atomic():
        YoungPerson.objects.create(
            given_name="Too", family_name="Old", estimated_age=30, estimated_age_on=timezone.localdate()
        )


def test_case_form_errors_keep_input(personas):
    person = CaseFactory(owner=personas.officer_a).person
    url = reverse("cases:case_create", args=[person.pk])
    response = personas.client("officer_a").post(
        url,
        {
            "owner": personas.officer_a.pk,
            "exploitation_types": ["other"],
            "exploitation_other": "",
            "risk_level": "high",
            "risk_rationale": "Seen with older males at the station.",
            "how_identified": "operation",
            "operation_name": "",
        },
    )
    page = response.content.decode()
    assert "Describe the other type of exploitation" in page
    assert "Enter the name of the operation" in page
    assert "Seen with older males at the station." in page
    assert Case.objects.filter(person=person).count() == 1


def test_missing_episode_found_before_reported_is_refused(personas):
    case = CaseFactory(owner=personas.officer_a)
    response = personas.client("officer_a").post(
        reverse("cases:missing_add", args=[case.pk]),
        {
            "reported_missing_at": "2025-01-10T10:00",
            "missing_from": "Home",
            "reported_by": "Mother",
            "risk_grade": "high",
            "found_at": "2025-01-09T10:00",
        },
    )
    assert "Found or returned must be after they were reported missing" in response.content.decode()
    assert not case.missing_episodes.exists()


def test_chronology_entry_cannot_be_in_the_future(personas):
    case = CaseFactory(owner=personas.officer_a)
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = personas.client("officer_a").post(
        reverse("cases:entry_add", args=[case.pk]), {"entry_type": "note", "occurred_at": later, "text": "Typed text"}
    )
    page = response.content.decode()
    assert "When it happened must be now or in the past" in page
    assert "Typed text" in page


def test_a_missing_report_in_the_hour_that_happened_twice_asks_bst_or_gmt_then_records_it(personas):
    case = CaseFactory(owner=personas.officer_a)
    url = reverse("cases:missing_add", args=[case.pk])
    data = {
        "reported_missing_at": "2025-10-26T01:30",
        "missing_from": "Home",
        "reported_by": "Mother",
        "risk_grade": "high",
    }
    client = personas.client("officer_a")
    page = client.post(url, data).content.decode()
    assert "Choose whether it was BST or GMT" in page and 'name="reported_missing_at_zone"' in page
    assert not case.missing_episodes.exists()
    assert client.post(url, {**data, "reported_missing_at_zone": "GMT"}).status_code == 302
    assert case.missing_episodes.get().reported_missing_at == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)
