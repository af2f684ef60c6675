"""The partner portal: isolation between agencies, revoke and expiry on the next request,
section minimisation asserted on the HTML, audit of every view, and the thread."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import Referral, ReferralStatus, Section
from safeguarding.audit.models import AuditEvent
from safeguarding.notifications.models import Notification
from tests.conftest import verified_client

from .helpers import SECRET_RISK, inbox_agency, make_case, partner_of, referral_data, sent_referral

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    """Two agencies, two teams: each agency has one referral from a different team."""
    mash = inbox_agency("Testshire MASH")
    other = inbox_agency("Otherton MASH", inbox="o@other.example")
    people = {
        "partner": partner_of(mash, "mash.one@council.example"),
        "colleague": partner_of(mash, "mash.two@council.example"),
        "other_partner": partner_of(other, "worker@other.example"),
    }
    ours = sent_referral(personas.officer_a, mash)
    theirs = sent_referral(personas.officer_b, other)
    return {"mash": mash, "ours": ours, "theirs": theirs, **people}


def test_partner_sees_only_their_agencys_referrals(world):
    client = verified_client(world["partner"])
    listing = client.get(reverse("referrals:partner_list")).content.decode()
    assert world["ours"].reference in listing
    assert world["theirs"].reference not in listing
    home = client.get(reverse("core:home")).content.decode()
    assert world["ours"].reference in home and world["theirs"].reference not in home
    assert client.get(reverse("referrals:partner_detail", args=[world["ours"].pk])).status_code == 200
    assert client.get(reverse("referrals:partner_detail", args=[world["theirs"].pk])).status_code == 404
    assert client.get(reverse("referrals:partner_detail", args=[world["theirs"].pk + 1000])).status_code == 404
    answer = client.post(reverse("referrals:partner_act", args=[world["theirs"].pk, "acknowledge"]))
    assert answer.status_code == 404
    # A colleague in the same agency sees it too; the other agency's user does not.
    assert verified_client(world["colleague"]).get(world["ours"].get_partner_url()).status_code == 200
    assert verified_client(world["other_partner"]).get(world["ours"].get_partner_url()).status_code == 404
    # Notifications only ever point at what is shared with the user's agency.
    urls = set(Notification.objects.filter(user=world["partner"]).values_list("url", flat=True))
    assert urls == {world["ours"].get_partner_url()}


def test_partner_never_reaches_officer_pages(world):
    client = verified_client(world["partner"])
    ours = world["ours"]
    assert client.get(ours.get_absolute_url()).status_code == 403
    assert client.get(reverse("cases:case_detail", args=[ours.case_id])).status_code == 404
    assert client.get(reverse("cases:person_detail", args=[ours.case.person_id])).status_code == 404
    assert client.get(reverse("cases:search")).status_code == 403


def test_a_draft_is_not_shared(personas, world):
    draft = services.referral_create(
        actor=personas.officer_a, case=make_case(personas.officer_a), data=referral_data(world["mash"])
    )
    client = verified_client(world["partner"])
    assert client.get(draft.get_partner_url()).status_code == 404
    assert draft.reference not in client.get(reverse("referrals:partner_list")).content.decode()


def test_revoke_removes_access_on_the_next_request(personas, world):
    client = verified_client(world["partner"])
    url = world["ours"].get_partner_url()
    assert client.get(url).status_code == 200
    services.referral_revoke(actor=personas.officer_a, referral=world["ours"])
    assert client.get(url).status_code == 404
    assert world["ours"].reference not in client.get(reverse("referrals:partner_list")).content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, object_id=str(world["ours"].pk)).exists()


def test_expiry_removes_access_on_the_next_request(personas):
    mash = inbox_agency()
    referral = sent_referral(personas.officer_a, mash, share_expires_on=timezone.localdate())
    # The share ends a minute from now (a date-only expiry would outlast the session).
    Referral.objects.filter(pk=referral.pk).update(share_expires_at=timezone.now() + timedelta(minutes=1))
    client = verified_client(partner_of(mash, "mash.one@council.example"))
    assert client.get(referral.get_partner_url()).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert client.get(referral.get_partner_url()).status_code == 404
        assert referral.reference not in client.get(reverse("referrals:partner_list")).content.decode()


def test_a_section_not_shared_never_appears_in_the_page(personas):
    mash = inbox_agency()
    client = verified_client(partner_of(mash, "mash.one@council.example"))
    only_person = sent_referral(personas.officer_a, mash, sections=[Section.PERSON])
    body = client.get(only_person.get_partner_url()).content.decode()
    assert only_person.case.person.family_name in body
    assert SECRET_RISK not in body
    with_risk = sent_referral(personas.officer_a, mash, sections=[Section.RISK])
    body = client.get(with_risk.get_partner_url()).content.decode()
    assert SECRET_RISK in body
    assert with_risk.case.person.family_name not in body


def test_every_partner_view_is_audited_and_shown_to_the_officer(personas, world):
    verified_client(world["partner"]).get(world["ours"].get_partner_url())
    view = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, actor_id=world["partner"].pk)
    assert view.object_id == str(world["ours"].pk) and view.recipient == "Testshire MASH"
    page = verified_client(personas.officer_a).get(world["ours"].get_absolute_url()).content.decode()
    assert "Who has seen this" in page and "mash.one@council.example" in page


def test_partner_answers_and_the_officer_sees_them_in_the_chronology(personas, world):
    client = verified_client(world["partner"])
    ours = world["ours"]
    client.post(reverse("referrals:partner_act", args=[ours.pk, "acknowledge"]))
    client.post(reverse("referrals:partner_act", args=[ours.pk, "accept"]))
    client.post(reverse("referrals:partner_act", args=[ours.pk, "update"]), {"update-text": "Strategy meeting booked."})
    ours.refresh_from_db()
    assert ours.status == ReferralStatus.ACCEPTED
    officer = verified_client(personas.officer_a)
    chronology = officer.get(reverse("cases:person_chronology", args=[ours.case.person_id])).content.decode()
    assert "Strategy meeting booked." in chronology
    assert Notification.objects.filter(user=personas.officer_a, subject__contains="Update").exists()
    # The officer answers in the same thread; the partner sees it.
    officer.post(reverse("referrals:referral_answer", args=[ours.pk]), {"text": "Thank you, I will attend."})
    assert "Thank you, I will attend." in client.get(ours.get_partner_url()).content.decode()


def test_decline_without_reason_keeps_the_page_with_the_message(world):
    client = verified_client(world["partner"])
    ours = world["ours"]
    client.post(reverse("referrals:partner_act", args=[ours.pk, "acknowledge"]))
    response = client.post(reverse("referrals:partner_act", args=[ours.pk, "decline"]), {"reason": ""})
    assert response.status_code == 200
    assert "Give the reason you are declining the referral" in response.content.decode()
    ours.refresh_from_db()
    assert ours.status == ReferralStatus.ACKNOWLEDGED


def test_an_illegal_move_through_the_portal_is_refused_with_a_message(world):
    client = verified_client(world["partner"])
    response = client.post(reverse("referrals:partner_act", args=[world["ours"].pk, "accept"]), follow=True)
    assert "cannot be accepted" in response.content.decode()
    world["ours"].refresh_from_db()
    assert world["ours"].status == ReferralStatus.SENT
