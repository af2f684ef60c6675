"""Every POST endpoint, fed its forms' fields with hostile values, answers 2xx, 3xx or
4xx and never 5xx: over-long text, NUL bytes, numbers too big for the database, wrong
types, repeated fields, other teams' record ids, and for file fields broken CSVs.

The forms are read from the HTML of every page the access matrix declares, as each
persona allowed there sees it, and grouped by the URL they post to; a POST-only URL no
page links to gets a few generic field names. Each form is posted with every field
hostile at once, and (as its most capable user) one field at a time with the others
left as the page filled them, so that the hostile value reaches past form validation.
A form found on many pages (the header's sign-out button) is walked once.
Every request runs in a savepoint rolled back after it, so none changes what the next sees.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from http.cookies import SimpleCookie

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tests import access_matrix
from tests.conftest import make_personas
from tests.factories.cases import CaseFactory, TaskFactory
from tests.security.walk import WALKERS, Form, forms_in, matrix_urls, walkers_of

pytestmark = pytest.mark.django_db

# POST-only actions no page of the walk links to still get these.
GENERIC_FIELDS = ["next", "version", "reason", "pk", "id", "action", "other", "confirm"]

FIXED_HOSTILE = {
    "over-long": "A" * 20_000,
    "NUL byte": "bad\x00value",
    "number too big": "9" * 30,
    "negative": "-1",
    "not a number": "12abc",
    "impossible date": "2026-02-30",
    "markup": "<script>alert(1)</script>' OR 1=1 --",
    "only spaces": "   ",
}

HOSTILE_FILES = {
    "200,000-character field on line 3": b"Surname,Forename\nSmith,Jo\n" + b"x" * 200_000 + b",Jo\n",
    "200,000 columns": b",".join([b"c"] * 200_000) + b"\n" + b",".join([b"1"] * 200_000) + b"\n",
    "NUL bytes": b"Surname,Forename\nSm\x00ith,Jo\n",
    "not text": bytes(range(256)) * 40,
    "empty": b"",
}

# One field at a time gets only these (the rest are tried with every field at once).
ONE_AT_A_TIME = ("over-long", "NUL byte", "number too big", "another team's person")


# Owned elsewhere: the custody list's own column and field limits.
@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """Personas, the declared URLs, another team's records, and every POST form by target."""
    with django_db_blocker.unblock(), transaction.atomic():
        personas = make_personas()
        urls = matrix_urls(personas)
        theirs = CaseFactory(owner=personas.officer_b)
        hostile = {
            **FIXED_HOSTILE,
            "another team's person": str(theirs.person.pk),
            "another team's case": str(theirs.pk),
            "another team's task": str(TaskFactory(case=theirs).pk),
            "another team's officer": str(personas.officer_b.pk),
        }
        clients = {persona: personas.client(persona) for persona in WALKERS}
        forms: dict[tuple[str, str], list[Form]] = defaultdict(list)
        for name, url in urls.items():
            for persona in walkers_of(name):
                response = _request(clients[persona], "get", url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                for form in forms_in(response.content.decode(), url):
                    if form.method == "post" and form.fields.keys() | set(form.files) | set(form.buttons):
                        found = forms[(persona, form.action)]
                        if form.shape() not in {f.shape() for f in found}:
                            found.append(form)
        yield {"clients": clients, "urls": urls, "forms": forms, "hostile": hostile}
        transaction.set_rollback(True)


def _request(client, method: str, url: str, data=None):
    """One request in a savepoint rolled back after it, the client's cookies put back
    (a sign-out must not sign the walk out); an exception in the view becomes the 500
    it would be."""
    cookies = client.cookies
    client.cookies = SimpleCookie(cookies)
    client.raise_request_exception = False
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response


def _payloads(form: Form, hostile: dict[str, str], one_at_a_time: bool) -> Iterator[tuple[str, dict]]:
    names = form.names()
    for label, value in hostile.items():
        yield f"every field {label}", dict.fromkeys(names, value)
    yield "every field repeated", {name: ["1", "2"] for name in names}
    for label, content in HOSTILE_FILES.items():
        if form.files:
            files = {name: SimpleUploadedFile("list.csv", content, "text/csv") for name in form.files}
            yield f"file {label}", {**form.baseline(), **files}
    if one_at_a_time:
        for name in names:
            for label in ONE_AT_A_TIME:
                yield f"{name} {label}", {**form.baseline(), name: hostile[label]}


def _named_posts() -> list:
    params = []
    for name in sorted(access_matrix.full_matrix()):
        params.append(pytest.param(name, id=name))
    return params


@pytest.mark.parametrize("name", _named_posts())
def test_no_post_answers_a_server_error(walk, name, settings):
    # Rate limits would answer 429 before the hostile values reach the forms.
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "100000/h")
    url = walk["urls"][name]
    errors = []
    # Two personas per URL: the most capable, and one other role (a refusal path).
    for index, persona in enumerate(walkers_of(name)[:2]):
        forms = walk["forms"].get((persona, url))
        # A URL no form posts to gets the generic names all at once only: one at a time,
        # beside empty guesses at the other fields, they reach no further into a view.
        one_at_a_time = index == 0 and bool(forms)
        for form in forms or [Form(action=url, method="post", fields={f: [""] for f in GENERIC_FIELDS})]:
            for label, data in _payloads(form, walk["hostile"], one_at_a_time=one_at_a_time):
                status = _request(walk["clients"][persona], "post", url, data).status_code
                if status >= 500:
                    errors.append(f"{persona}: {label} -> {status}")
    assert not errors, f"POST {url} answered a server error:\n  " + "\n  ".join(errors[:30])
