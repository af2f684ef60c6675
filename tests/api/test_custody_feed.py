"""The custody feed: detentions from the force's custody system go through the CSV
import's own code, answer each item's problems by field, and are idempotent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from custody.models import Checklist, CustodyImport, CustodyImportRow, RowState
from custody.review import services
from safeguarding.audit.models import AuditEvent
from tests.api.helpers import CUSTODY, READ, api_for, issue
from tests.factories.custody import adult_row, arrest_time, custody_csv, import_csv, person_row, uk

pytestmark = pytest.mark.django_db

FEED = reverse("api:custody_detentions")


@pytest.fixture
def feed(personas):
    return api_for(issue(CUSTODY, agency=personas.force))


def test_one_detention_lands_in_the_review_queue(feed):
    response = feed.post(FEED, person_row())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counts"]["new"] == 1 and body["counts"]["flagged"] == 1
    item = body["items"][0]
    assert (item["index"], item["result"], item["state"]) == (0, "new", RowState.TO_REVIEW)
    row = CustodyImportRow.objects.get(pk=item["row"])
    assert row.state == RowState.TO_REVIEW and row.surname == "Testwood"
    batch = CustodyImport.objects.get(pk=body["batch"])
    assert batch.status == CustodyImport.Status.DONE and batch.filename.startswith("Custody feed:")
    # The batch and its import are audited as the client's account.
    audits = AuditEvent.objects.filter(object_type="custody.custodyimport", object_id=str(batch.pk))
    assert audits.count() == 2 and {a.actor_id for a in audits} == {batch.uploaded_by_id}


def test_a_batch_that_does_not_match_the_schema_is_refused_whole_with_a_pointer_to_each_problem(feed):
    body = {
        "detentions": [
            person_row(),
            person_row(custody_number="WS/00103/25", surname=12),
            "not an object",
            adult_row(colour="blue"),
            {"surname": "Testwood"},
            person_row(custody_number="   "),
        ]
    }
    response = feed.post(FEED, body)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    pointers = {e["pointer"] for e in response.json()["errors"]}
    assert pointers == {
        "/detentions/1/surname",
        "/detentions/2",
        "/detentions/3/colour",
        "/detentions/4/custody_number",
        "/detentions/4/arrest_datetime",
        "/detentions/5/custody_number",
    }
    assert not CustodyImport.objects.exists() and not CustodyImportRow.objects.exists()


def test_a_value_the_import_cannot_read_is_answered_on_its_item_and_kept_for_the_custody_team(feed):
    body = {"detentions": [person_row(), adult_row(number="WS/00902/25", arrest_datetime="not a time")]}
    response = feed.post(FEED, body)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["result"] for i in items] == ["new", "new"]
    assert items[1]["state"] == RowState.REJECTED
    assert {"pointer": "/detentions/1/arrest_datetime", "kind": "error"}.items() <= items[1]["problems"][0].items()
    assert CustodyImportRow.objects.count() == 2
    assert CustodyImportRow.objects.get(pk=items[1]["row"]).state == RowState.REJECTED


def test_a_warning_points_at_its_field_and_the_row_still_imports(feed):
    response = feed.post(FEED, {"detentions": [adult_row(release_datetime="31/02/2020 10:00")]})
    item = response.json()["items"][0]
    assert item["result"] == "new" and item["state"] == RowState.NOT_FLAGGED
    assert [p["pointer"] for p in item["problems"]] == ["/detentions/0/release_datetime"]
    assert item["problems"][0]["kind"] == "warning"


def test_a_detention_without_its_required_fields_is_a_400_problem(feed):
    response = feed.post(FEED, {})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert {e["pointer"] for e in response.json()["errors"]} == {"/custody_number", "/arrest_datetime"}
    assert not CustodyImport.objects.exists()


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ([person_row()], ""),
        ({"detentions": []}, "/detentions"),
        ({"detentions": [person_row()] * 501}, "/detentions"),
        ({"detentions": [person_row()], "extra": 1}, "/extra"),
    ],
)
def test_a_malformed_request_is_a_400_problem(feed, body, pointer):
    response = feed.post(FEED, body)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["pointer"] == pointer


def test_sending_the_same_detention_again_creates_nothing_twice(feed):
    feed.post(FEED, person_row())
    again = feed.post(FEED, person_row()).json()
    assert again["items"][0]["result"] == "unchanged"
    assert CustodyImportRow.objects.count() == 1


def test_a_batch_repeating_a_detention_imports_it_once(feed):
    items = feed.post(FEED, {"detentions": [person_row(), person_row()]}).json()["items"]
    assert [i["result"] for i in items] == ["new", "duplicate"]


def test_a_later_release_of_a_juvenile_on_a_case_starts_the_48_hour_clock(personas, feed):
    arrested = arrest_time(days_ago=1)
    feed.post(FEED, person_row(arrest_datetime=uk(arrested)))
    event = services.custody_row_safeguard(
        actor=personas.officer_a, row=CustodyImportRow.objects.get(), owner=personas.officer_a
    )
    assert not Checklist.objects.filter(custody_event=event).exists()
    released = arrested + timedelta(hours=5)
    response = feed.post(FEED, person_row(arrest_datetime=uk(arrested), release_datetime=uk(released), outcome="RUI"))
    assert response.json()["items"][0]["result"] == "updated"
    event.refresh_from_db()
    assert (event.released_at, event.outcome) == (released, "rui")
    # As from a later CSV list: one checklist, started by the clock's own rule.
    assert Checklist.objects.filter(custody_event=event).count() == 1


def _queue() -> list[tuple]:
    return sorted(
        (r.custody_number, r.arrested_at, r.released_at, r.outcome, r.state, r.score, tuple(r.reasons),
         r.check_manually, r.date_of_birth, r.home_area)
        for r in CustodyImportRow.objects.all()
    )  # fmt: skip


def test_the_feed_and_the_csv_import_give_the_same_queue(personas, feed, django_db_blocker):
    arrested = arrest_time(days_ago=1)
    rows = [
        person_row(arrest_datetime=uk(arrested)),
        person_row(custody_number="WS/00102/25", date_of_birth="", forenames="Kai"),
        person_row(custody_number="WS/00103/25", date_of_birth="31/02/2011"),
        adult_row(),
        adult_row(number="WS/00901/25", arrest_datetime="unknown"),
        person_row(custody_number="WS/00104/25", release_datetime=uk(arrested + timedelta(hours=3)), outcome="NFA"),
        person_row(),  # a repeat
    ]
    import_csv(personas.officer_a, custody_csv(rows))
    from_csv = _queue()
    CustodyImportRow.objects.all().delete()
    CustodyImport.objects.all().delete()
    response = feed.post(FEED, {"detentions": rows})
    assert response.status_code == 200
    assert _queue() == from_csv
    assert len(from_csv) == 6


def test_a_retry_with_the_same_idempotency_key_is_answered_from_the_first_call(feed):
    headers = {"Idempotency-Key": "call-0001"}
    first = feed.post(FEED, {"detentions": [person_row(), adult_row()]}, headers=headers)
    again = feed.post(FEED, {"detentions": [person_row(), adult_row()]}, headers=headers)
    assert again.status_code == first.status_code == 200
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert CustodyImport.objects.count() == 1 and CustodyImportRow.objects.count() == 2


def test_an_idempotency_key_reused_with_another_body_is_refused(feed):
    feed.post(FEED, person_row(), headers={"Idempotency-Key": "call-0002"})
    response = feed.post(FEED, adult_row(), headers={"Idempotency-Key": "call-0002"})
    assert response.status_code == 422 and "another call or body" in response.json()["detail"]
    assert CustodyImportRow.objects.count() == 1


def test_a_referral_client_cannot_send_detentions(personas):
    response = api_for(issue(READ)).post(FEED, person_row())
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert not CustodyImportRow.objects.exists()


def test_the_feed_takes_json_only(feed):
    response = feed.client.post(FEED, "custody_number=1", content_type="application/x-www-form-urlencoded",
                                headers={"Authorization": f"Bearer {feed.token}"})  # fmt: skip
    assert response.status_code == 415


def test_answers_kept_for_retries_are_forgotten_after_their_time(feed, settings):
    import time_machine
    from django.utils import timezone

    from api.models import IdempotentAnswer
    from api.tasks import idempotency_purge

    feed.post(FEED, person_row(), headers={"Idempotency-Key": "call-0003"})
    assert idempotency_purge() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=settings.API_IDEMPOTENCY_HOURS, minutes=1)):
        assert idempotency_purge() == 1
    assert not IdempotentAnswer.objects.exists()
    assert CustodyImportRow.objects.count() == 1  # the detention itself stays


def test_a_feed_batch_shows_on_the_custody_pages_like_an_uploaded_list(personas, feed):
    body = feed.post(FEED, {"detentions": [person_row(), adult_row(arrest_datetime="unknown")]}).json()
    officer = personas.client("officer_a")
    page = officer.get(reverse("custody:import_detail", args=[body["batch"]]))
    assert page.status_code == 200
    assert "API client" in page.content.decode()
    assert officer.get(reverse("custody:import_problems_csv", args=[body["batch"]])).status_code == 200
    assert officer.get(reverse("custody:review")).status_code == 200


def test_an_item_the_import_stored_nothing_for_is_answered_invalid_not_unchanged(feed, monkeypatch):
    # Were the import to skip an item for any reason, its answer says so: never "unchanged".
    from custody.review.services import feed as feed_service

    real = feed_service.import_rows

    def skip_the_second(run, rows):
        real(run, [rows[0]])

    monkeypatch.setattr(feed_service, "import_rows", skip_the_second)
    response = feed.post(FEED, {"detentions": [person_row(), adult_row()]})
    items = response.json()["items"]
    assert [i["result"] for i in items] == ["new", "invalid"]
    assert items[1]["row"] is None and items[1]["problems"][-1]["kind"] == "invalid"
    assert response.json()["counts"]["invalid"] == 1
    assert CustodyImportRow.objects.count() == 1


def test_a_repeat_in_one_batch_is_answered_with_the_row_it_repeats(feed):
    items = feed.post(FEED, {"detentions": [person_row(), person_row()]}).json()["items"]
    assert items[1]["result"] == "duplicate" and items[1]["row"] == items[0]["row"] is not None
