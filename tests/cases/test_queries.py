"""List, person and home pages run a bounded number of queries: 5 records or 200, the same."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories.cases import (
    AliasFactory,
    CaseFactory,
    DealLineFactory,
    ManualEntryFactory,
    MissingEpisodeFactory,
    TaskFactory,
    VoiceEntryFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db

LIMIT = 40


@pytest.fixture(autouse=True)
def still_clock():
    """A stopped clock, so the session's once-every-few-seconds activity stamp (a constant
    cost, not a per-record one) does not land in one measurement and not the other."""
    with time_machine.travel(timezone.now(), tick=False):
        yield


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow_cases(personas, n):
    line = DealLineFactory()
    for _ in range(n):
        case = CaseFactory(owner=personas.officer_a)
        TaskFactory(case=case, due_at=case.opened_at)  # overdue
        case.deal_lines.add(line)


@pytest.mark.parametrize("url_name", ["cases:case_list", "core:home"])
@pytest.mark.parametrize("persona", ["officer_a", "supervisor", "force_lead"])
def test_list_and_home_pages_do_not_grow_with_records(personas, django_assert_max_num_queries, url_name, persona):
    client = personas.client(persona)
    url = reverse(url_name)
    _grow_cases(personas, 5)
    client.get(url)  # the first request of a session stamps it; measure the ones after
    small = _count(client, url)
    assert small <= LIMIT
    _grow_cases(personas, 195)
    with django_assert_max_num_queries(small):
        client.get(url)


def _grow_person(person, personas, n):
    for _ in range(n):
        case = CaseFactory(person=person, owner=personas.officer_a)
        ManualEntryFactory(case=case)
        MissingEpisodeFactory(case=case)
        VoiceEntryFactory(case=case)
        AliasFactory(person=person)
    for _ in range(n // 5):
        CaseFactory(person=person, owner=personas.officer_b)  # other records held


@pytest.mark.parametrize(
    "url_name", ["cases:person_detail", "cases:person_chronology", "cases:person_chronology_print"]
)
def test_person_pages_do_not_grow_with_records(personas, django_assert_max_num_queries, url_name):
    person = YoungPersonFactory()
    client = personas.client("officer_a")
    url = reverse(url_name, args=[person.pk])
    _grow_person(person, personas, 5)
    client.get(url)
    small = _count(client, url)
    _grow_person(person, personas, 195)
    with django_assert_max_num_queries(small):
        client.get(url)
    assert small <= LIMIT


def test_case_page_and_search_do_not_grow(personas, django_assert_max_num_queries):
    line = DealLineFactory()
    case = CaseFactory(owner=personas.officer_a)
    case.deal_lines.add(line)

    def grow(n):
        for _ in range(n):
            other = CaseFactory(owner=personas.officer_a, person=YoungPersonFactory(family_name="Samename"))
            other.deal_lines.add(line)
            TaskFactory(case=case)
            MissingEpisodeFactory(case=case)

    client = personas.client("officer_a")
    url = reverse("cases:case_detail", args=[case.pk])
    grow(5)
    client.get(url)
    small = _count(client, url)
    grow(60)
    with django_assert_max_num_queries(small):
        client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.post(reverse("cases:search"), {"name": "Samename"})
    few = len(ctx.captured_queries)
    grow(60)
    with django_assert_max_num_queries(few):
        client.post(reverse("cases:search"), {"name": "Samename"})
