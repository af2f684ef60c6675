"""Content Security Policy, no-store caching and database sessions."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    result = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            result[words[0]] = words[1:]
    return result


@pytest.mark.parametrize("persona", ["anonymous", "officer_a"])
def test_csp_allows_scripts_only_from_self_or_with_the_pages_nonce(personas, persona):
    response = personas.client(persona).get(reverse("accounts:sign_in" if persona == "anonymous" else "core:home"))
    assert response.status_code == 200
    csp = directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    nonces = [v for v in csp["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    assert "'self'" in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]

    # Every inline script on the page carries that nonce.
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline)


def test_the_nonce_changes_on_every_response(personas):
    client = Client()
    first = directives(client.get(reverse("accounts:sign_in")))["script-src"]
    second = directives(client.get(reverse("accounts:sign_in")))["script-src"]
    assert first != second


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("officer_a", "/"),
        ("officer_a", "/notifications/"),
        ("force_lead", "/audit/"),
        ("admin", "/manage/users/"),
        ("admin", "/admin/"),
        ("unverified", "/sign-in/code/"),
        ("officer_a", "/session/status/"),
    ],
)
def test_signed_in_pages_are_never_stored(personas, persona, url):
    response = personas.client(persona).get(url)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_other_security_headers(personas):
    response = personas.client("officer_a").get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_sessions_are_kept_in_the_database(personas):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    client = personas.client("officer_a")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    session = Session.objects.get(session_key=key)
    assert session.get_decoded()["_auth_user_id"] == str(personas.officer_a.pk)


def test_the_session_cookie_is_http_only_and_same_site(personas):
    from tests.accounts.flows import post_password

    client = Client()
    post_password(client, personas.officer_a.email)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
