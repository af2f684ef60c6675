"""Idle timeout (15 minutes) and absolute limit (12 hours) of a signed-in session."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from tests.accounts.flows import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2025-03-03 09:00:00+00:00")
HOME = reverse("core:home")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user(clock):
    return UserFactory(email="ida@testshire.example")


@pytest.fixture
def client(user):
    client = Client()
    sign_in(client, user)
    assert client.get(HOME).status_code == 200
    return client


def test_limits_are_the_documented_ones():
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 15 * 60
    assert settings.SESSION_ABSOLUTE_LIMIT.total_seconds() == 12 * 3600
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_after_sixteen_idle_minutes_the_next_request_signs_out(client, clock):
    clock.shift(timedelta(minutes=16))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next=%2F"
    assert "_auth_user_id" not in client.session

    page = client.get(response["Location"])
    assert b"You were signed out because you had not done anything for 15 minutes." in page.content


def test_idle_sign_out_is_audited(client, clock, user):
    clock.shift(timedelta(minutes=16))
    client.get(HOME)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT, actor_id=user.pk).get()
    assert event.summary == "session_idle"


def test_idle_sign_out_deletes_the_session(client, clock):
    key = client.session.session_key
    clock.shift(timedelta(minutes=16))
    client.get(HOME)
    assert not Session.objects.filter(session_key=key).exists()


def test_just_under_the_idle_timeout_the_session_lives(client, clock):
    clock.shift(timedelta(minutes=14, seconds=59))
    assert client.get(HOME).status_code == 200


def test_activity_within_fifteen_minutes_keeps_the_session(client, clock):
    for _ in range(6):
        clock.shift(timedelta(minutes=10))
        assert client.get(HOME).status_code == 200


def test_checking_the_time_left_is_not_activity(client, clock):
    clock.shift(timedelta(minutes=10))
    status = client.get(reverse("core:session_status"))
    assert status.status_code == 200
    assert status.json()["remaining_seconds"] == 5 * 60

    clock.shift(timedelta(minutes=6))
    assert client.get(HOME).status_code == 302


def test_stay_signed_in_counts_as_activity(client, clock):
    clock.shift(timedelta(minutes=14))
    response = client.post(reverse("core:session_keepalive"))
    assert response.status_code == 200
    assert response.json()["remaining_seconds"] == 15 * 60

    clock.shift(timedelta(minutes=14))
    assert client.get(HOME).status_code == 200


def test_after_twelve_hours_the_session_ends_even_with_activity(client, clock):
    for _ in range(12 * 6 - 1):  # a request every 10 minutes, up to 11 h 50 min
        clock.shift(timedelta(minutes=10))
        assert client.get(HOME).status_code == 200

    clock.shift(timedelta(minutes=10, seconds=1))
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    page = client.get(response["Location"])
    assert b"You were signed out because you had been signed in for 12 hours." in page.content


def test_time_left_is_capped_by_the_absolute_limit(client, clock):
    for _ in range(12 * 6 - 1):
        clock.shift(timedelta(minutes=10))
        client.get(HOME)
    # 11 h 50 min in, just active: 10 minutes left, not 15.
    assert client.get(reverse("core:session_status")).json()["remaining_seconds"] == 10 * 60


def test_an_expired_script_request_gets_401_json(client, clock):
    clock.shift(timedelta(minutes=16))
    response = client.post(reverse("core:session_keepalive"), headers={"x-requested-with": "fetch"})
    assert response.status_code == 401
    assert response.json() == {"signed_in": False, "reason": "idle"}


def test_the_status_probe_after_the_timeout_says_no_time_left_but_does_not_sign_out(client, clock):
    clock.shift(timedelta(minutes=16))
    status = client.get(reverse("core:session_status"), headers={"x-requested-with": "fetch"})
    assert status.status_code == 200
    assert status.json() == {"remaining_seconds": 0}
    # The session is still there to be ended by the next real request (so that a form
    # then sent can be kept for the same user), and that request does end it.
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_timeout_also_applies_before_the_second_factor(user, clock):
    client = Client()
    client.post(reverse("accounts:sign_in"), {"email": user.email, "password": "a-long-test-password-42"})
    clock.shift(timedelta(minutes=16))
    response = client.get(reverse("accounts:verify"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))
    assert "_auth_user_id" not in client.session


def test_signing_in_again_after_the_timeout_works(client, clock, user):
    clock.shift(timedelta(minutes=16))
    client.get(HOME)
    clock.shift(timedelta(seconds=30))  # a new code step
    sign_in(client, user)
    assert client.get(HOME).status_code == 200
