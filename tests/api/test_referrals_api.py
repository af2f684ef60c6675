"""The referral API: the partner portal's reach, content and answers for an agency's
case system. Isolation between agencies and scopes, revoke and expiry on the next
call, only the shared sections, every call audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import Referral, ReferralMessage, ReferralStatus, Section
from safeguarding.audit.models import AuditEvent
from tests.api.helpers import CUSTODY, READ, RESPOND, api_for, issue
from tests.referrals.helpers import SECRET_RISK, inbox_agency, sent_referral

pytestmark = pytest.mark.django_db

LIST = reverse("api:referral_list")


def detail(referral: Referral) -> str:
    return reverse("api:referral_detail", args=[referral.pk])


def act(referral: Referral, action: str) -> str:
    return reverse(f"api:referral_{action}", args=[referral.pk])


@pytest.fixture
def world(personas):
    mash = inbox_agency("Testshire MASH")
    other = inbox_agency("Otherton MASH", inbox="o@other.example")
    return {
        "mash": mash,
        "ours": sent_referral(personas.officer_a, mash, sections=[Section.PERSON, Section.CUSTODY]),
        "theirs": sent_referral(personas.officer_b, other),
        "reader": api_for(issue(READ, agency=mash)),
        "responder": api_for(issue(RESPOND, agency=mash, name="MASH case system")),
        "other": api_for(issue(READ, agency=other)),
    }


def test_an_agency_lists_only_its_own_referrals_and_the_list_is_audited(world):
    response = world["reader"].get(LIST)
    assert response.status_code == 200
    ids = [r["id"] for r in response.json()["results"]]
    assert ids == [world["ours"].pk]
    audit = AuditEvent.objects.get(action=AuditEvent.Action.LIST, object_type="referrals.referral")
    assert audit.detail["ids"] == ids and audit.recipient == "Testshire MASH"


def test_another_agencys_referral_and_guessed_ids_answer_404(world):
    assert world["other"].get(detail(world["ours"])).status_code == 404
    assert world["reader"].get(detail(world["theirs"])).status_code == 404
    assert world["reader"].get(reverse("api:referral_detail", args=[999999])).status_code == 404
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, object_type="referrals.referral")
    assert denied.count() == 2  # the two that exist; a guessed id that exists nowhere is just 404


def test_only_the_shared_sections_are_read_and_the_disclosure_audited(world):
    ours = world["ours"]
    response = world["reader"].get(detail(ours))
    assert response.status_code == 200
    body = response.json()
    assert set(body["content"]) == {"person", "custody"}
    assert body["content"]["person"]["name"] == ours.case.person.full_name
    assert SECRET_RISK not in response.content.decode()
    audit = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_id=str(ours.pk))
    assert audit.recipient == "Testshire MASH" and audit.detail["sections"] == ["person", "custody"]


def test_a_custody_client_cannot_read_referrals(personas, world):
    custody = api_for(issue(CUSTODY, agency=personas.force))
    assert custody.get(LIST).status_code == 403
    assert custody.get(detail(world["ours"])).status_code == 403


def test_a_read_only_client_cannot_answer(world):
    response = world["reader"].post(act(world["ours"], "acknowledge"))
    assert response.status_code == 403
    world["ours"].refresh_from_db()
    assert world["ours"].status == ReferralStatus.SENT


def test_revoking_the_share_removes_it_on_the_next_call(personas, world):
    ours = world["ours"]
    assert world["reader"].get(detail(ours)).status_code == 200
    services.referral_revoke(actor=personas.officer_a, referral=ours)
    assert world["reader"].get(detail(ours)).status_code == 404
    assert world["reader"].get(LIST).json()["results"] == []


def test_expiry_removes_the_share_on_the_next_call(world):
    ours = world["ours"]
    Referral.objects.filter(pk=ours.pk).update(share_expires_at=timezone.now() + timedelta(minutes=1))
    assert world["reader"].get(detail(ours)).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert world["reader"].get(detail(ours)).status_code == 404


def test_acknowledge_accept_and_post_an_update_through_the_services(world):
    ours, api = world["ours"], world["responder"]
    response = api.post(act(ours, "acknowledge"))
    assert response.status_code == 200 and response.json()["status"] == ReferralStatus.ACKNOWLEDGED
    assert api.post(act(ours, "accept")).json()["status"] == ReferralStatus.ACCEPTED
    posted = api.post(act(ours, "updates"), {"text": "Strategy discussion booked for Monday."})
    assert posted.status_code == 201
    message = ReferralMessage.objects.get(pk=posted.json()["id"])
    assert message.kind == "update" and message.author.system_client.name == "MASH case system"
    thread = api.get(detail(ours)).json()["messages"]
    assert [m["kind"] for m in thread] == ["status", "status", "update"]
    audited = AuditEvent.objects.filter(object_type="referrals.referral", object_id=str(ours.pk), action="update")
    assert audited.count() == 2


def test_an_illegal_move_is_a_409_problem(world):
    response = world["responder"].post(act(world["ours"], "accept"))  # not yet acknowledged
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"


def test_decline_needs_a_reason_with_a_pointer(world):
    ours, api = world["ours"], world["responder"]
    api.post(act(ours, "acknowledge"))
    response = api.post(act(ours, "decline"), {})
    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == "/reason"
    response = api.post(act(ours, "decline"), {"reason": "Not in our area: refer to Otherton."})
    assert response.json()["status"] == ReferralStatus.DECLINED


def test_answering_another_agencys_referral_is_404(world):
    assert world["responder"].post(act(world["theirs"], "acknowledge")).status_code == 404
    assert world["responder"].post(act(world["theirs"], "updates"), {"text": "x"}).status_code == 404


def test_the_list_pages_with_a_cursor_and_filters_by_updated_since(personas, world):
    mash = world["mash"]
    more = [sent_referral(personas.officer_a, mash) for _ in range(3)]
    api = world["reader"]
    first = api.get(LIST, {"page_size": 2}).json()
    assert [r["id"] for r in first["results"]] == [more[2].pk, more[1].pk]
    second = api.get(first["next"]).json()
    assert [r["id"] for r in second["results"]] == [more[0].pk, world["ours"].pk]
    later = timezone.now() + timedelta(seconds=1)
    with time_machine.travel(later + timedelta(minutes=5)):
        world["responder"].post(act(more[0], "acknowledge"))
    changed = api.get(LIST, {"updated_since": later.isoformat()}).json()["results"]
    assert [r["id"] for r in changed] == [more[0].pk]
    assert api.get(LIST, {"updated_since": "yesterday"}).status_code == 400


def test_the_list_query_count_does_not_grow(personas, world, django_assert_max_num_queries):
    for _ in range(5):
        sent_referral(personas.officer_a, world["mash"])
    with django_assert_max_num_queries(8):
        assert len(world["reader"].get(LIST).json()["results"]) == 6
