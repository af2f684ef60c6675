"""Optimistic locking: the second of two concurrent saves is refused with both versions shown,
and the user's typed values are kept so they can re-apply them. Nothing is lost silently."""

import pytest
from django.urls import reverse

from cases import services
from cases.models import Case, YoungPerson
from safeguarding.core.db import EditConflict
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db


def _person_form(person, **overrides):
    data = {
        "given_name": person.given_name,
        "middle_names": person.middle_names,
        "family_name": person.family_name,
        "date_of_birth_0": str(person.date_of_birth.day),
        "date_of_birth_1": str(person.date_of_birth.month),
        "date_of_birth_2": str(person.date_of_birth.year),
        "estimated_age": "",
        "gender": person.gender,
        "ethnicity": "",
        "looked_after_status": "not_known",
        "education_status": "not_known",
        "home_local_authority": person.home_local_authority,
        "version": str(person.version),
    }
    data.update(overrides)
    return data


def test_concurrent_person_edit_is_refused_with_both_versions(personas):
    person = CaseFactory(owner=personas.officer_a).person
    url = reverse("cases:person_edit", args=[person.pk])
    alice, amir = personas.client("officer_a"), personas.client("officer_a2")
    # Both open the form at version 1; Amir saves first.
    first = amir.post(url, _person_form(person, home_local_authority="Eastmere City Council"))
    assert first.status_code == 302
    second = alice.post(
        url, _person_form(person, nationality="British", home_local_authority="Westshire County Council")
    )
    page = second.content.decode()
    assert second.status_code == 409
    assert "Your changes have not been saved yet" in page
    assert "Amir Officer" in page
    assert "Eastmere City Council" in page and "Westshire County Council" in page
    assert 'value="British"' in page  # what Alice typed is still in the form
    assert second.context["form"].data["version"] == "2"
    person.refresh_from_db()
    assert person.home_local_authority == "Eastmere City Council"
    assert person.nationality == ""
    assert person.version == 2
    # Re-applying her version against the new one saves it.
    retry = alice.post(url, second.context["form"].data)
    assert retry.status_code == 302
    person.refresh_from_db()
    assert (person.nationality, person.home_local_authority, person.version) == (
        "British",
        "Westshire County Council",
        3,
    )


def test_concurrent_case_edit_is_refused(personas):
    case = CaseFactory(owner=personas.officer_a)
    url = reverse("cases:case_edit", args=[case.pk])
    data = {
        "exploitation_types": ["cce"],
        "risk_level": "high",
        "risk_rationale": "Stabbed at the weekend.",
        "how_identified": "other",
        "version": "1",
    }
    assert personas.client("supervisor").post(url, data).status_code == 302
    response = personas.client("officer_a").post(url, {**data, "risk_level": "low", "risk_rationale": "Calmer now."})
    assert response.status_code == 409
    assert "Calmer now." in response.content.decode()
    case.refresh_from_db()
    assert case.risk_level == "high"


def test_service_refuses_a_stale_version(personas):
    person = CaseFactory(owner=personas.officer_a).person
    services.person_update(actor=personas.officer_a, person=person, data={"nationality": "Irish"}, expected_version=1)
    with pytest.raises(EditConflict) as conflict:
        services.person_update(
            actor=personas.officer_a2, person=person, data={"nationality": "French"}, expected_version=1
        )
    assert conflict.value.current.nationality == "Irish"
    assert YoungPerson.objects.get(pk=person.pk).nationality == "Irish"


def test_history_records_who_changed_what(personas):
    case = CaseFactory(owner=personas.officer_a)
    person = case.person
    services.person_update(actor=personas.officer_a2, person=person, data={"nationality": "Irish"}, expected_version=1)
    response = personas.client("supervisor").get(reverse("cases:person_changes", args=[person.pk]))
    page = response.content.decode()
    assert "Amir Officer" in page
    assert "Nationality" in page and "Irish" in page
    services.case_update(
        actor=personas.officer_a, case=case, data={"risk_level": "high"}, expected_version=case.version
    )
    page = personas.client("officer_a").get(reverse("cases:case_changes", args=[case.pk])).content.decode()
    assert "Risk level" in page and "Medium → High" in page
    assert Case.history.filter(id=case.pk).count() == 2
