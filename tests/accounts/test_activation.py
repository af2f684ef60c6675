"""The single-use activation link: set a password and enrol an authenticator."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts import services
from safeguarding.accounts.models import User
from tests.accounts.flows import code_from_secret, field_errors, is_verified, post_code, post_password, shown_secret
from tests.factories import PoliceForceFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum orchard lantern river"
START = "2025-03-03 09:00:00+00:00"


@pytest.fixture
def invited(django_capture_on_commit_callbacks):
    """A new officer created by an admin: (user, token). The invitation email is sent."""
    force = PoliceForceFactory()
    admin = UserFactory(role=User.Role.ADMIN, agency=force)
    with django_capture_on_commit_callbacks(execute=True):
        user, token = services.user_create(
            actor=admin,
            email="new.officer@testshire.example",
            full_name="Nia Newcomer",
            role=User.Role.OFFICER,
            agency=force,
            team=TeamFactory(agency=force),
        )
    return user, token


ACTIVATION = reverse("accounts:activation")


def activate_url(token: str) -> str:
    return reverse("accounts:activate", args=[token])


def complete(client: Client, token: str, *, password: str = NEW_PASSWORD, code: str | None = None, confirm=None):
    """GET the page (as a person would), then post the password and the code from the shown secret."""
    page = client.get(activate_url(token), follow=True)
    assert page.status_code == 200
    return client.post(
        ACTIVATION,
        {
            "new_password1": password,
            "new_password2": confirm if confirm is not None else password,
            "code": code or code_from_secret(shown_secret(page)),
        },
    )


@time_machine.travel(START, tick=False)
def test_invitation_email_carries_the_link(invited):
    user, token = invited
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert activate_url(token) in mail.outbox[0].body


@time_machine.travel(START, tick=False)
def test_activation_sets_password_and_confirms_the_shown_device(invited):
    user, token = invited
    client = Client()
    response = complete(client, token)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.activated_at is not None
    devices = TOTPDevice.objects.filter(user=user)
    assert devices.count() == 1
    assert devices.get().confirmed


@time_machine.travel(START, tick=False)
def test_activation_does_not_sign_in(invited):
    _, token = invited
    client = Client()
    complete(client, token)

    assert "_auth_user_id" not in client.session
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_activated_user_signs_in_with_the_enrolled_authenticator(invited):
    user, token = invited
    client = Client()
    with time_machine.travel(START, tick=False):
        page = client.get(activate_url(token), follow=True)
        secret = shown_secret(page)
        client.post(
            ACTIVATION,
            {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "code": code_from_secret(secret)},
        )
    # One step later (a code cannot be used twice), the same app gives the next code.
    with time_machine.travel(timezone.datetime.fromisoformat(START) + timedelta(seconds=60), tick=False):
        assert post_password(client, user.email, NEW_PASSWORD).status_code == 302
        assert post_code(client, code_from_secret(secret)).status_code == 302
        assert is_verified(client)


@time_machine.travel(START, tick=False)
def test_activation_link_works_once(invited):
    _, token = invited
    complete(Client(), token)

    again = Client().get(activate_url(token), follow=True)
    assert again.status_code == 404
    assert b"This link cannot be used" in again.content


@time_machine.travel(START, tick=False)
def test_second_post_with_a_spent_link_changes_nothing(invited):
    user, token = invited
    client = Client()
    page = client.get(activate_url(token), follow=True)
    secret = shown_secret(page)
    complete(Client(), token)  # someone else finished first with the same link

    response = client.post(
        ACTIVATION,
        {
            "new_password1": "another long password",
            "new_password2": "another long password",
            "code": code_from_secret(secret),
        },
    )
    assert response.status_code == 404
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_activation_link_expires_after_the_configured_hours(invited):
    _, token = invited
    issued = timezone.datetime.fromisoformat(START)
    invitation = invited[0].invitations.get()
    invitation.created_at = issued
    invitation.expires_at = issued + timedelta(hours=settings.ACCOUNT_ACTIVATION_HOURS)
    invitation.save()
    assert settings.ACCOUNT_ACTIVATION_HOURS == 72

    with time_machine.travel(issued + timedelta(hours=71, minutes=59), tick=False):
        assert Client().get(activate_url(token), follow=True).status_code == 200
    with time_machine.travel(issued + timedelta(hours=72, seconds=1), tick=False):
        response = Client().get(activate_url(token), follow=True)
        assert response.status_code == 404
        assert b"This link cannot be used" in response.content


def test_activation_link_issued_now_expires_in_72_hours(invited):
    user, _ = invited
    invitation = user.invitations.get()
    assert invitation.expires_at - invitation.created_at == timedelta(hours=72)


@time_machine.travel(START, tick=False)
def test_reissuing_revokes_the_earlier_link(invited, django_capture_on_commit_callbacks):
    user, old_token = invited
    admin = User.objects.get(role=User.Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        new_token = services.invitation_reissue(actor=admin, user=user)

    assert Client().get(activate_url(old_token), follow=True).status_code == 404
    assert Client().get(activate_url(new_token), follow=True).status_code == 200
    assert mail.outbox[-1].to == [user.email]
    assert activate_url(new_token) in mail.outbox[-1].body


@time_machine.travel(START, tick=False)
def test_disabled_user_cannot_activate(invited):
    user, token = invited
    admin = User.objects.get(role=User.Role.ADMIN)
    services.user_set_active(actor=admin, user=user, active=False)
    assert Client().get(activate_url(token), follow=True).status_code == 404


@time_machine.travel(START, tick=False)
def test_the_same_secret_is_shown_on_reload(invited):
    _, token = invited
    client = Client()
    first = shown_secret(client.get(activate_url(token), follow=True))
    second = shown_secret(client.get(activate_url(token), follow=True))
    assert first == second


@time_machine.travel(START, tick=False)
def test_wrong_code_is_refused_and_the_same_secret_shown_again(invited):
    user, token = invited
    client = Client()
    secret = shown_secret(client.get(activate_url(token), follow=True))
    wrong = f"{(int(code_from_secret(secret)) + 1) % 1_000_000:06d}"

    response = client.post(ACTIVATION, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "code": wrong})
    assert response.status_code == 200
    assert "The code is not right" in field_errors(response, "code")
    assert shown_secret(response) == secret
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("plum orchard lantern river", "plum orchard lantern rivers", "The two passwords do not match"),
        ("short pass", "short pass", "at least 12 characters"),
        ("password1234", "password1234", "too common"),
    ],
    ids=["mismatch", "too-short", "common"],
)
@time_machine.travel(START, tick=False)
def test_bad_password_is_refused_with_the_error_by_the_field(invited, password, confirm, message):
    user, token = invited
    client = Client()
    secret = shown_secret(client.get(activate_url(token), follow=True))

    response = client.post(
        ACTIVATION,
        {"new_password1": password, "new_password2": confirm, "code": code_from_secret(secret)},
    )
    assert response.status_code == 200
    assert message in field_errors(response, "new_password2")
    assert shown_secret(response) == secret
    user.refresh_from_db()
    assert not user.has_usable_password()


@time_machine.travel(START, tick=False)
def test_code_still_works_after_a_password_mistake(invited):
    """A refused password must not spend the code typed with it: the person corrects the
    password and sends the same, still current, code again."""
    user, token = invited
    client = Client()
    secret = shown_secret(client.get(activate_url(token), follow=True))
    code = code_from_secret(secret)
    client.post(ACTIVATION, {"new_password1": "short pass", "new_password2": "short pass", "code": code})

    response = client.post(ACTIVATION, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "code": code})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


@time_machine.travel(START, tick=False)
def test_activation_signs_out_whoever_was_signed_in_on_that_browser(invited):
    _, token = invited
    someone = UserFactory()
    client = Client()
    client.force_login(someone, backend="django.contrib.auth.backends.ModelBackend")

    complete(client, token)
    assert "_auth_user_id" not in client.session


@time_machine.travel(START, tick=False)
def test_the_link_moves_its_token_into_the_session_and_away_from_the_address(invited):
    # Web and proxy logs hold every address; after the first request none of them carries the token.
    _, token = invited
    client = Client()
    response = client.get(activate_url(token))
    assert response.status_code == 302
    assert response["Location"] == ACTIVATION
    page = client.get(ACTIVATION)
    assert page.status_code == 200
    assert token not in page.content.decode()
    assert complete(client, token).status_code == 302


def test_the_token_free_address_without_a_kept_token_cannot_be_used():
    response = Client().get(ACTIVATION)
    assert response.status_code == 404
    assert b"This link cannot be used" in response.content
