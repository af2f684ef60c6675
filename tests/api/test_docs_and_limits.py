"""The schema and its docs page (served from this service, under the CSP), the
per-client rate limit, and problem details."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from api.auth import PerClientThrottle
from tests.api.helpers import READ, api_for, issue

pytestmark = pytest.mark.django_db

LIST = reverse("api:referral_list")


def test_the_schema_is_openapi_3_and_names_the_token_scheme(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert "/api/v1/custody/detentions/" in schema["paths"]


def test_the_docs_page_loads_its_files_from_this_service_under_the_csp(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    page = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "<script>" not in page and "<style>" not in page  # nothing inline for the CSP to refuse
    assert "cdn" not in page.lower() and "https://" not in page
    for src in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert f"/static/drf_spectacular_sidecar/swagger-ui-dist/{src}" in page
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{src}")
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in script.content.decode()


def test_an_unknown_api_path_is_a_404_problem(client):
    response = client.get("/api/v1/referrals/not-a-number/")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_past_the_rate_limit_a_client_gets_429_with_retry_after(monkeypatch):
    monkeypatch.setattr(PerClientThrottle, "THROTTLE_RATES", {"api_client": "3/min"})
    api = api_for(issue(READ))
    other = api_for(issue(READ))
    assert [api.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(LIST)
    assert refused.status_code == 429 and refused["Content-Type"] == "application/problem+json"
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Try again in" in refused.json()["detail"]
    assert other.get(LIST).status_code == 200  # per client, not shared
