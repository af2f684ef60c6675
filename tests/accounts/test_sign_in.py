"""Sign-in with email and password, then a mandatory TOTP code."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.flows import VERIFY, field_errors, is_verified, post_code, post_password, sign_in
from tests.factories import UserFactory, totp_code

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2025-03-03 09:00:00+00:00")


def later(seconds: int):
    return time_machine.travel(START + timedelta(seconds=seconds), tick=False)


@pytest.fixture
def user():
    return UserFactory(email="alice@testshire.example")


@later(0)
def test_password_then_code_signs_in(user):
    client = Client()
    response = post_password(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert not is_verified(client)

    response = post_code(client, totp_code(user))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert is_verified(client)


@later(0)
def test_email_is_not_case_sensitive(user):
    response = post_password(Client(), "Alice@Testshire.Example")
    assert response.status_code == 302


@later(0)
def test_wrong_password_is_refused(user):
    client = Client()
    response = post_password(client, user.email, "not-the-password-at-all")
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content
    assert "_auth_user_id" not in client.session


@later(0)
def test_after_sign_in_the_user_goes_to_the_page_they_asked_for(user):
    client = Client()
    client.post(reverse("accounts:sign_in") + "?next=/notifications/", {"email": user.email, "password": "x"})
    client.post(
        reverse("accounts:sign_in"),
        {"email": user.email, "password": "a-long-test-password-42", "next": "/notifications/"},
    )
    response = post_code(client, totp_code(user))
    assert response["Location"] == "/notifications/"


@later(0)
def test_next_to_another_site_is_ignored(user):
    client = Client()
    client.post(
        reverse("accounts:sign_in"),
        {"email": user.email, "password": "a-long-test-password-42", "next": "https://evil.example/"},
    )
    response = post_code(client, totp_code(user))
    assert response["Location"] == reverse("core:home")


@later(0)
def test_wrong_code_is_refused(user):
    client = Client()
    post_password(client, user.email)
    wrong = f"{(int(totp_code(user)) + 1) % 1_000_000:06d}"

    response = post_code(client, wrong)
    assert response.status_code == 200
    assert "The code is not right" in field_errors(response, "code")
    assert not is_verified(client)


def test_a_code_cannot_be_used_twice(user):
    with later(0):
        first = Client()
        code = totp_code(user)
        sign_in(first, user, code=code)
        assert is_verified(first)

        # Same code, same 30-second step, a new session (another browser).
        second = Client()
        post_password(second, user.email)
        response = post_code(second, code)
        assert response.status_code == 200
        assert "has been used already" in field_errors(response, "code")
        assert not is_verified(second)

    # The next step's code works.
    with later(30):
        assert post_code(second, totp_code(user)).status_code == 302
        assert is_verified(second)


def test_an_older_code_cannot_be_used_after_a_newer_one(user):
    with later(0):
        old_code = totp_code(user)
    with later(30):
        sign_in(Client(), user)  # uses the newer code
        client = Client()
        post_password(client, user.email)
        assert post_code(client, old_code).status_code == 200


@later(0)
def test_a_user_without_an_authenticator_is_signed_out_at_the_code_step():
    user = UserFactory(device=False)
    client = Client()
    post_password(client, user.email)
    response = client.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in")
    assert "_auth_user_id" not in client.session


@later(0)
def test_an_unconfirmed_device_is_not_accepted():
    user = UserFactory(device=False)
    device = TOTPDevice.objects.create(user=user, name="half enrolled", confirmed=False)
    client = Client()
    post_password(client, user.email)
    from django_otp.oath import TOTP

    code = f"{TOTP(device.bin_key).token():06d}"
    response = post_code(client, code)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in")
    assert not is_verified(client)


# --- Before the second factor, nothing but the sign-in steps and public pages --------


@pytest.fixture
def half_signed_in(user):
    with later(0):
        client = Client()
        post_password(client, user.email)
        yield client


@pytest.mark.parametrize(
    "url", ["/", "/notifications/", "/audit/", "/manage/users/", "/manage/system/", "/session/status/", "/admin/"]
)
def test_before_the_second_factor_protected_pages_send_to_the_code_step(half_signed_in, url):
    response = half_signed_in.get(url)
    assert response.status_code == 302
    assert response["Location"] == VERIFY


def test_before_the_second_factor_posts_are_refused_too(half_signed_in):
    for url in ["/session/keepalive/", "/notifications/read/"]:
        response = half_signed_in.post(url)
        assert response.status_code == 302
        assert response["Location"] == VERIFY


@pytest.mark.parametrize(
    ("url", "status"),
    [("/sign-in/", 200), ("/sign-in/code/", 200), ("/password-reset/", 200), ("/activate/unknown/", 404)],
)
def test_before_the_second_factor_the_sign_in_steps_and_public_pages_answer(half_signed_in, url, status):
    assert half_signed_in.get(url).status_code == status


def test_before_the_second_factor_the_user_can_sign_out(half_signed_in):
    response = half_signed_in.post(reverse("accounts:sign_out"))
    assert response.status_code == 302
    assert "_auth_user_id" not in half_signed_in.session
    assert half_signed_in.get(VERIFY)["Location"].startswith(reverse("accounts:sign_in"))


@later(0)
def test_sign_out_ends_the_session(user):
    client = Client()
    sign_in(client, user)
    session_key = client.session.session_key
    client.post(reverse("accounts:sign_out"))

    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=session_key).exists()
    assert not is_verified(client)


@later(0)
def test_sign_in_page_sends_a_signed_in_user_on(user):
    client = Client()
    sign_in(client, user)
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_second_factor_is_throttled_after_wrong_codes(user):
    """django-otp refuses even the right code for a moment after a wrong one."""
    with later(0):
        client = Client()
        post_password(client, user.email)
        post_code(client, "000000" if totp_code(user) != "000000" else "111111")
        assert post_code(client, totp_code(user)).status_code == 200
    with later(5):
        assert post_code(client, totp_code(user)).status_code == 302


def test_a_code_typed_with_a_space_as_apps_show_it_is_accepted(user):
    client = Client()
    code = totp_code(user)
    response = sign_in(client, user, code=f"{code[:3]} {code[3:]}")
    assert response.status_code == 302
    assert is_verified(client)


def test_a_code_of_letters_is_refused_with_a_clear_message(user):
    client = Client()
    post_password(client, user.email)
    response = post_code(client, "12a456")
    assert response.status_code == 200
    assert b"Enter the 6 digits shown in your authenticator app" in response.content
    assert not is_verified(client)


def test_the_session_key_changes_again_at_the_second_factor(user):
    from safeguarding.accounts.models import UserSession

    with later(0):
        client = Client()
        post_password(client, user.email)
        after_password = client.session.session_key
        assert post_code(client, totp_code(user)).status_code == 302
        after_code = client.session.session_key
        assert after_code != after_password
        assert is_verified(client)
        # The key learnt between the two steps opens nothing, and the new one is still tracked
        # (so that a password reset or disabling the account ends it).
        stale = Client()
        stale.cookies["sessionid"] = after_password
        assert not is_verified(stale)
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [after_code]
