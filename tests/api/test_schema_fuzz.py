"""Property-based tests against the live OpenAPI schema (schemathesis): every operation,
with valid tokens for its scope, answers no 5xx and every answer conforms to the schema
(status, content type and body). Fixed seed and a bounded number of examples."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safeguarding.wsgi import application
from tests.api.helpers import CUSTODY, RESPOND, issue
from tests.referrals.helpers import inbox_agency, sent_referral

SCHEMA_URL = "/api/v1/schema/?format=json"


def not_a_server_error(ctx, response, case) -> None:
    assert response.status_code < 500, f"{case.method} {case.formatted_path} answered {response.status_code}"


@pytest.fixture
def api_schema(db):
    # Called straight through WSGI, Django would close the test's connection (and its
    # transaction) after each request; the test client avoids that the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi(SCHEMA_URL, application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(personas) -> dict[str, str]:
    mash = inbox_agency("Fuzz MASH")
    sent_referral(personas.officer_a, mash)
    return {
        "custody": issue(CUSTODY, agency=personas.force).token,
        "referrals": issue(RESPOND, agency=mash).token,
    }


OPERATIONS = [
    ("POST", "/api/v1/custody/detentions/"),
    ("GET", "/api/v1/referrals/"),
    ("GET", "/api/v1/referrals/{id}/"),
    ("POST", "/api/v1/referrals/{id}/acknowledge/"),
    ("POST", "/api/v1/referrals/{id}/accept/"),
    ("POST", "/api/v1/referrals/{id}/decline/"),
    ("POST", "/api/v1/referrals/{id}/updates/"),
]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_schema_lists_exactly_these_operations(api_schema):
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_every_operation_answers_within_its_schema(api_schema, tokens, method, path, mode):
    operation = api_schema[path][method]
    token = tokens["custody" if "/custody/" in path else "referrals"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=10,
        derandomize=True,  # the same examples on every run: a fixed seed
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    call()
