"""The clocks page is paginated: a bounded number of rows a page, in a stable order,
counts over every page, and the same number of queries however many items are open."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from custody.clock import selectors
from custody.models import ChecklistItem, ItemStatus
from tests.custody.clock.helpers import make_case, start_checklist

pytestmark = pytest.mark.django_db

URL = reverse("custody:clocks")


@pytest.fixture(autouse=True)
def still_clock():
    """A stopped clock, so no item changes group between two requests."""
    with time_machine.travel(timezone.now(), tick=False):
        yield


def _grow(personas, n, start=0):
    for i in range(start, start + n):
        start_checklist(
            case=make_case(owner=personas.officer_a, given=f"Clock{i}"),
            by=personas.officer_a,
            released_at=timezone.now() - timedelta(hours=i % 6),
        )


def _shown(response) -> list[int]:
    board = response.context["board"]
    return [item.pk for item in [*board.overdue, *board.due_soon, *board.later]]


def test_pages_are_bounded_stable_and_cover_every_open_item(personas):
    _grow(personas, 10)
    pending = set(ChecklistItem.objects.filter(status=ItemStatus.PENDING).values_list("pk", flat=True))
    assert len(pending) > selectors.CLOCKS_PER_PAGE
    client = personas.client("supervisor")
    first = client.get(URL)
    assert first.status_code == 200
    assert len(_shown(first)) == selectors.CLOCKS_PER_PAGE
    assert first.context["counts"].total == len(pending)
    assert 'class="govuk-pagination"' in first.content.decode()
    assert _shown(client.get(URL)) == _shown(first)  # the same page twice: the same rows
    seen = []
    for number in range(1, first.context["page"].paginator.num_pages + 1):
        seen += _shown(client.get(URL, {"page": number}))
    assert len(seen) == len(set(seen)) and set(seen) == pending
    due = [ChecklistItem.objects.get(pk=pk).due_at for pk in seen]
    assert due == sorted(due)


def test_counts_cover_every_page_not_only_the_one_shown(personas):
    _grow(personas, 10)
    now = timezone.now()
    counts = personas.client("force_lead").get(URL).context["counts"]
    items = list(ChecklistItem.objects.filter(status=ItemStatus.PENDING))
    overdue = sum(1 for i in items if i.due_at < now)
    soon = sum(1 for i in items if now <= i.due_at <= now + selectors.due_soon_window())
    assert (counts.overdue, counts.due_soon, counts.later) == (overdue, soon, len(items) - overdue - soon)
    assert counts.overdue and counts.due_soon and counts.later


def test_the_team_filter_travels_with_the_pages(personas):
    _grow(personas, 10)
    page = personas.client("force_lead").get(URL, {"team": personas.team_a.pk}).content.decode()
    assert f"?team={personas.team_a.pk}&amp;page=2" in page


@pytest.mark.parametrize("persona", ["officer_a", "supervisor", "force_lead"])
def test_the_clocks_page_does_not_grow_with_items(personas, persona, django_assert_max_num_queries):
    client = personas.client(persona)
    _grow(personas, 2)
    client.get(URL)  # the session's first request stamps it
    with CaptureQueriesContext(connection) as ctx:
        client.get(URL)
    small = len(ctx.captured_queries)
    _grow(personas, 10, start=2)
    with django_assert_max_num_queries(small):
        response = client.get(URL)
    assert len(_shown(response)) == selectors.CLOCKS_PER_PAGE


def test_the_home_panel_lists_the_most_urgent_few_and_says_how_many_more(personas, django_assert_max_num_queries):
    _grow(personas, 2)
    ChecklistItem.objects.filter(status=ItemStatus.PENDING).update(due_at=timezone.now() - timedelta(minutes=5))
    client = personas.client("supervisor")
    client.get(reverse("core:home"))  # the session's first request stamps it
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("core:home"))
    small = len(ctx.captured_queries)
    _grow(personas, 6, start=2)
    ChecklistItem.objects.filter(status=ItemStatus.PENDING).update(due_at=timezone.now() - timedelta(minutes=5))
    pending = ChecklistItem.objects.filter(status=ItemStatus.PENDING).count()
    assert pending > selectors.HOME_PANEL_ROWS
    with django_assert_max_num_queries(small):
        page = client.get(reverse("core:home")).content.decode()
    panel = page[page.index("app-clock-panel") :]
    assert panel.count("govuk-tag--red") == selectors.HOME_PANEL_ROWS
    assert f"And {pending - selectors.HOME_PANEL_ROWS} more overdue or due soon." in page


def test_the_page_joins_only_its_own_rows_and_counts_once(personas):
    """The rows shown are chosen in a subquery with the page's LIMIT, and only they are joined
    to their case and person (joined before the limit, every open item of the teams was); the
    open items are counted once, by the overdue / due soon / later aggregate."""
    _grow(personas, 6)
    client = personas.client("supervisor")
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"page": 2}).status_code == 200
    items = [q["sql"] for q in queries.captured_queries if 'FROM "custody_checklistitem"' in q["sql"]]
    joined = [sql for sql in items if 'JOIN "cases_youngperson"' in sql]
    assert len(joined) == 1, joined
    subquery = joined[0].split("IN (SELECT", 1)[1]
    assert re.search(rf"LIMIT \d+ OFFSET {selectors.CLOCKS_PER_PAGE}\)", subquery), subquery
    assert len([sql for sql in items if "COUNT(" in sql]) == 1, items


def test_random_page_cost_is_set_for_the_ssd_backed_database():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == pytest.approx(1.1)
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
