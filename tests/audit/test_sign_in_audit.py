"""Every sign-in and failed sign-in is in the s62 log."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from tests.accounts.flows import post_code, post_password, sign_in
from tests.factories import UserFactory, totp_code

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime.fromisoformat("2025-03-03 09:00:00+00:00"), tick=False):
        yield


@pytest.fixture
def user():
    return UserFactory(email="sam@testshire.example")


def test_both_sign_in_steps_are_recorded(user):
    sign_in(Client(), user, REMOTE_ADDR="192.0.2.7")
    events = list(AuditEvent.objects.filter(action=Action.SIGN_IN).order_by("id"))
    assert [e.summary for e in events] == ["Password accepted", "Second factor accepted"]
    for event in events:
        assert event.actor_id == user.pk
        assert event.actor_email == user.email
        assert event.ip_address == "192.0.2.7"


def test_a_wrong_password_is_recorded_with_the_email_tried(user):
    post_password(Client(), "Sam@Testshire.example", "wrong-password-here", REMOTE_ADDR="192.0.2.8")
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.actor_email == "sam@testshire.example"
    assert event.actor_id is None
    assert event.ip_address == "192.0.2.8"
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()


def test_an_unknown_email_is_recorded_too():
    post_password(Client(), "nobody@testshire.example", "wrong-password-here")
    assert AuditEvent.objects.get(action=Action.SIGN_IN_FAILED).actor_email == "nobody@testshire.example"


def test_a_locked_out_attempt_is_recorded(user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_password(Client(), user.email, "wrong-password-here")
    post_password(Client(), user.email)  # right password, locked out
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).count() == settings.AXES_FAILURE_LIMIT + 1
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()


def test_a_wrong_code_is_recorded_as_a_failed_sign_in(user):
    client = Client()
    post_password(client, user.email)
    wrong = f"{(int(totp_code(user)) + 1) % 1_000_000:06d}"
    post_code(client, wrong)
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.actor_id == user.pk
    assert event.summary == "Second factor refused"


def test_sign_out_is_recorded(user):
    client = Client()
    sign_in(client, user)
    client.post(reverse("accounts:sign_out"))
    event = AuditEvent.objects.get(action=Action.SIGN_OUT)
    assert event.actor_id == user.pk
