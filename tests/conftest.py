"""Shared fixtures: the personas every access test uses (healthchecks' alice / bob / charlie).

officer_a works in team_a; officer_b in team_b; supervisor supervises team_a;
force_lead reads across the force; partner works for a partner agency; admin configures.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import User
from tests.factories import PartnerAgencyFactory, PoliceForceFactory, TeamFactory, UserFactory


def suite_now() -> datetime | None:
    """The instant the suite runs at (`SUITE_NOW`, ISO 8601 with an offset), or None for
    the real clock. `make test SUITE_NOW=2026-10-25T01:30+01:00` runs every test as if
    it were that moment; `make test-clocks` runs the suite at five hostile instants."""
    value = os.environ.get("SUITE_NOW", "").strip()
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"SUITE_NOW needs an offset (for example +00:00 or +01:00): {value!r}")
    return moment


SUITE_NOW = suite_now()


def pytest_report_header(config) -> str:
    return f"suite clock: {SUITE_NOW.isoformat() if SUITE_NOW else 'real time'}"


# A test reads the clock or dates when its module (or a conftest.py between it and tests/)
# says any of these. `make test-clocks` runs such tests at every hostile instant and the
# rest of the suite at one instant that rotates by commit. A test the pattern misses can
# say so itself with @pytest.mark.instants.
READS_THE_CLOCK = re.compile(
    r"time_machine|timezone\.(now|localdate|localtime)|date\.today|datetime\.now|\bdate\(|datetime\("
    r"|timedelta|tests\.dates|born_years_ago|years_before|SUITE_NOW|working_day|holiday|travel\("
)
TESTS = Path(__file__).parent


def _reads_the_clock(path: Path, seen: dict[Path, bool]) -> bool:
    if path not in seen:
        sources = [path, *(folder / "conftest.py" for folder in path.parents if TESTS in folder.parents)]
        seen[path] = any(
            source.is_file() and READS_THE_CLOCK.search(source.read_text(encoding="utf-8")) for source in sources
        )
    return seen[path]


def pytest_collection_modifyitems(config, items) -> None:
    seen: dict[Path, bool] = {}
    for item in items:
        if _reads_the_clock(Path(item.fspath), seen):
            item.add_marker(pytest.mark.instants)


@pytest.fixture(autouse=True)
def _suite_clock() -> Iterator[None]:
    """Every test starts at SUITE_NOW with a ticking clock (time-machine moves Python's
    clocks: datetime, time.time, and Django's timezone.now with them). Tests that travel
    further nest inside it. Worker and beat processes that tests start are moved to the
    same instant by tests/timeshift.py."""
    if SUITE_NOW is None:
        yield
        return
    with time_machine.travel(SUITE_NOW, tick=True):
        yield


def verified_client(user: User) -> Client:
    """A client signed in with both factors, as after the real sign-in steps."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()
    return client


def password_only_client(user: User) -> Client:
    """Signed in with the password but not yet the second factor."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@dataclass
class Personas:
    force: object
    partner_agency: object
    team_a: object
    team_b: object
    officer_a: User
    officer_a2: User
    officer_b: User
    supervisor: User
    force_lead: User
    partner: User
    admin: User

    def client(self, name: str) -> Client:
        if name == "anonymous":
            return Client()
        if name == "unverified":
            return password_only_client(self.officer_a)
        return verified_client(getattr(self, name))


PERSONA_NAMES = ["anonymous", "unverified", "officer_a", "officer_b", "supervisor", "force_lead", "partner", "admin"]


def make_personas() -> Personas:
    force = PoliceForceFactory()
    partner_agency = PartnerAgencyFactory(name="Testshire Children's Services")
    team_a = TeamFactory(name="Team A", agency=force)
    team_b = TeamFactory(name="Team B", agency=force)
    return Personas(
        force=force,
        partner_agency=partner_agency,
        team_a=team_a,
        team_b=team_b,
        officer_a=UserFactory(email="alice@testshire.example", full_name="Alice Officer", team=team_a, agency=force),
        officer_a2=UserFactory(email="amir@testshire.example", full_name="Amir Officer", team=team_a, agency=force),
        officer_b=UserFactory(email="bob@testshire.example", full_name="Bob Officer", team=team_b, agency=force),
        supervisor=UserFactory(
            email="sarah@testshire.example",
            full_name="Sarah Sergeant",
            role=User.Role.SUPERVISOR,
            agency=force,
            supervises=[team_a],
        ),
        force_lead=UserFactory(
            email="fiona@testshire.example", full_name="Fiona Lead", role=User.Role.FORCE_LEAD, agency=force
        ),
        partner=UserFactory(
            email="pat@partner.example", full_name="Pat Partner", role=User.Role.PARTNER, agency=partner_agency
        ),
        admin=UserFactory(email="adam@testshire.example", full_name="Adam Admin", role=User.Role.ADMIN, agency=force),
    )


@pytest.fixture
def personas(db) -> Personas:
    return make_personas()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every test starts with no rate-limit counts (they live in the cache)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def default_checklist_template(request) -> None:
    """The 48-hour checklist's version 1 comes from a data migration, and a transactional
    test (browser, workers) flushes it away for the tests after it on the same worker:
    put it back, with the migration's own code, for every test that uses the database."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("db")
    importlib.import_module("custody.migrations.0002_checklists").create_default_template(apps, None)
