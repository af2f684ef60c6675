"""Builders for the API tests: clients, their tokens and calls. Everything is invented."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from api.models import Scope
from api.services import IssuedClient, system_client_create
from safeguarding.accounts.models import Agency
from tests.factories import PartnerAgencyFactory, PoliceForceFactory

CUSTODY = Scope.CUSTODY_WRITE
READ = Scope.REFERRALS_READ
RESPOND = Scope.REFERRALS_RESPOND


def issue(scope: str, agency: Agency | None = None, name: str | None = None, **extra) -> IssuedClient:
    if agency is None:
        agency = PoliceForceFactory() if scope == CUSTODY else PartnerAgencyFactory()
    return system_client_create(actor=None, name=name or f"{agency.name} {scope}", agency=agency, scope=scope, **extra)


class Api:
    """Calls as a system would make them: a bearer token, JSON, no cookies."""

    def __init__(self, token: str | None, address: str = "127.0.0.1") -> None:
        self.client = Client(REMOTE_ADDR=address)
        self.token = token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return {**headers, **(extra or {})}

    def get(self, path: str, params: dict | None = None, headers: dict[str, str] | None = None):
        return self.client.get(path, params or {}, headers=self._headers(headers))

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None):
        data = json.dumps(body) if body is not None else ""
        return self.client.post(path, data, content_type="application/json", headers=self._headers(headers))


def api_for(issued: IssuedClient, **kwargs) -> Api:
    return Api(issued.token, **kwargs)
