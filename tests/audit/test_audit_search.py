"""The audit log search page for force leads."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

pytestmark = pytest.mark.django_db

SEARCH = reverse("audit:search")
Action = AuditEvent.Action


@pytest.fixture
def events(personas):
    """A few rows on known days, by known people."""
    rows = {}
    with time_machine.travel(datetime.fromisoformat("2025-01-10 10:00:00+00:00"), tick=False):
        rows["alice_view"] = audit_record(
            action=Action.VIEW, actor=personas.officer_a, object_type="cases.case", object_id=11
        )
    with time_machine.travel(datetime.fromisoformat("2025-02-10 10:00:00+00:00"), tick=False):
        rows["bob_update"] = audit_record(
            action=Action.UPDATE, actor=personas.officer_b, object_type="cases.case", object_id=12
        )
        rows["bob_view_user"] = audit_record(
            action=Action.VIEW, actor=personas.officer_b, object_type="accounts.user", object_id=11
        )
    with time_machine.travel(datetime.fromisoformat("2025-03-10 10:00:00+00:00"), tick=False):
        rows["failed"] = audit_record(action=Action.SIGN_IN_FAILED, actor_email="mallory@example.com")
    return rows


def found(response) -> set[int]:
    assert response.status_code == 200
    return {e.pk for e in response.context["page"].object_list}


def ids(events, *names) -> set[int]:
    return {events[n].pk for n in names}


@pytest.fixture
def lead(personas):
    return personas.client("force_lead")


def test_force_lead_sees_the_whole_log_and_the_listing_is_logged(lead, events, personas):
    response = lead.get(SEARCH)
    listed = AuditEvent.objects.get(action=Action.LIST, object_type="audit.auditevent")
    assert listed.actor_id == personas.force_lead.pk
    # Every row, the listing's own row included, newest first.
    assert found(response) == set(AuditEvent.objects.values_list("pk", flat=True))
    assert found(response) >= ids(events, "alice_view", "bob_update", "bob_view_user", "failed") | {listed.pk}
    shown = [(e.at, e.pk) for e in response.context["page"]]
    assert shown == sorted(shown, reverse=True)


def test_filter_by_user(lead, events, personas):
    response = lead.get(SEARCH, {"user": personas.officer_b.email.upper()})
    assert found(response) == ids(events, "bob_update", "bob_view_user")


def test_filter_by_the_email_of_a_failed_sign_in(lead, events):
    assert found(lead.get(SEARCH, {"user": "mallory@example.com"})) == ids(events, "failed")


def test_filter_by_action(lead, events):
    assert found(lead.get(SEARCH, {"action": "update"})) == ids(events, "bob_update")


def test_filter_by_record_type_and_id(lead, events):
    assert found(lead.get(SEARCH, {"object_type": "cases.case", "object_id": "11"})) == ids(events, "alice_view")
    assert found(lead.get(SEARCH, {"object_id": "11"})) == ids(events, "alice_view", "bob_view_user")


def test_filter_by_dates(lead, events):
    response = lead.get(SEARCH, {"date_from": "01/02/2025", "date_to": "10/02/2025"})
    assert found(response) == ids(events, "bob_update", "bob_view_user")
    response = lead.get(SEARCH, {"date_from": "2025-03-10"})
    assert ids(events, "failed") <= found(response)
    assert not ids(events, "alice_view", "bob_update") & found(response)


def test_the_end_date_counts_the_whole_day_in_london_time(lead, personas):
    # 23:30 on 1 July in London is 22:30 UTC: it belongs to 1 July.
    with time_machine.travel(datetime.fromisoformat("2025-07-01 22:30:00+00:00"), tick=False):
        late = audit_record(action=Action.EXPORT, actor=personas.officer_a)
    assert late.pk in found(lead.get(SEARCH, {"action": "export", "date_to": "01/07/2025"}))
    assert late.pk not in found(lead.get(SEARCH, {"action": "export", "date_from": "02/07/2025"}))


def test_a_search_is_itself_logged_with_its_terms(lead, events, personas):
    lead.get(SEARCH, {"user": personas.officer_b.email, "action": "view", "object_id": "11"})
    search = AuditEvent.objects.get(action=Action.SEARCH)
    assert search.actor_id == personas.force_lead.pk
    assert search.object_type == "audit.auditevent"
    assert search.detail == {"user": personas.officer_b.email, "action": "view", "object_id": "11"}


def test_an_end_date_before_the_start_is_an_error_and_searches_nothing(lead, events):
    response = lead.get(SEARCH, {"date_from": "10/02/2025", "date_to": "01/02/2025"})
    assert response.status_code == 200
    assert b"The end date must be the same as or after the start date" in response.content
    assert response.context["page"] is None
    assert not AuditEvent.objects.filter(action=Action.SEARCH).exists()


@pytest.mark.parametrize("persona", ["officer_a", "supervisor", "partner", "admin"])
def test_other_roles_cannot_read_the_log(personas, events, persona):
    response = personas.client(persona).get(SEARCH, {"user": "mallory@example.com"})
    assert response.status_code == 403
    assert b"mallory" not in response.content


def test_the_search_page_has_bounded_queries(lead, personas, django_assert_max_num_queries):
    for i in range(60):
        audit_record(action=Action.VIEW, actor=personas.officer_a, object_type="cases.case", object_id=i)
    with django_assert_max_num_queries(12):
        response = lead.get(SEARCH, {"action": "view"})
    assert len(response.context["page"].object_list) == 50


def test_older_pages_follow_on_without_gaps_or_repeats(lead, personas):
    """Keyset pages: each "Older events" link starts after the last row shown, rows sharing
    one instant included, until the oldest; no page counts the whole log."""
    from datetime import timedelta

    from django.utils import timezone

    from safeguarding.audit.selectors import PAGE_SIZE

    instant = timezone.now() - timedelta(days=1)
    for i in range(PAGE_SIZE * 2 + 5):
        # Half of them at one instant: the id breaks the tie.
        AuditEvent.objects.create(
            action=Action.VIEW, actor_email="bulk@example.com", at=instant if i % 2 else instant - timedelta(seconds=i)
        )
    seen: list[int] = []
    params = {"user": "bulk@example.com"}
    while True:
        page = lead.get(SEARCH, params).context["page"]
        seen += [e.pk for e in page]
        if not page.older:
            break
        params = {"user": "bulk@example.com", "before": page.older}
    expected = list(
        AuditEvent.objects.filter(actor_email="bulk@example.com").order_by("-at", "-id").values_list("pk", flat=True)
    )
    assert seen == expected


def test_a_mangled_cursor_shows_the_newest_page(lead, events):
    response = lead.get(SEARCH, {"before": "not-a-time~x"})
    assert response.status_code == 200
    assert response.context["page"].is_first
