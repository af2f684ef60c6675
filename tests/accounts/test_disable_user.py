"""Disabling a user ends their sessions at once."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from safeguarding.accounts import services
from safeguarding.accounts.models import User
from tests.accounts.flows import is_verified, post_password, sign_in
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_disabled_user_is_signed_out_on_the_next_request(personas):
    client = personas.client("officer_a")
    assert is_verified(client)

    services.user_set_active(actor=personas.admin, user=personas.officer_a, active=False)

    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_disabling_deletes_every_session_of_the_user(personas):
    first, second = verified_client(personas.officer_a), verified_client(personas.officer_a)
    colleague = verified_client(personas.officer_a2)
    keys = [first.session.session_key, second.session.session_key]

    services.user_set_active(actor=personas.admin, user=personas.officer_a, active=False)

    assert not Session.objects.filter(session_key__in=keys).exists()
    assert is_verified(colleague)


@time_machine.travel("2025-03-03 09:00:00+00:00", tick=False)
def test_sessions_from_the_real_sign_in_steps_end_too():
    user = UserFactory()
    admin = UserFactory(role=User.Role.ADMIN, agency=user.agency)
    client = Client()
    sign_in(client, user)
    key = client.session.session_key

    services.user_set_active(actor=admin, user=user, active=False)

    assert not Session.objects.filter(session_key=key).exists()
    assert not is_verified(client)


@time_machine.travel("2025-03-03 09:00:00+00:00", tick=False)
def test_disabled_user_cannot_sign_in():
    user = UserFactory(is_active=False)
    response = post_password(Client(), user.email)
    assert response.status_code == 200
    assert b"Enter a correct email address and password" in response.content


def test_admin_disables_through_the_account_page(personas):
    target = verified_client(personas.officer_b)
    admin = personas.client("admin")

    response = admin.post(reverse("accounts:manage_user_action", args=[personas.officer_b.pk, "disable"]))
    assert response.status_code == 302
    personas.officer_b.refresh_from_db()
    assert not personas.officer_b.is_active
    assert target.get(reverse("core:home")).status_code == 302


def test_re_enabled_user_can_sign_in_again(personas):
    services.user_set_active(actor=personas.admin, user=personas.officer_b, active=False)
    services.user_set_active(actor=personas.admin, user=personas.officer_b, active=True)
    with time_machine.travel("2025-03-03 09:00:00+00:00", tick=False):
        client = Client()
        sign_in(client, personas.officer_b)
        assert is_verified(client)
