"""Retries and read-back: every POST takes an Idempotency-Key (a retry writes nothing twice,
another call under the same key is refused), the list's next page is a cursor of its own,
and a custody system reads back what it sent by custody number, only what it sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from custody.models import CustodyImportRow
from referrals.models import ReferralMessage, ReferralStatus
from safeguarding.audit.models import AuditEvent
from tests.api.helpers import CUSTODY, READ, RESPOND, Api, api_for, issue
from tests.factories import PoliceForceFactory
from tests.factories.custody import person_row
from tests.referrals.helpers import inbox_agency, sent_referral

pytestmark = pytest.mark.django_db

FEED = reverse("api:custody_detentions")
LIST = reverse("api:referral_list")


@pytest.fixture
def thread(personas):
    mash = inbox_agency("Retry MASH")
    return {
        "referral": sent_referral(personas.officer_a, mash),
        "api": api_for(issue(RESPOND, agency=mash)),
        "mash": mash,
    }


def act(referral, action: str) -> str:
    return reverse(f"api:referral_{action}", args=[referral.pk])


def test_a_retried_update_is_posted_once_and_replayed(thread):
    referral, api = thread["referral"], thread["api"]
    body, key = {"text": "Strategy discussion booked."}, {"Idempotency-Key": "update-0001"}
    first = api.post(act(referral, "updates"), body, headers=key)
    again = api.post(act(referral, "updates"), body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert ReferralMessage.objects.filter(referral=referral, kind="update").count() == 1
    assert AuditEvent.objects.filter(summary__startswith="Retry answered", object_id=str(referral.pk)).count() == 1


def test_a_key_reused_for_another_body_or_call_is_a_422_problem(thread):
    referral, api = thread["referral"], thread["api"]
    key = {"Idempotency-Key": "update-0002"}
    assert api.post(act(referral, "updates"), {"text": "One."}, headers=key).status_code == 201
    other_body = api.post(act(referral, "updates"), {"text": "Two."}, headers=key)
    assert other_body.status_code == 422 and other_body["Content-Type"] == "application/problem+json"
    other_call = api.post(act(referral, "acknowledge"), headers=key)
    assert other_call.status_code == 422
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert ReferralMessage.objects.filter(referral=referral, kind="update").count() == 1


def test_retried_decisions_move_the_referral_once(thread):
    referral, api = thread["referral"], thread["api"]
    for action in ("acknowledge", "accept"):
        key = {"Idempotency-Key": f"{action}-0001"}
        first = api.post(act(referral, action), headers=key)
        again = api.post(act(referral, action), headers=key)
        assert first.status_code == again.status_code == 200 and again.json() == first.json()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert ReferralMessage.objects.filter(referral=referral, kind="status").count() == 2


def test_a_refused_call_keeps_no_answer_so_a_corrected_retry_may_reuse_the_key(thread):
    referral, api = thread["referral"], thread["api"]
    key = {"Idempotency-Key": "accept-early"}
    assert api.post(act(referral, "accept"), headers=key).status_code == 409  # not yet acknowledged
    assert api.post(act(referral, "acknowledge")).status_code == 200
    assert api.post(act(referral, "accept"), headers=key).status_code == 200


@pytest.mark.parametrize("key", ["", "has space", "x" * 201, "é"])
def test_a_malformed_key_is_a_400_problem_and_nothing_is_written(thread, key):
    response = thread["api"].post(act(thread["referral"], "acknowledge"), headers={"Idempotency-Key": key})
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/Idempotency-Key"
    thread["referral"].refresh_from_db()
    assert thread["referral"].status == ReferralStatus.SENT


@pytest.mark.parametrize(
    "body", [{"kind": "update", "text": 0}, {"text": True}, {"text": " \n "}, {"text": "x", "y": 1}]
)
def test_an_update_that_is_not_text_is_refused_not_stored(thread, body):
    response = thread["api"].post(act(thread["referral"], "updates"), body)
    assert response.status_code == 400
    assert not ReferralMessage.objects.filter(kind="update").exists()


@pytest.mark.parametrize("size", ["null", "abc", "0", "201", "-1", ""])
def test_a_page_size_outside_1_to_200_is_a_400_problem(thread, size):
    reader = api_for(issue(READ, agency=thread["mash"]))
    response = reader.get(LIST, {"page_size": size})
    assert response.status_code == 400 and response.json()["errors"][0]["pointer"] == "/page_size"


def test_a_query_parameter_no_operation_declares_is_a_400_problem_naming_it(thread):
    referral = thread["referral"]
    reader = api_for(issue(READ, agency=thread["mash"]))
    misspelt = reader.get(LIST, {"page_sise": "2"})
    assert misspelt.status_code == 400 and misspelt["Content-Type"] == "application/problem+json"
    assert [e["pointer"] for e in misspelt.json()["errors"]] == ["/page_sise"]
    assert (
        reader.get(LIST, {"page_size": "2", "cursor": "", "updated_since": "2026-12-01T00:00:00Z"}).status_code == 200
    )
    detail = reverse("api:referral_detail", args=[referral.pk])
    assert reader.get(detail, {"page_size": "2"}).status_code == 400  # the list's, not the detail's
    posted = thread["api"].post(act(referral, "acknowledge") + "?notify=1")
    assert posted.status_code == 400
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT  # refused before anything is written


def test_the_feed_refuses_an_undeclared_query_parameter_on_either_method():
    api = api_for(issue(CUSTODY))
    assert api.get(FEED, {"custody_number": "WS1", "batch": "1"}).json()["errors"][0]["pointer"] == "/batch"
    assert api.post(FEED + "?dry_run=1", person_row()).status_code == 400
    assert not CustodyImportRow.objects.exists()


def test_pages_are_followed_with_next_cursor(personas, thread):
    more = [sent_referral(personas.officer_a, thread["mash"]) for _ in range(2)]
    reader = api_for(issue(READ, agency=thread["mash"]))
    first = reader.get(LIST, {"page_size": 2}).json()
    assert first["next_cursor"] and first["previous_cursor"] is None
    second = reader.get(LIST, {"page_size": 2, "cursor": first["next_cursor"]}).json()
    assert [r["id"] for r in first["results"] + second["results"]] == [more[1].pk, more[0].pk, thread["referral"].pk]
    assert second["next_cursor"] is None and second["next"] is None


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2026-12-01T00:00:00Z", True),
        ("2026-12-01t00:00:00.5+05:30", True),
        ("0001-01-01T00:00:00+01:00", True),
        ("9999-12-31T23:59:60-01:00", True),
        ("2026-12-01T00:00:00", False),  # no offset
        ("2026-12-01T00:00Z", False),  # no seconds
        ("2026-02-30T00:00:00Z", False),
        ("yesterday", False),
    ],
)
def test_updated_since_is_an_rfc_3339_date_time(thread, text, ok):
    reader = api_for(issue(READ, agency=thread["mash"]))
    assert reader.get(LIST, {"updated_since": text}).status_code == (200 if ok else 400)


# --- Reading back a detention by custody number ---------------------------------------------


@pytest.fixture
def sent(personas):
    feed = api_for(issue(CUSTODY, agency=personas.force, name="Westshire custody"))
    answer = feed.post(FEED, person_row(custody_number="WS/00101/25")).json()
    return {"feed": feed, "answer": answer}


def test_a_custody_system_reads_back_its_detention_with_its_row_state_and_case(personas, sent):
    from custody.review import services

    row = CustodyImportRow.objects.get(pk=sent["answer"]["items"][0]["row"])
    response = sent["feed"].get(FEED, {"custody_number": "ws/001 01/25"})
    assert response.status_code == 200
    body = response.json()
    assert body["custody_number"] == "WS/00101/25"
    (found,) = body["detentions"]
    assert (found["row"], found["state"], found["batch"], found["case"]) == (row.pk, row.state, row.batch_id, None)
    audit = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_type="custody.custodyimportrow")
    assert audit.detail["ids"] == [row.pk] and audit.actor_id == row.batch.uploaded_by_id
    services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a)
    row.refresh_from_db()
    case = sent["feed"].get(FEED, {"custody_number": "WS/00101/25"}).json()["detentions"][0]["case"]
    assert case == {"id": row.case_id, "reference": row.case.reference}


def test_another_clients_custody_number_is_404_and_audited(personas, sent):
    other_force = api_for(issue(CUSTODY, agency=PoliceForceFactory(), name="Otherton custody"))
    same_force = api_for(issue(CUSTODY, agency=personas.force, name="Westshire custody 2"))
    for api in (other_force, same_force):
        assert api.get(FEED, {"custody_number": "WS/00101/25"}).status_code == 404
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.ACCESS_DENIED, object_type="custody.custodyimportrow"
        ).count()
        == 2
    )
    assert sent["feed"].get(FEED, {"custody_number": "WS/99999/25"}).status_code == 404


@pytest.mark.parametrize("params", [{}, {"custody_number": "  "}, {"custody_number": "a\x00b"}])
def test_a_read_back_without_a_custody_number_is_a_400_problem(sent, params):
    response = sent["feed"].get(FEED, params)
    assert response.status_code == 400 and response.json()["errors"][0]["pointer"] == "/custody_number"


@pytest.mark.parametrize(("scope", "status"), [(READ, 403), (RESPOND, 403), (None, 401)])
def test_only_a_custody_client_reads_back_detentions(personas, sent, scope, status):
    api = api_for(issue(scope)) if scope else Api(None)
    assert api.get(FEED, {"custody_number": "WS/00101/25"}).status_code == status


@pytest.mark.parametrize("persona", ["officer_a", "supervisor", "admin", "partner"])
def test_no_signed_in_persona_reads_back_detentions(personas, sent, persona):
    assert personas.client(persona).get(FEED, {"custody_number": "WS/00101/25"}).status_code == 401
