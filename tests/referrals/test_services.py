"""Referral writes: bad input refused with nothing saved, the status machine, the
disclosure's audit row, notifications without personal data, the checklist item."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from custody.models import ItemStatus
from referrals import services
from referrals.models import Referral, ReferralStatus, ReferralType, Section
from safeguarding.audit.models import AuditEvent
from safeguarding.notifications.models import Notification
from tests.custody.clock.helpers import start_checklist

from .helpers import inbox_agency, make_case, partner_of, referral_data, sent_referral

pytestmark = pytest.mark.django_db


def _refused(personas, case, data, field):
    with pytest.raises(ValidationError) as error:
        services.referral_create(actor=personas.officer_a, case=case, data=data, send=True)
    assert field in error.value.message_dict
    assert not Referral.objects.exists()
    return error.value.message_dict[field][0]


def test_bad_input_is_refused_on_its_field_and_saves_nothing(personas):
    agency = inbox_agency()
    case = make_case(personas.officer_a)
    no_inbox = inbox_agency("Testshire Housing", inbox="")
    assert "no referral inbox" in _refused(personas, case, referral_data(no_inbox), "agency")
    assert "at least one section" in _refused(personas, case, referral_data(agency, sections=[]), "sections")
    past = timezone.localdate() - timedelta(days=1)
    assert "today or in the future" in _refused(
        personas, case, referral_data(agency, share_expires_on=past), "share_expires_on"
    )
    assert "intelligence" in _refused(
        personas, case, referral_data(agency, sections=[Section.INTELLIGENCE]), "restricted_justification"
    )


def test_send_is_a_disclosure_with_its_recipient_and_an_email_without_personal_data(
    personas, django_capture_on_commit_callbacks
):
    agency = inbox_agency()
    partner = partner_of(agency, "mash.worker@council.example")
    with django_capture_on_commit_callbacks(execute=True):
        referral = sent_referral(personas.officer_a, agency)
    assert referral.status == ReferralStatus.SENT
    disclosure = AuditEvent.objects.get(action=AuditEvent.Action.DISCLOSE, object_id=str(referral.pk))
    assert disclosure.recipient == agency.name
    assert disclosure.detail["sections"] == [Section.PERSON]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["mash@council.example"]
    assert referral.reference in email.body
    person = referral.case.person
    for value in (person.given_name, person.family_name, referral.reason):
        assert value not in email.body and value not in email.subject
    assert Notification.objects.filter(user=partner, url=referral.get_partner_url()).exists()


def test_childrens_services_target_is_one_working_day(personas):
    referral = sent_referral(personas.officer_a, inbox_agency())
    assert referral.response_target_working_days == 1
    assert referral.response_due_on > timezone.localtime(referral.sent_at).date()


def test_other_agencies_use_their_own_target(personas):
    agency = inbox_agency("Testshire Youth Justice", response_target_working_days=3)
    referral = sent_referral(personas.officer_a, agency, referral_type=ReferralType.YOUTH_JUSTICE)
    assert referral.response_target_working_days == 3


def test_status_machine_refuses_illegal_moves(personas):
    agency = inbox_agency()
    partner = partner_of(agency, "mash.worker@council.example")
    referral = sent_referral(personas.officer_a, agency)
    with pytest.raises(services.ReferralError, match="cannot be accepted"):
        services.referral_partner_decide(actor=partner, referral=referral, action="accept")
    with pytest.raises(services.ReferralError, match="cannot be sent"):
        services.referral_send(actor=personas.officer_a, referral=referral)
    services.referral_partner_decide(actor=partner, referral=referral, action="acknowledge")
    with pytest.raises(ValidationError):
        services.referral_partner_decide(actor=partner, referral=referral, action="decline", reason=" ")
    referral = services.referral_partner_decide(
        actor=partner, referral=referral, action="decline", reason="Below threshold"
    )
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "Below threshold"
    with pytest.raises(services.ReferralError, match="cannot be acknowledged"):
        services.referral_partner_decide(actor=partner, referral=referral, action="acknowledge")
    # Each partner action told the referring officer.
    assert Notification.objects.filter(user=personas.officer_a, kind="referral").count() == 2


def test_another_agency_and_a_revoked_share_cannot_act(personas):
    agency = inbox_agency()
    other = partner_of(inbox_agency("Otherton MASH", inbox="o@other.example"), "o.worker@other.example")
    partner = partner_of(agency, "mash.worker@council.example")
    referral = sent_referral(personas.officer_a, agency)
    with pytest.raises(PermissionDenied):
        services.referral_partner_decide(actor=other, referral=referral, action="acknowledge")
    services.referral_revoke(actor=personas.officer_a, referral=referral)
    referral.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.referral_message_add(actor=partner, referral=referral, kind="update", text="Seen today")


def test_sending_a_mash_referral_marks_the_checklist_item_done(personas):
    case = make_case(personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a)
    referral = sent_referral(personas.officer_a, inbox_agency(), case=case)
    item = checklist.items.get(template_item__code="mash_referral")
    assert item.status == ItemStatus.DONE
    assert referral.reference in item.note and referral.get_absolute_url() in item.note


def test_another_referral_type_leaves_the_mash_item_pending(personas):
    case = make_case(personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a)
    sent_referral(personas.officer_a, inbox_agency("Testshire Health"), case=case, referral_type=ReferralType.HEALTH)
    assert checklist.items.get(template_item__code="mash_referral").status == ItemStatus.PENDING


def test_a_draft_does_not_mark_the_item(personas):
    case = make_case(personas.officer_a)
    checklist = start_checklist(case=case, by=personas.officer_a)
    services.referral_create(actor=personas.officer_a, case=case, data=referral_data(inbox_agency()))
    assert checklist.items.get(template_item__code="mash_referral").status == ItemStatus.PENDING


def test_force_lead_cannot_refer(personas):
    with pytest.raises(PermissionDenied):
        services.referral_create(
            actor=personas.force_lead, case=make_case(personas.officer_a), data=referral_data(inbox_agency())
        )


def test_officer_home_shows_the_response_clock(personas):
    from django.urls import reverse

    from tests.conftest import verified_client

    referral = sent_referral(personas.officer_a, inbox_agency())
    body = verified_client(personas.officer_a).get(reverse("core:home")).content.decode()
    assert "Referrals awaiting an answer" in body and referral.reference in body and "Answer due" in body
    other = verified_client(personas.officer_b).get(reverse("core:home")).content.decode()
    assert referral.reference not in other


def test_a_mail_failure_leaves_the_referral_sent_and_is_logged(
    personas, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage

    def refuse(self, fail_silently=False):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        referral = sent_referral(personas.officer_a, inbox_agency())
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert "agency inbox failed" in caplog.text
