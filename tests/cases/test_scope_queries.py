"""Scope checks ask about the one record being opened, never about every record the
user may see: `pk IN (every visible person)` makes PostgreSQL compute a force's worth
of people to check one id."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import YoungPerson
from cases.selectors import cases_visible_to, people_visible_to
from custody.clock.selectors import items_visible_to
from tests.factories.cases import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

# A person or case id tested against a whole subquery: the set-shaped check.
SET_CHECK = re.compile(r'"(id|merged_into_id|person_id|case_id)" IN \(SELECT', re.IGNORECASE)


def _person_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries if 'FROM "cases_youngperson"' in q["sql"]]


@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("officer_a", "cases:person_detail"),
        ("supervisor", "cases:person_detail"),
        ("officer_a", "cases:person_chronology"),
        ("supervisor", "cases:person_viewers"),  # who viewed: supervisors and the force lead only
    ],
)
def test_person_pages_check_scope_on_the_one_record(personas, persona, url_name):
    person = YoungPersonFactory()
    CaseFactory(person=person, owner=personas.officer_a)
    client = personas.client(persona)
    queries = _person_queries(client, reverse(url_name, args=[person.pk]))
    scope_checks = [q for q in queries if "EXISTS" in q]
    assert scope_checks, queries
    for sql in queries:
        assert not SET_CHECK.search(sql), sql


def test_tombstone_is_checked_through_its_survivor_alone(personas):
    survivor = YoungPersonFactory()
    CaseFactory(person=survivor, owner=personas.officer_a)
    tombstone = YoungPersonFactory(merged_into=survivor)
    client = personas.client("officer_a")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cases:person_detail", args=[tombstone.pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"/people/{survivor.pk}/")
    for q in ctx.captured_queries:
        assert not SET_CHECK.search(q["sql"]), q["sql"]
    assert personas.client("officer_b").get(reverse("cases:person_detail", args=[tombstone.pk])).status_code == 404


def test_one_rule_lists_and_checks_alike(personas):
    """Whatever the list holds is exactly what a record-by-record check lets through."""
    mine = YoungPersonFactory()
    CaseFactory(person=mine, owner=personas.officer_a)
    theirs = YoungPersonFactory()
    CaseFactory(person=theirs, owner=personas.officer_b)
    new_here = YoungPersonFactory(created_by_team=personas.team_a)
    new_there = YoungPersonFactory(created_by_team=personas.team_b)
    merged_mine = YoungPersonFactory(merged_into=mine)
    merged_theirs = YoungPersonFactory(merged_into=theirs)
    expected = {
        "officer_a": {mine, new_here, merged_mine},
        "officer_b": {theirs, new_there, merged_theirs},
        "supervisor": {mine, new_here, merged_mine},
        "partner": set(),
    }
    everyone = [mine, theirs, new_here, new_there, merged_mine, merged_theirs]
    for persona, seen in expected.items():
        user = getattr(personas, persona)
        assert set(people_visible_to(user)) == seen, persona
        for person in everyone:
            assert people_visible_to(user).filter(pk=person.pk).exists() == (person in seen), (persona, person)
    assert set(people_visible_to(personas.force_lead)) == set(YoungPerson.objects.all())


def test_records_hanging_off_a_case_are_scoped_by_a_join(personas):
    sql = str(items_visible_to(personas.officer_a).filter(pk=1).query)
    assert not SET_CHECK.search(sql), sql
    sql = str(cases_visible_to(personas.supervisor).filter(pk=1).query)
    assert not SET_CHECK.search(sql), sql


@pytest.mark.skipif(connection.vendor != "postgresql", reason="JIT is a PostgreSQL setting")
def test_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
