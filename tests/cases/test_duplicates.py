"""Creating a person shows likely matches first; the user can go on and create."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import YoungPerson
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import AliasFactory, CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("cases:person_create")


def _form(**overrides):
    data = {
        "given_name": "Jaden",
        "middle_names": "",
        "family_name": "Smyth",
        "aliases": "",
        "date_of_birth_0": "14",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2010",
        "estimated_age": "",
        "gender": "male",
        "ethnicity": "",
        "looked_after_status": "not_known",
        "education_status": "not_known",
        "home_local_authority": "Testshire County Council",
    }
    data.update(overrides)
    return data


def test_likely_matches_are_shown_before_saving_and_nothing_is_saved(personas):
    existing = CaseFactory(
        owner=personas.officer_a,
        person=YoungPersonFactory(given_name="Jayden", family_name="Smith", date_of_birth=date(2010, 3, 14)),
    ).person
    before = YoungPerson.objects.count()
    response = personas.client("officer_a").post(URL, _form())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Is this the same young person?" in page
    assert reverse("cases:person_detail", args=[existing.pk]) in page
    [candidate] = response.context["duplicates"]
    assert candidate.person.pk == existing.pk
    assert "Same date of birth" in candidate.reasons and "Similar name" in candidate.reasons
    assert "Same home local authority" in candidate.reasons
    assert YoungPerson.objects.count() == before
    # What was typed is still in the form, now marked as checked.
    assert 'value="Jaden"' in page and 'value="Smyth"' in page
    assert response.context["form"].data["duplicates_checked"] == "True"
    assert AuditEvent.objects.filter(action="search", detail__duplicate_check=True).exists()


def test_user_can_continue_and_create_after_seeing_matches(personas):
    CaseFactory(
        owner=personas.officer_a,
        person=YoungPersonFactory(given_name="Jayden", family_name="Smith", date_of_birth=date(2010, 3, 14)),
    )
    response = personas.client("officer_a").post(URL, _form(duplicates_checked="True"))
    created = YoungPerson.objects.get(given_name="Jaden")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:person_detail", args=[created.pk])


def test_alias_match_is_suggested(personas):
    existing = CaseFactory(
        owner=personas.officer_a, person=YoungPersonFactory(given_name="Marcus", family_name="Otherley")
    ).person
    AliasFactory(person=existing, name="Ghost")
    response = personas.client("officer_a").post(
        URL, _form(given_name="Tom", family_name="Unrelated", aliases="Gohst", date_of_birth_2="2011")
    )
    [candidate] = response.context["duplicates"]
    assert candidate.person.pk == existing.pk
    assert candidate.reasons[0] == "Alias matches (Ghost)"


def test_out_of_scope_match_shows_only_the_contact(personas):
    CaseFactory(
        owner=personas.officer_b,
        person=YoungPersonFactory(given_name="Jayden", family_name="Smith", date_of_birth=date(2010, 3, 14)),
    )
    response = personas.client("officer_a").post(URL, _form())
    page = response.content.decode()
    [candidate] = response.context["duplicates"]
    assert not candidate.in_scope
    assert "Known to Team B" in page
    assert "Jayden" not in page


def test_no_match_creates_straight_away_and_audits(personas):
    response = personas.client("officer_a").post(URL, _form(aliases="Smokey\nLil J"))
    person = YoungPerson.objects.get(given_name="Jaden")
    assert response.status_code == 302
    assert sorted(person.aliases.values_list("name", flat=True)) == ["Lil J", "Smokey"]
    assert person.created_by == personas.officer_a
    assert person.created_by_team == personas.team_a
    event = AuditEvent.objects.get(action="create", object_type="cases.youngperson")
    assert event.object_id == str(person.pk)
