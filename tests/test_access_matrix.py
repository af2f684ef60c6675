"""The URL access matrix: every URL pattern of the project, GET as every persona,
against the matrix declared in tests/access_matrix.py. A URL missing from the matrix fails,
so every new view has to declare who may use it. No URL answers 500 to anyone.

The Django admin is covered by a rule rather than by listing each model's views: nobody but
the admin persona gets further than a redirect (or a 404 once signed in), and the admin gets the configuration pages.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safeguarding.accounts.admin import admin_site
from safeguarding.accounts.models import Agency
from tests import access_matrix
from tests.conftest import PERSONA_NAMES, Personas, make_personas

pytestmark = pytest.mark.django_db

SIGN_IN = reverse("accounts:sign_in")
VERIFY = reverse("accounts:verify")
DEFAULTS = {"anonymous": access_matrix.REDIRECT, "unverified": access_matrix.REDIRECT}
NON_ADMIN = [p for p in PERSONA_NAMES if p != "admin"]


def url_patterns(patterns=None, namespace: str = "") -> Iterator[tuple[str | None, URLPattern, str]]:
    """(namespaced name or None, pattern, namespace) for every pattern, depth first."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, prefix)
        else:
            yield (f"{namespace}{pattern.name}" if pattern.name else None), pattern, namespace


def project_url_names() -> set[str]:
    return {name for name, _, _ in url_patterns() if name and not name.startswith("admin:")}


def admin_url_names() -> set[str]:
    return {name for name, _, _ in url_patterns() if name and name.startswith("admin:")}


@pytest.fixture(scope="module")
def personas(django_db_setup, django_db_blocker) -> Iterator[Personas]:
    """The personas, built once for this module inside a transaction rolled back at the end.
    Each test runs in its own savepoint on top (pytest-django), so requests leave no trace."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_personas()
        transaction.set_rollback(True)


def get(personas: Personas, persona: str, url: str):
    """A fresh client per request, so no request can change what the next one sees;
    exceptions become 500 responses, which the matrix then reports."""
    client = personas.client(persona)
    client.raise_request_exception = False
    return client.get(url)


# --- The declared matrix covers exactly the project's URLs ----------------------------


def test_every_url_pattern_has_a_name():
    # The admin's own unnamed catch-alls are covered by the admin rule below.
    unnamed = [str(p.pattern) for name, p, ns in url_patterns() if name is None and not ns.startswith("admin:")]
    assert not unnamed, f"URL patterns without a name cannot be declared in the access matrix: {unnamed}"


def test_every_url_is_declared_in_the_matrix():
    missing = project_url_names() - set(access_matrix.full_matrix())
    assert not missing, f"Declare these views in tests/access_matrix.py (or an app matrix): {sorted(missing)}"


def test_the_matrix_declares_no_url_that_does_not_exist():
    stale = set(access_matrix.full_matrix()) - project_url_names()
    assert not stale, f"The access matrix declares URL names the project does not have: {sorted(stale)}"


def test_no_entry_expects_a_server_error():
    declared_500 = {name: row for name, row in access_matrix.full_matrix().items() if max(row.values()) >= 500}
    assert not declared_500


def test_every_entry_gives_every_signed_in_persona_a_status():
    incomplete = {
        name: sorted(set(access_matrix.SIGNED_IN) - set(row))
        for name, row in access_matrix.full_matrix().items()
        if set(access_matrix.SIGNED_IN) - set(row)
    }
    assert not incomplete, f"Matrix entries missing personas: {incomplete}"


# --- Each persona against the matrix -----------------------------------------------------


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_each_url_answers_as_declared(personas, persona):
    matrix = access_matrix.full_matrix()
    kwargs = access_matrix.all_url_kwargs(personas)
    wrong = []
    for name in sorted(matrix):
        url = reverse(name, kwargs=kwargs.get(name, {}))
        expected = matrix[name].get(persona, DEFAULTS.get(persona))
        response = get(personas, persona, url)
        if response.status_code != expected:
            wrong.append(f"{name} ({url}): expected {expected}, got {response.status_code}")
        elif persona in DEFAULTS and persona not in matrix[name] and expected == access_matrix.REDIRECT:
            # The default refusals go to the right step, not just anywhere.
            target = SIGN_IN if persona == "anonymous" else VERIFY
            if not response["Location"].startswith(target):
                wrong.append(f"{name} ({url}): redirected to {response['Location']}, not {target}")
    assert not wrong, f"{persona}:\n  " + "\n  ".join(wrong)


# --- The Django admin, by rule -------------------------------------------------------------


def admin_url(name: str, personas: Personas) -> str:
    """A URL for any admin view: object ids of a real agency, the accounts app."""
    pattern = next(p for n, p, _ in url_patterns() if n == name)
    values = {
        "object_id": personas.team_a.pk if "_team_" in name else personas.force.pk,
        "app_label": "accounts",
        "content_type_id": ContentType.objects.get_for_model(Agency).pk,
    }
    return reverse(name, kwargs={k: values[k] for k in pattern.pattern.regex.groupindex})


@pytest.mark.parametrize("persona", NON_ADMIN)
def test_admin_urls_only_redirect_or_refuse_everyone_but_the_admin(personas, persona):
    # Not yet fully signed in: sent to sign in. Signed in but not an admin: not found.
    expected = access_matrix.REDIRECT if persona in ("anonymous", "unverified") else access_matrix.NOT_FOUND
    wrong = []
    for name in sorted(admin_url_names()):
        url = admin_url(name, personas)
        status = get(personas, persona, url).status_code
        if status != expected:
            wrong.append(f"{name} ({url}): {status}")
    assert not wrong, f"{persona} got past the admin's guard:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize(
    "name",
    [
        "admin:index",
        "admin:app_list",
        "admin:accounts_agency_changelist",
        "admin:accounts_agency_add",
        "admin:accounts_agency_change",
        "admin:accounts_team_changelist",
        "admin:accounts_team_change",
    ],
)
def test_the_admin_reaches_the_configuration_pages(personas, name):
    assert get(personas, "admin", admin_url(name, personas)).status_code == access_matrix.OK


def test_no_admin_url_answers_500_to_the_admin(personas):
    errors = [
        name
        for name in sorted(admin_url_names())
        if get(personas, "admin", admin_url(name, personas)).status_code >= 500
    ]
    assert not errors


def test_admin_sign_in_goes_through_the_service_sign_in_with_its_second_factor(personas):
    response = get(personas, "anonymous", reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(SIGN_IN)


def test_the_admin_site_registers_no_people_cases_or_referrals():
    models = {model._meta.label_lower for model in admin_site._registry}
    assert "accounts.user" not in models
    assert not {label for label in models if label.split(".")[1] in {"user", "person", "case", "referral"}}
    assert {"accounts.agency", "accounts.team"} <= models
