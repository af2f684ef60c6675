"""django-axes lock-out, keyed on the email *and* the address together."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from tests.accounts.flows import VERIFY, post_code, post_password
from tests.factories import UserFactory, totp_code

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2025-03-03 09:00:00+00:00")
IP_1 = "10.0.0.1"
IP_2 = "10.0.0.2"
WRONG = "definitely-not-the-password"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def user_x():
    return UserFactory(email="xavier@testshire.example")


@pytest.fixture
def user_y():
    return UserFactory(email="yasmin@testshire.example")


def fail_until_locked(email: str, ip: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = post_password(Client(), email, WRONG, REMOTE_ADDR=ip)
        assert response.status_code == 200


def comparable(response) -> str:
    """The page without what differs on every response anyway (CSRF token, CSP nonce)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_failure_limit_is_five_in_tests():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_locked_out_user_is_refused_even_with_the_right_password(user_x):
    fail_until_locked(user_x.email, IP_1)
    client = Client()
    response = post_password(client, user_x.email, REMOTE_ADDR=IP_1)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_lockout_answer_is_the_same_as_a_wrong_password(user_x):
    # The answer to a wrong password for an account that is not locked out (another address).
    wrong = post_password(Client(), user_x.email, WRONG, REMOTE_ADDR="10.9.9.9")
    fail_until_locked(user_x.email, IP_1)
    locked = post_password(Client(), user_x.email, REMOTE_ADDR=IP_1)

    assert locked.status_code == wrong.status_code == 200
    assert b"Enter a correct email address and password" in locked.content
    assert comparable(locked) == comparable(wrong)


def test_lockout_answer_is_the_same_as_an_unknown_email(user_x):
    unknown = post_password(Client(), "nobody@testshire.example", WRONG, REMOTE_ADDR="10.9.9.9")
    unknown_html = comparable(unknown).replace("nobody@testshire.example", "EMAIL")
    fail_until_locked(user_x.email, IP_1)
    locked = post_password(Client(), user_x.email, REMOTE_ADDR=IP_1)

    assert locked.status_code == unknown.status_code
    assert comparable(locked).replace(user_x.email, "EMAIL") == unknown_html


def test_the_same_user_from_another_address_can_still_sign_in(user_x):
    fail_until_locked(user_x.email, IP_1)
    client = Client()
    response = post_password(client, user_x.email, REMOTE_ADDR=IP_2)
    assert response.status_code == 302
    assert response["Location"] == VERIFY
    assert post_code(client, totp_code(user_x), REMOTE_ADDR=IP_2).status_code == 302


def test_another_user_from_the_same_address_can_still_sign_in(user_x, user_y):
    fail_until_locked(user_x.email, IP_1)
    response = post_password(Client(), user_y.email, REMOTE_ADDR=IP_1)
    assert response.status_code == 302
    assert response["Location"] == VERIFY


def test_four_failures_do_not_lock_out(user_x):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_password(Client(), user_x.email, WRONG, REMOTE_ADDR=IP_1)
    assert post_password(Client(), user_x.email, REMOTE_ADDR=IP_1).status_code == 302


def test_lockout_counts_the_email_whatever_its_case(user_x):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_password(Client(), user_x.email.upper(), WRONG, REMOTE_ADDR=IP_1)
    assert post_password(Client(), user_x.email, REMOTE_ADDR=IP_1).status_code == 200


def test_lockout_ends_after_the_cool_off(user_x, frozen_time):
    fail_until_locked(user_x.email, IP_1)
    frozen_time.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert post_password(Client(), user_x.email, REMOTE_ADDR=IP_1).status_code == 302
