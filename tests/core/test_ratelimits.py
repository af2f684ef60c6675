"""Rate limits: the mechanism, its 429 page, and the password-reset mail limits."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.decorators import login_not_required
from django.core import mail
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.ratelimits import rate_limit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
T0 = datetime.fromisoformat("2025-06-02 09:00:00+00:00")


@pytest.fixture(autouse=True)
def rates(settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "password_reset_address": "3/h",
        "password_reset_ip": "5/h",
        "record_create": "2/m",
    }


def reset(email: str, ip: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(RESET, {"email": email})


@time_machine.travel(T0, tick=False)
def test_password_reset_mail_is_limited_per_address():
    UserFactory(email="rita@testshire.example")
    answers = [reset("Rita@testshire.example ", ip=f"10.0.0.{i}").status_code for i in range(1, 6)]
    assert answers == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    # Another address is not affected.
    assert reset("sam@testshire.example", ip="10.0.0.9").status_code == 302


@time_machine.travel(T0, tick=False)
def test_password_reset_mail_is_limited_per_client_address():
    answers = [reset(f"person{i}@testshire.example").status_code for i in range(7)]
    assert answers == [302] * 5 + [429] * 2
    assert reset("someone@testshire.example", ip="10.0.0.2").status_code == 302


def test_the_429_page_says_when_to_try_again():
    with time_machine.travel(T0, tick=False):
        for _ in range(3):
            reset("rita@testshire.example")
        response = reset("rita@testshire.example", ip="10.0.0.2")
    assert response.status_code == 429
    body = response.content.decode()
    assert "You have tried this too many times" in body
    # Windows are fixed per key (django-ratelimit staggers them): the page names the window's end.
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 3600
    minutes = -(-seconds // 60)
    retry_at = timezone.localtime(T0 + timedelta(seconds=seconds))
    assert f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, after {retry_at:%H:%M}." in body
    # The next window lets it through again.
    with time_machine.travel(T0 + timedelta(seconds=seconds + 1), tick=False):
        assert reset("rita@testshire.example", ip="10.0.0.3").status_code == 302


def test_a_get_of_the_reset_form_is_not_counted():
    client = Client()
    assert all(client.get(RESET).status_code == 200 for _ in range(10))


def test_the_decorator_limits_per_signed_in_user_and_only_when_asked(personas):
    calls = []

    @login_not_required
    @rate_limit("record_create", method="POST", when=lambda request: "go" in request.POST)
    def view(request):
        calls.append(request.user)
        return HttpResponse("ok")

    factory = RequestFactory()

    def post(user, data):
        request = factory.post("/x", data)
        user.is_verified = lambda: True  # as django-otp's middleware marks a signed-in user
        request.user = user
        return view(request).status_code

    with time_machine.travel(T0, tick=False):
        assert [post(personas.officer_a, {"go": 1}) for _ in range(3)] == [200, 200, 429]
        assert post(personas.officer_b, {"go": 1}) == 200  # another user has a count of their own
        assert post(personas.officer_a, {}) == 200  # not counted when the predicate says no
    assert view.rate_limits == ("record_create",)
    assert getattr(view, "login_required", True) is False  # the view's marks survive


def test_an_unknown_rate_group_fails_at_import():
    with pytest.raises(KeyError):
        rate_limit("no_such_group")


def test_counters_live_in_redis_when_redis_url_is_set():
    code = (
        "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safeguarding.settings", "REDIS_URL": "redis://127.0.0.1:6379/5"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    env.pop("REDIS_URL")
    env["DATABASE_URL"] = "sqlite:///:memory:"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
