"""Search ranks its candidates before it limits them: among thousands of similar names,
the misspelled person typed is still found (an unordered LIMIT cut them)."""

from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from cases import names, search
from cases.models import Alias, YoungPerson
from tests.factories.cases import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

GIVEN = ["Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar", "Charlie", "Thomas"]
FAMILY = ["Smith", "Smyth", "Smithe", "Smithson", "Schmidt"]


def _crowd(n: int) -> None:
    """n people all matching "Smith" (a variant, a close spelling or the Soundex key)."""
    people = []
    for i in range(n):
        person = YoungPersonFactory.build(given_name=GIVEN[i % len(GIVEN)], family_name=FAMILY[i % len(FAMILY)])
        person.given_name_norm = names.normalise(person.given_name)
        person.family_name_norm = names.normalise(person.family_name)
        person.full_name_norm = names.normalise(f"{person.given_name} {person.family_name}")
        person.name_keys = names.name_keys(person.full_name_norm)
        people.append(person)
    YoungPerson.objects.bulk_create(people)


@pytest.fixture
def target(personas):
    _crowd(2000)
    # Created last: an unordered scan meets it after the first few hundred candidates.
    return CaseFactory(
        owner=personas.officer_a, person=YoungPersonFactory(given_name="Kayden", family_name="Smith")
    ).person


def test_misspelled_name_found_among_two_thousand_similar(personas, target):
    assert search.search_people(user=personas.officer_a, name="Kaiden Smith")[0].person == target
    assert target.pk in search._ids_by_name("Kaydon Smyth")


def test_the_embedded_database_ranks_in_python_before_the_limit(personas, target, monkeypatch):
    """The SQLite fallback (no pg_trgm): the same filter without trigrams, ranked in Python."""
    monkeypatch.setattr(search, "connection", SimpleNamespace(vendor="sqlite"))
    monkeypatch.setattr(search, "CANDIDATE_LIMIT", 50)
    assert target.pk in search._ids_by_name("Kayden Smith")
    assert target.pk in search._ids_by_name("Kaiden Smith")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm indexes are PostgreSQL's")
def test_every_branch_of_the_candidate_query_can_use_an_index(personas, target):
    """With sequential scans priced out, a plan without one exists only if every OR
    branch of the name filter is served by an index (one unindexed branch forces a scan)."""
    querysets = [
        model.objects.filter(search._name_filter(fields, "Kaiden Smith", every_word=every_word))
        for model, fields in ((YoungPerson, search._PERSON), (Alias, search._ALIAS))
        for every_word in (False, True)
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for queryset in querysets:
            plan = queryset.explain()
            assert "Seq Scan" not in plan, plan
            assert "_trgm" in plan, plan


def _people(*names_):
    for full in names_:
        given, family = full.split(" ", 1)
        YoungPersonFactory(given_name=given, family_name=family)


def _whole_name_queries(queries) -> list[str]:
    """The broad candidate queries: they ask whether the whole name is similar."""
    return [q["sql"] for q in queries if '"cases_youngperson"."full_name_norm" % ' in q["sql"]]


def test_names_like_every_typed_word_are_enough_when_they_fill_a_page(personas, settings):
    """Thousands of Smiths are like "Smith" by one word; when the Kayden Smiths alone fill a
    page of results the one-word candidates are not asked for (nor ranked)."""
    from django.test.utils import CaptureQueriesContext

    settings.SEARCH_MAX_RESULTS = 5
    _crowd(200)
    _people(*["Kayden Smith"] * 4, "Kaden Smyth", "Kayden Jones")
    with CaptureQueriesContext(connection) as queries:
        results = search.search_people(user=personas.officer_a, name="Kaydn Smyth")
    assert len(results) == 5
    assert {r.person.given_name for r in results} == {"Kayden", "Kaden"}
    assert {r.person.family_name for r in results} <= {"Smith", "Smyth"}
    assert _whole_name_queries(queries.captured_queries) == []


def test_fewer_than_a_page_like_every_word_asks_for_names_like_any_word(personas, settings):
    """Few people are like both words: the broad candidates (the whole name similar, or
    any one word like a name word) are asked for too, and ranked with them."""
    from django.test.utils import CaptureQueriesContext

    settings.SEARCH_MAX_RESULTS = 5
    _people("Kayden Smith", "Kayden Jones", "Tia Smith")
    with CaptureQueriesContext(connection) as queries:
        results = search.search_people(user=personas.officer_a, name="Kayden Smith")
    assert [f"{r.person.given_name} {r.person.family_name}" for r in results][0] == "Kayden Smith"
    assert _whole_name_queries(queries.captured_queries)
