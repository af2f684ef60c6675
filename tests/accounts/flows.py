"""The real sign-in steps, as a browser would take them, for tests that need them."""

from __future__ import annotations

import re
from base64 import b32decode
from html import unescape as html_unescape

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from tests.factories import TEST_PASSWORD, totp_code

SIGN_IN = reverse("accounts:sign_in")
VERIFY = reverse("accounts:verify")


def with_csrf(client: Client, url: str, data: dict) -> dict:
    """Add the page's CSRF token when the client checks CSRF as a browser would."""
    if not client.handler.enforce_csrf_checks:
        return data
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content)
    assert match, f"{url} shows no form"
    return {**data, "csrfmiddlewaretoken": match.group(1).decode()}


def post_password(client: Client, email: str, password: str = TEST_PASSWORD, **extra):
    return client.post(SIGN_IN, with_csrf(client, SIGN_IN, {"email": email, "password": password}), **extra)


def post_code(client: Client, code: str, **extra):
    return client.post(VERIFY, with_csrf(client, VERIFY, {"code": code}), **extra)


def sign_in(client: Client, user, password: str = TEST_PASSWORD, code: str | None = None, **extra):
    """Both steps. Returns the response of the second step."""
    response = post_password(client, user.email, password, **extra)
    assert response.status_code == 302, "the password step was refused"
    assert response["Location"] == VERIFY
    return post_code(client, code or totp_code(user), **extra)


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows for this base32 secret, now (30 s, 6 digits)."""
    secret = secret.replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def shown_secret(response) -> str:
    match = re.search(rb'data-secret="([A-Z2-7]+)"', response.content)
    assert match, "the page shows no setup key"
    return match.group(1).decode()


def is_verified(client: Client) -> bool:
    """Whether this client is signed in with both factors: home answers 200."""
    return client.get(reverse("core:home")).status_code == 200


def field_errors(response, field: str) -> str:
    """The text of the error messages rendered next to one field (GOV.UK error-message spans)."""
    html = response.content.decode()
    pattern = rf'<span id="id_{field}_\d+_error" class="govuk-error-message">\s*<span[^>]*>[^<]*</span>([^<]*)</span>'
    return " ".join(" ".join(html_unescape(text).split()) for text in re.findall(pattern, html))
