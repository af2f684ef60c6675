"""`manage.py seed_demo`: the synthetic demo force, idempotent, refusing real databases."""

from __future__ import annotations

import re
from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Agency, Team, User
from tests.accounts.flows import code_from_secret, is_verified, post_code, post_password
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^(officer|supervisor|force_lead|partner|admin)\s+(\S+@\S+)\s+.*\s([A-Z2-7]{16,})$", re.M)


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def logins(output: str) -> dict[str, tuple[str, str]]:
    """email -> (role, TOTP secret), as printed."""
    return {email: (role, secret) for role, email, secret in LINE.findall(output)}


def counts() -> dict[str, int]:
    return {
        "agencies": Agency.objects.count(),
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "devices": TOTPDevice.objects.count(),
        "supervisions": Team.supervisors.through.objects.count(),
    }


def test_seeds_a_force_with_six_teams_and_every_role():
    output = seed()
    force = Agency.objects.get(kind=Agency.Kind.POLICE_FORCE)
    assert Team.objects.filter(agency=force).count() == 6
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    partner_agencies = Agency.objects.filter(users__role=User.Role.PARTNER).distinct()
    assert partner_agencies.count() >= 3
    assert not partner_agencies.filter(kind=Agency.Kind.POLICE_FORCE).exists()
    assert not User.objects.filter(is_demo=False).exists()
    assert User.objects.filter(role=User.Role.SUPERVISOR, supervised_teams__isnull=False).exists()

    printed = logins(output)
    assert set(printed) == set(User.objects.values_list("email", flat=True))
    assert settings.DEMO_PASSWORD in output


def test_every_demo_user_is_enrolled_with_the_printed_secret():
    printed = logins(seed())
    for email, (role, secret) in printed.items():
        user = User.objects.get(email=email)
        assert user.role == role
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed
        assert user.check_password(settings.DEMO_PASSWORD)
        assert user.activated_at is not None
        from base64 import b32encode

        assert b32encode(device.bin_key).decode().rstrip("=") == secret


def test_running_twice_changes_nothing_and_prints_the_same_logins():
    first = seed()
    before = counts()
    second = seed()
    assert counts() == before
    assert logins(second) == logins(first)


def test_refuses_a_database_with_non_demo_users():
    UserFactory(email="real.person@force.example")
    with pytest.raises(CommandError, match="non-demo users"):
        seed()
    assert User.objects.count() == 1
    assert not Team.objects.filter(name__startswith="County Lines Team North").exists()


def test_if_empty_does_nothing_and_succeeds_on_a_database_with_real_users():
    UserFactory(email="real.person@force.example")
    output = seed("--if-empty")  # no CommandError: exit status 0
    assert "not loaded" in output
    assert User.objects.count() == 1
    assert not logins(output)


def test_if_empty_seeds_an_empty_database():
    assert logins(seed("--if-empty"))
    assert User.objects.filter(is_demo=True).exists()


@time_machine.travel(datetime.fromisoformat("2025-03-03 09:00:00+00:00"), tick=False)
def test_a_demo_user_signs_in_with_the_demo_password_and_the_printed_secret():
    printed = logins(seed())
    email = next(e for e, (role, _) in printed.items() if role == "officer")
    client = Client()
    assert post_password(client, email, settings.DEMO_PASSWORD).status_code == 302
    assert post_code(client, code_from_secret(printed[email][1])).status_code == 302
    assert is_verified(client)


@time_machine.travel(datetime.fromisoformat("2025-03-03 09:00:00+00:00"), tick=False)
def test_demo_code_prints_the_current_code():
    printed = logins(seed())
    email, (_, secret) = next(iter(printed.items()))
    out = StringIO()
    call_command("demo_code", email, stdout=out)
    assert out.getvalue().strip() == code_from_secret(secret)


def test_demo_code_refuses_a_real_account():
    UserFactory(email="real.person@force.example")
    with pytest.raises(CommandError):
        call_command("demo_code", "real.person@force.example", stdout=StringIO())
