"""The any_of lookup: many ids as one array parameter on PostgreSQL, the same rows as IN."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_rows_in_the_list_with_one_parameter(personas):
    wanted = CaseFactory.create_batch(3, owner=personas.officer_a)
    CaseFactory(owner=personas.officer_a)  # not in the list
    ids = [case.pk for case in wanted]
    with CaptureQueriesContext(connection) as queries:
        found = set(Case.objects.filter(pk__any_of=ids).values_list("pk", flat=True))
    assert found == set(ids) == set(Case.objects.filter(pk__in=ids).values_list("pk", flat=True))
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and "IN (" not in sql


def test_any_of_on_a_foreign_key_and_an_empty_list(personas):
    case = CaseFactory(owner=personas.officer_a)
    assert list(Case.objects.filter(person_id__any_of=[case.person_id])) == [case]
    assert list(Case.objects.filter(pk__any_of=[])) == []
