"""Custody events entered by hand (young people met on operations), edited, and shown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from custody.models import Checklist, CustodyEvent
from custody.review import services
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import CaseFactory
from tests.factories.custody import CustodyEventFactory, arrest_time

pytestmark = pytest.mark.django_db


def local(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def form(**overrides) -> dict[str, str]:
    arrested = arrest_time(days_ago=2, hour=21, minute=5)
    data = {
        "operation_name": "Operation Testbed",
        "custody_number": "ws 777",
        "custody_suite": "Westshire Central",
        "arrested_at": local(arrested),
        "offences": "PWITS Class A",
        "appropriate_adult_name": "Jo Testparent",
        "appropriate_adult_relationship": "Mother",
        "appropriate_adult_at": local(arrested + timedelta(hours=2)),
        "interviewed_at": local(arrested + timedelta(hours=3)),
        "interview_notes": "No comment interview.",
        "outcome": "charged",
        "s38_transfer": "transferred",
        "s38_impracticable_reason": "",
        "released_at": "",
        "released_to": "",
        "released_where": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_an_officer_records_a_custody_event_by_hand(personas):
    case = CaseFactory(owner=personas.officer_a)
    client = personas.client("officer_a")
    response = client.post(reverse("custody:event_create", args=[case.pk]), form())
    event = CustodyEvent.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert (event.case, event.person, event.source, event.custody_number) == (case, case.person, "manual", "WS777")
    assert (event.appropriate_adult_name, event.outcome, event.s38_transfer) == (
        "Jo Testparent",
        "charged",
        "transferred",
    )
    assert event.operation_name == "Operation Testbed"
    assert AuditEvent.objects.filter(
        object_type="custody.custodyevent", object_id=str(event.pk), action="create"
    ).exists()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Jo Testparent (Mother)" in page and "Transferred to local-authority accommodation" in page
    assert AuditEvent.objects.filter(object_id=str(event.pk), action="view").exists()


def test_a_bad_event_keeps_what_was_typed_and_says_what_to_fix(personas):
    case = CaseFactory(owner=personas.officer_a)
    arrested = arrest_time(days_ago=1)
    data = form(
        arrested_at=local(arrested),
        released_at=local(arrested - timedelta(hours=1)),
        s38_transfer="impracticable",
        offences="Typed offence text",
    )
    response = personas.client("officer_a").post(reverse("custody:event_create", args=[case.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Release time must be after the arrest time" in page
    assert "Give the reason a transfer was impracticable" in page
    assert "Typed offence text" in page
    assert not CustodyEvent.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("2024-10-27T01:30", "happened twice"), ("2024-03-31T01:30", "did not happen"), ("yesterday", "Enter a date")],
)
def test_clock_change_and_unreadable_times_are_refused_not_guessed(personas, typed, message):
    case = CaseFactory(owner=personas.officer_a)
    response = personas.client("officer_a").post(
        reverse("custody:event_create", args=[case.pk]), form(arrested_at=typed)
    )
    assert message in response.content.decode()
    assert not CustodyEvent.objects.exists()


def test_recording_a_release_starts_the_48_hour_checklist(personas):
    case = CaseFactory(owner=personas.officer_a)
    # Relative to now (never "today at a fixed hour", which is in the future just after midnight).
    arrested = timezone.now() - timedelta(hours=3)
    event = services.custody_event_create(
        actor=personas.officer_a,
        case=case,
        data={"arrested_at": arrested, "released_at": arrested + timedelta(minutes=30), "outcome": "rui"},
    )
    assert Checklist.objects.filter(custody_event=event).count() == 1


def test_a_remand_does_not_start_the_clock_until_the_release_is_recorded(personas):
    case = CaseFactory(owner=personas.officer_a)
    event = services.custody_event_create(
        actor=personas.officer_a, case=case, data={"arrested_at": arrest_time(days_ago=1), "outcome": "remanded"}
    )
    assert not Checklist.objects.exists()
    client = personas.client("officer_a")
    assert "Remanded: clock not started" in client.get(event.get_absolute_url()).content.decode()
    response = client.post(
        reverse("custody:event_update", args=[event.pk]),
        form(
            arrested_at=local(event.arrested_at),
            outcome="remanded",
            s38_transfer="not_applicable",
            released_at=local(timezone.now() - timedelta(minutes=5)),
            # Said outright, as the officer would in the hour that happens twice (used only then).
            released_at_zone="BST" if timezone.localtime().utcoffset() else "GMT",
            released_to="Foster carer",
            version=1,
        ),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.released_to == "Foster carer" and event.version == 2
    assert Checklist.objects.filter(custody_event=event).count() == 1


def test_an_edit_on_top_of_someone_elses_is_refused_keeping_the_typed_values(personas):
    case = CaseFactory(owner=personas.officer_a)
    event = CustodyEventFactory(case=case)
    services.custody_event_update(
        actor=personas.officer_a2, event=event, data={"notes": "First edit"}, expected_version=1
    )
    response = personas.client("officer_a").post(
        reverse("custody:event_update", args=[event.pk]),
        form(arrested_at=local(event.arrested_at), notes="My late edit", s38_transfer="not_applicable", version=1),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this custody event" in page and "My late edit" in page
    event.refresh_from_db()
    assert event.notes == "First edit"


def test_the_same_custody_number_and_arrest_time_cannot_be_recorded_twice(personas):
    case = CaseFactory(owner=personas.officer_a)
    event = CustodyEventFactory(case=case, custody_number="WS777")
    response = personas.client("officer_a").post(
        reverse("custody:event_create", args=[case.pk]),
        form(custody_number="ws777", arrested_at=local(event.arrested_at)),
    )
    assert "already recorded" in response.content.decode()
    assert CustodyEvent.objects.count() == 1


def test_the_case_page_lists_custody_events_with_a_link_to_record_one(personas):
    case = CaseFactory(owner=personas.officer_a)
    event = CustodyEventFactory(case=case)
    page = personas.client("officer_a").get(case.get_absolute_url()).content.decode()
    assert event.custody_number in page
    assert reverse("custody:event_create", args=[case.pk]) in page
    page = personas.client("force_lead").get(case.get_absolute_url()).content.decode()
    assert event.custody_number in page
    assert reverse("custody:event_create", args=[case.pk]) not in page


def test_events_outside_scope_answer_404_and_are_audited(personas):
    event = CustodyEventFactory(case=CaseFactory(owner=personas.officer_a))
    client = personas.client("officer_b")
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.post(reverse("custody:event_update", args=[event.pk]), form()).status_code == 404
    assert AuditEvent.objects.filter(action="access_denied", object_id=str(event.pk)).exists()


def test_a_closed_case_takes_no_new_custody_event(personas):
    case = CaseFactory(owner=personas.officer_a, status="closed", closed_at=timezone.now())
    response = personas.client("officer_a").get(reverse("custody:event_create", args=[case.pk]))
    assert response.status_code == 302


# --- The night the clocks go back: 01:00-02:00 happens twice -------------------------------

NIGHT_CLOCKS_GO_BACK = datetime(2026, 10, 25, 2, 40, tzinfo=UTC)  # 02:40 GMT, after both 01:25s


@pytest.fixture
def remand_on_the_night_the_clocks_go_back(personas):
    with time_machine.travel(NIGHT_CLOCKS_GO_BACK, tick=True):
        case = CaseFactory(owner=personas.officer_a)
        event = services.custody_event_create(
            actor=personas.officer_a,
            case=case,
            data={"arrested_at": datetime(2026, 10, 24, 20, 0, tzinfo=UTC), "outcome": "remanded"},
        )
        yield event


def _release(client, event, **fields):
    return client.post(
        reverse("custody:event_update", args=[event.pk]),
        form(
            arrested_at=local(event.arrested_at), outcome="remanded", s38_transfer="not_applicable", version=1, **fields
        ),
    )


def test_a_release_time_that_happened_twice_asks_bst_or_gmt_and_keeps_what_was_typed(
    personas, remand_on_the_night_the_clocks_go_back
):
    event = remand_on_the_night_the_clocks_go_back
    response = _release(personas.client("officer_a"), event, released_at="2026-10-25T01:25", released_to="Gran")
    page = response.content.decode()
    assert response.status_code == 200
    assert "happened twice in the UK" in page and "Choose whether it was BST or GMT" in page
    assert 'name="released_at_zone"' in page and 'value="BST"' in page and 'value="GMT"' in page
    assert 'value="2026-10-25T01:25"' in page and "Gran" in page
    event.refresh_from_db()
    assert event.released_at is None and not Checklist.objects.exists()


@pytest.mark.parametrize(("zone", "expected"), [("BST", (0, 25)), ("GMT", (1, 25))])
def test_choosing_bst_or_gmt_beside_the_time_records_that_instant(
    personas, remand_on_the_night_the_clocks_go_back, zone, expected
):
    event = remand_on_the_night_the_clocks_go_back
    response = _release(personas.client("officer_a"), event, released_at="2026-10-25T01:25", released_at_zone=zone)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.released_at == datetime(2026, 10, 25, *expected, tzinfo=UTC)
    assert Checklist.objects.filter(custody_event=event).count() == 1


def test_typing_bst_after_the_time_is_accepted(personas, remand_on_the_night_the_clocks_go_back):
    event = remand_on_the_night_the_clocks_go_back
    response = _release(personas.client("officer_a"), event, released_at="25/10/2026 01:25 BST")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.released_at == datetime(2026, 10, 25, 0, 25, tzinfo=UTC)


def test_a_zone_choice_left_over_does_not_change_an_unambiguous_time(personas, remand_on_the_night_the_clocks_go_back):
    event = remand_on_the_night_the_clocks_go_back
    response = _release(personas.client("officer_a"), event, released_at="2026-10-25T02:30", released_at_zone="BST")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.released_at == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)
