"""Password reset by email: never touches MFA, never signs in, ends every session."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.flows import VERIFY, field_errors, is_verified, post_code, post_password, sign_in
from tests.conftest import verified_client
from tests.factories import UserFactory, totp_code

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2025-03-03 09:00:00+00:00")
NEW_PASSWORD = "tangerine bicycle harbour fog"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user():
    return UserFactory(email="rita@testshire.example")


def request_reset(email: str) -> str:
    """Ask for a reset and return the path of the link in the email."""
    response = Client().post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    match = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def open_link(client: Client, link: str):
    """Follow the emailed link: Django moves the token into the session and redirects."""
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    return form_url


def test_reset_email_goes_to_the_user_and_says_mfa_stays(user):
    request_reset(user.email)
    assert mail.outbox[0].to == [user.email]
    assert "authenticator app is not changed" in mail.outbox[0].body


def test_unknown_email_gets_the_same_answer_and_no_email():
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@testshire.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_the_emailed_link_sets_a_new_password(user):
    client = Client()
    form_url = open_link(client, request_reset(user.email))
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_reset_does_not_sign_the_user_in(user):
    client = Client()
    form_url = open_link(client, request_reset(user.email))
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:home")).status_code == 302


def test_reset_leaves_the_authenticator_in_place_and_required(user, frozen_time):
    device_before = TOTPDevice.objects.get(user=user)
    client = Client()
    form_url = open_link(client, request_reset(user.email))
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    device_after = TOTPDevice.objects.get(user=user, confirmed=True)
    assert device_after.pk == device_before.pk
    assert device_after.key == device_before.key

    # The new password alone does not get in: the code step still stands in the way.
    response = post_password(client, user.email, NEW_PASSWORD)
    assert response["Location"] == VERIFY
    assert client.get(reverse("core:home"))["Location"] == VERIFY
    assert post_code(client, totp_code(user)).status_code == 302
    assert is_verified(client)


def test_reset_ends_every_existing_session(user):
    elsewhere = Client()
    sign_in(elsewhere, user)
    forced = verified_client(user)
    assert is_verified(elsewhere)
    assert is_verified(forced)

    client = Client()
    form_url = open_link(client, request_reset(user.email))
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    for other in (elsewhere, forced):
        response = other.get(reverse("core:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert not Session.objects.filter(session_key=elsewhere.session.session_key).exists()


def test_the_link_works_once(user):
    link = request_reset(user.email)
    client = Client()
    form_url = open_link(client, link)
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client()
    response = again.get(link, follow=True)
    assert b"This link cannot be used" in response.content


def test_the_link_expires(user, frozen_time):
    link = request_reset(user.email)
    frozen_time.shift(timedelta(hours=1, seconds=1))
    response = Client().get(link, follow=True)
    assert b"This link cannot be used" in response.content


@pytest.mark.parametrize(
    ("password", "message"),
    [("short words", "at least 12 characters"), ("password1234", "too common")],
    ids=["too-short", "common"],
)
def test_new_password_follows_the_ncsc_rules(user, password, message):
    client = Client()
    form_url = open_link(client, request_reset(user.email))
    response = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 200
    assert message in field_errors(response, "new_password2")
    user.refresh_from_db()
    assert not user.check_password(password)


def test_a_long_password_needs_no_digits_or_symbols(user):
    client = Client()
    form_url = open_link(client, request_reset(user.email))
    response = client.post(form_url, {"new_password1": "lowercase words only", "new_password2": "lowercase words only"})
    assert response.status_code == 302


def test_the_reset_fails_whole_when_its_audit_row_cannot_be_written(user):
    from unittest import mock

    from django.db import DatabaseError

    from safeguarding.audit.models import AuditEvent

    client = Client()
    form_url = open_link(client, request_reset(user.email))
    with (
        mock.patch.object(AuditEvent.objects, "create", side_effect=DatabaseError("audit unavailable")),
        pytest.raises(DatabaseError),
    ):
        client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_the_reset_is_audited(user):
    from safeguarding.audit.models import AuditEvent

    client = Client()
    form_url = open_link(client, request_reset(user.email))
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_type="accounts.user")
    assert event.actor_id == user.pk
    assert event.summary == "Password reset by email link"


def test_the_link_moves_its_token_out_of_the_address(user):
    # Web and proxy logs hold every address; after the first request none of them carries the token.
    link = request_reset(user.email)
    token = link.rstrip("/").rsplit("/", 1)[1]
    client = Client()
    form_url = open_link(client, link)
    assert token not in form_url
    assert token not in client.get(form_url).content.decode()
