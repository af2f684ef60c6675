"""Search: misspellings, aliases, name variants, date of birth, references; out of scope
shows only who to contact; terms travel by POST and are audited."""

import re
from datetime import date

import pytest
from django.urls import reverse

from cases import names, search
from cases.break_glass_refs import break_glass_person_pk
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import AliasFactory, CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("cases:search")


def _person(personas, given, family, **kwargs):
    case = CaseFactory(
        owner=kwargs.pop("owner", personas.officer_a),
        person=YoungPersonFactory(given_name=given, family_name=family, **kwargs),
    )
    return case.person


def _found(personas, persona="officer_a", **terms):
    data = {"name": "", "date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": "", "reference": ""}
    data.update(terms)
    response = personas.client(persona).post(URL, data)
    assert response.status_code == 200
    return response


def test_misspelled_name_finds_the_person(personas):
    person = _person(personas, "Jayden", "Smith")
    response = _found(personas, name="Jaden Smyth")
    assert person.full_name in response.content.decode()
    assert [r.person.pk for r in response.context["results"]] == [person.pk]


def test_last_name_alone_with_a_typo_finds_the_person(personas):
    person = _person(personas, "Jayden", "Smith")
    _person(personas, "Jayden", "Okonkwo")
    results = _found(personas, name="Smyth").context["results"]
    assert [r.person.pk for r in results] == [person.pk]


def test_alias_and_misspelled_street_name_find_the_person(personas):
    person = _person(personas, "Kieran", "Exampleson")
    AliasFactory(person=person, name="Ghost", kind="street_name")
    for typed in ("Ghost", "Gohst", "ghosty"):
        results = _found(personas, name=typed).context["results"]
        assert [r.person.pk for r in results] == [person.pk], typed
        assert results[0].matched_alias == "Ghost"
        assert "Alias or street name (Ghost)" in results[0].reasons


def test_given_name_variants_are_found(personas):
    daniel = _person(personas, "Daniel", "Okoro")
    kwame = _person(personas, "Kwame", "Mensah")
    muhammad = _person(personas, "Muhammad", "Rahman")
    assert [r.person.pk for r in _found(personas, name="Danny Okoro").context["results"]] == [daniel.pk]
    assert [r.person.pk for r in _found(personas, name="Kwam Mensah").context["results"]] == [kwame.pk]
    assert [r.person.pk for r in _found(personas, name="Mohamed Rahman").context["results"]] == [muhammad.pk]


def test_a_different_family_name_is_not_a_match(personas):
    _person(personas, "Daniel", "Jones")
    assert _found(personas, name="Danny Smith").context["results"] == []


def test_date_of_birth_search_and_boost(personas):
    born = date(2010, 4, 1)
    exact = _person(personas, "Liam", "Testerton", date_of_birth=born)
    _person(personas, "Liam", "Testerson", date_of_birth=date(2010, 5, 1))
    only_dob = _found(personas, date_of_birth_0="1", date_of_birth_1="4", date_of_birth_2="2010").context["results"]
    assert [r.person.pk for r in only_dob] == [exact.pk]
    ranked = _found(
        personas, name="Liam Testerton", date_of_birth_0="1", date_of_birth_1="4", date_of_birth_2="2010"
    ).context["results"]
    assert ranked[0].person.pk == exact.pk
    assert "Date of birth" in ranked[0].reasons


def test_case_reference_and_record_number_are_matched(personas):
    case = CaseFactory(owner=personas.officer_a)
    assert [r.person.pk for r in _found(personas, reference=f"SG{case.pk:06d}").context["results"]] == [case.person.pk]
    assert [r.person.pk for r in _found(personas, reference=f"yp{case.person.pk}").context["results"]] == [
        case.person.pk
    ]


def test_extra_matchers_from_other_apps_are_used(personas, monkeypatch):
    person = _person(personas, "Ella", "Matcherton")
    monkeypatch.setattr(search, "_matchers", dict(search._matchers))
    search.register_matcher(
        search.Matcher(
            key="custody_number",
            label="custody number",
            match=lambda v: {person.pk: "Custody number"} if v == "WS/123/24" else {},
        )
    )
    response = _found(personas, reference="WS/123/24")
    assert [r.person.pk for r in response.context["results"]] == [person.pk]
    assert "custody number" in response.content.decode().lower()


def test_out_of_scope_result_shows_only_who_to_contact(personas):
    person = _person(personas, "Jayden", "Smith", owner=personas.officer_a)
    AliasFactory(person=person, name="Ghost")
    response = _found(personas, persona="officer_b", name="Gohst")
    page = response.content.decode()
    [result] = response.context["results"]
    assert not result.in_scope
    assert "Jayden" not in page and "Smith" not in page and "Ghost" not in page
    assert "Known — record held by another team" in page
    assert "Team A" in page and personas.team_a.contact_email in page and "Alice Officer" in page
    [reference] = re.findall(r'href="/people/break-glass/([^/"]+)/"', page)
    assert break_glass_person_pk(personas.officer_b, reference) == person.pk
    assert str(person.pk) not in reference.split(":")[0]  # not a bare id


def test_force_lead_sees_every_result_in_scope_but_cannot_break_glass(personas):
    _person(personas, "Jayden", "Smith")
    response = _found(personas, persona="force_lead", name="Jayden Smith")
    assert response.context["results"][0].in_scope
    assert "/people/break-glass/" not in response.content.decode()


def test_search_is_post_only_and_audits_the_terms(personas):
    _person(personas, "Jayden", "Smith")
    client = personas.client("officer_a")
    get = client.get(URL, {"name": "Jayden"})
    assert get.context["results"] is None
    assert not AuditEvent.objects.filter(action="search").exists()
    _found(personas, name="Jaden Smyth")
    event = AuditEvent.objects.get(action="search")
    assert event.detail["name"] == "Jaden Smyth"
    assert event.detail["results"] == 1
    assert event.actor_email == personas.officer_a.email


def test_empty_search_asks_for_a_term(personas):
    response = _found(personas)
    assert "Enter a name, a date of birth or a reference" in response.content.decode()


def test_partner_and_admin_cannot_search(personas):
    for persona in ("partner", "admin"):
        assert personas.client(persona).post(URL, {"name": "x"}).status_code == 403


def test_sqlite_fallback_finds_misspellings_and_variants(personas, monkeypatch):
    """The simpler matching used on SQLite (icontains, variants, Soundex keys)."""
    jayden = _person(personas, "Jayden", "Smith")
    daniel = _person(personas, "Daniel", "Okoro")
    AliasFactory(person=daniel, name="Ghost")

    class FakeConnection:
        vendor = "sqlite"

    monkeypatch.setattr(search, "connection", FakeConnection())
    user = personas.officer_a
    assert [r.person.pk for r in search.search_people(user=user, name="Jaden Smyth")] == [jayden.pk]
    assert [r.person.pk for r in search.search_people(user=user, name="Danny Okoro")] == [daniel.pk]
    assert [r.person.pk for r in search.search_people(user=user, name="Gohst")] == [daniel.pk]


def test_name_variants_table_is_shipped_and_reasonable():
    groups = names.variant_groups()
    assert {"daniel", "danny", "dan"} <= names.variants("Danny")
    assert {"kwame", "kwam"} <= names.variants("kwame")
    assert {"mohammed", "mohammad", "muhammad", "mohamed"} <= names.variants("Muhammad")
    assert {"jonathan", "jon", "johnny"} <= names.variants("Jonathan")
    assert {"alexander", "alex", "xander"} <= names.variants("Xander")
    assert {"olusegun", "segun"} <= names.variants("Segun")
    assert {"aleksander", "aleks"} <= names.variants("Aleks")
    rows = [line for line in names.VARIANTS_FILE.read_text().splitlines() if line and not line.startswith("#")]
    assert len(rows) >= 60
    assert len(groups) > 200


def test_normalise_and_soundex():
    assert names.normalise("  O'Brien-Smith ") == "obrien smith"
    assert names.normalise("Zoë Ångström") == "zoe angstrom"
    assert names.soundex("Smith") == names.soundex("Smyth") == "S530"
    assert names.name_score("Smyth", "Jayden Smith") > 0.5
    assert names.name_score("Danny Smith", "Daniel Jones") == 0
