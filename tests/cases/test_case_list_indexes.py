"""The case list and home sort on indexed columns, and the case page finds the cases
sharing its deal lines and crime groups through the link tables, not a scan of cases."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.selectors import case_list_for
from tests.factories.cases import CaseFactory, CrimeGroupFactory, DealLineFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]


def _plan(queryset) -> str:
    """The plan PostgreSQL picks when sorting and scanning are priced out: it names an
    index only if one can hand over the page already in order."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return queryset.explain()


def test_the_force_leads_open_case_list_reads_an_index_in_order(personas):
    CaseFactory(owner=personas.officer_a)
    plan = _plan(case_list_for(personas.force_lead, open_only=True)[:50])
    assert "case_open_opened_idx" in plan and "Sort" not in plan, plan
    plan = _plan(case_list_for(personas.force_lead)[:50])
    assert "case_opened_idx" in plan and "Sort" not in plan, plan


def test_one_teams_case_list_reads_an_index_in_order(personas):
    CaseFactory(owner=personas.officer_a)
    plan = _plan(case_list_for(personas.supervisor, team_id=personas.team_a.pk)[:50])
    assert "case_team_opened_idx" in plan and "Sort" not in plan, plan


def test_the_case_page_finds_linked_cases_without_an_or_across_both_links(personas):
    line, group = DealLineFactory(), CrimeGroupFactory()
    case = CaseFactory(owner=personas.officer_a)
    case.deal_lines.add(line)
    case.crime_groups.add(group)
    by_line, by_group = CaseFactory(owner=personas.officer_a), CaseFactory(owner=personas.officer_b)
    by_line.deal_lines.add(line)
    by_group.crime_groups.add(group)
    client = personas.client("officer_a")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 200
    for query in ctx.captured_queries:
        sql = query["sql"]
        assert not ("cases_case_deal_lines" in sql and "cases_case_crime_groups" in sql), sql
    page = response.content.decode()
    assert by_line.person.full_name in page  # in scope: shown
    assert by_group.person.full_name not in page and personas.team_b.name in page  # only who to contact
