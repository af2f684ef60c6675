"""Pages named by the force-scale measurement run the same number of queries with a few
records or many: the review queue, "who viewed this record" and the audit search (the
case list, home, person, chronology and case pages are in tests/cases/test_queries.py,
the clocks page in tests/custody/clock/test_clocks_pages.py)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from tests.factories.cases import CaseFactory, YoungPersonFactory
from tests.factories.custody import CustodyImportFactory, CustodyImportRowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def still_clock():
    """A stopped clock: the session's periodic activity stamp stays out of both counts."""
    with time_machine.travel(timezone.now(), tick=False):
        yield


def _count(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, data or {}).status_code == 200
    return len(ctx.captured_queries)


def _flat(client, url, grow, data=None, django_assert_max_num_queries=None):
    grow(3)
    client.get(url, data or {})  # the session's first request stamps it
    small = _count(client, url, data)
    grow(60)
    with django_assert_max_num_queries(small):
        assert client.get(url, data or {}).status_code == 200


@pytest.mark.parametrize("persona", ["officer_a", "supervisor", "force_lead"])
def test_review_queue(personas, persona, django_assert_max_num_queries):
    batch = CustodyImportFactory(uploaded_by=personas.officer_a)

    def grow(n):
        for _ in range(n):
            person = YoungPersonFactory()
            CaseFactory(person=person, owner=personas.officer_b)  # matched, out of scope for some
            CustodyImportRowFactory(batch=batch, matched_person=person)

    _flat(personas.client(persona), reverse("custody:review"), grow, None, django_assert_max_num_queries)


@pytest.mark.parametrize("persona", ["supervisor", "force_lead"])
def test_who_viewed(personas, persona, django_assert_max_num_queries):
    person = YoungPersonFactory()
    CaseFactory(person=person, owner=personas.officer_a)

    def grow(n):
        for i in range(n):
            case = CaseFactory(person=person, owner=personas.officer_a if i % 2 else personas.officer_b)
            for actor in (personas.officer_a, personas.officer_b):
                audit_record(action=AuditEvent.Action.VIEW, actor=actor, obj=case)
                audit_record(action=AuditEvent.Action.VIEW, actor=actor, obj=person)

    url = reverse("cases:person_viewers", args=[person.pk])
    _flat(personas.client(persona), url, grow, None, django_assert_max_num_queries)


@pytest.mark.parametrize("filters", [{}, {"object_type": "cases.case"}, {"user": "alice@testshire.example"}])
def test_audit_search(personas, filters, django_assert_max_num_queries):
    def grow(n):
        for i in range(n):
            actor = personas.officer_a if i % 2 else personas.officer_b
            audit_record(action=AuditEvent.Action.VIEW, actor=actor, object_type="cases.case", object_id=i)

    _flat(personas.client("force_lead"), reverse("audit:search"), grow, filters, django_assert_max_num_queries)
