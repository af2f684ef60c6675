"""The case list counts at most CASE_LIST_CAP cases: beyond it the page says "more than"
and asks for a filter, and the count's SQL stops at the cap (its cost does not grow with
the force's records)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.views import cases as case_views
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_three(monkeypatch):
    monkeypatch.setattr(case_views, "CASE_LIST_CAP", 3)
    monkeypatch.setattr(case_views, "CASES_PER_PAGE", 2)


def test_under_the_cap_the_exact_number_is_shown(personas, cap_of_three):
    CaseFactory.create_batch(2, owner=personas.officer_a)
    html = personas.client("officer_a").get(reverse("cases:case_list")).content.decode()
    assert "2 cases</caption>" in html
    assert "cases-capped" not in html


def test_over_the_cap_the_list_says_more_than_and_offers_only_the_capped_pages(personas, cap_of_three):
    cases = CaseFactory.create_batch(5, owner=personas.officer_a)
    client = personas.client("officer_a")
    html = client.get(reverse("cases:case_list")).content.decode()
    assert "More than 3 cases</caption>" in html
    assert 'id="cases-capped"' in html
    assert "Choose a team, status or risk level" in html
    assert "Page 1 of 2" in html
    # A page past the cap is the last capped page: the oldest two cases are not offered.
    last = client.get(reverse("cases:case_list"), {"page": 3}).content.decode()
    assert "Page 2 of 2" in last
    newest_first = sorted(cases, key=lambda c: (c.opened_at, c.pk), reverse=True)
    assert newest_first[2].reference in last
    assert newest_first[3].reference not in last


def test_the_count_stops_at_the_cap(personas, cap_of_three):
    CaseFactory.create_batch(5, owner=personas.officer_a)
    with CaptureQueriesContext(connection) as queries:
        personas.client("force_lead").get(reverse("cases:case_list"))
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and "cases_case" in q["sql"]]
    assert counts, "the case list counts its cases"
    assert all("LIMIT 4" in sql for sql in counts), counts


def test_a_filter_under_the_cap_shows_the_exact_number(personas, cap_of_three):
    CaseFactory.create_batch(4, owner=personas.officer_a, risk_level="low")
    CaseFactory(owner=personas.officer_a, risk_level="high")
    html = personas.client("officer_a").get(reverse("cases:case_list"), {"risk": "high"}).content.decode()
    assert "1 case</caption>" in html
    assert "cases-capped" not in html
