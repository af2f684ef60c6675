"""System clients: made by an administrator, token shown once and stored only as a digest,
refused once revoked or expired or from an address outside the allow-list, and never
reached with a signed-in browser's session."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.models import SystemClient, token_digest
from api.services import system_client_create, system_client_revoke
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from tests.api.helpers import CUSTODY, READ, Api, api_for, issue
from tests.factories import PartnerAgencyFactory, PoliceForceFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:referral_list")


def test_the_token_is_not_recoverable_from_the_database():
    issued = issue(READ)
    client = SystemClient.objects.get(pk=issued.client.pk)
    stored = [str(v) for v in SystemClient.objects.filter(pk=client.pk).values().get().values()]
    assert not any(issued.token in v or issued.token.split("_")[2] in v for v in stored)
    assert client.token_hash == token_digest(issued.token)
    account = client.account
    assert not account.is_active and not account.has_usable_password()
    # Nor in the audit log.
    assert not AuditEvent.objects.filter(summary__contains=issued.token.split("_")[2]).exists()


def test_a_client_acts_as_an_account_that_cannot_sign_in():
    issued = issue(READ)
    account = issued.client.account
    assert (account.role, account.agency_id) == (User.Role.PARTNER, issued.client.agency_id)
    assert not account.check_password("")
    custody = issue(CUSTODY).client.account
    assert custody.role == User.Role.ADMIN and custody.team_id is None


def test_a_valid_token_is_let_in_and_its_use_recorded():
    issued = issue(READ)
    assert api_for(issued).get(LIST).status_code == 200
    issued.client.refresh_from_db()
    assert issued.client.last_used_at is not None and issued.client.last_used_address == "127.0.0.1"


@pytest.mark.parametrize(
    "token",
    ["", "sgapi_nothing_here", "not-a-token", "sgapi_abc"],
)
def test_unknown_or_malformed_tokens_are_refused_as_problems(token):
    response = Api(token).get(LIST)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["title"] and body["type"].startswith("/api/v1/problems/")


def test_a_wrong_secret_with_a_real_key_id_is_refused():
    issued = issue(READ)
    prefix, key_id, secret = issued.token.split("_", 2)
    assert Api(f"{prefix}_{key_id}_{'x' * len(secret)}").get(LIST).status_code == 401


def test_a_revoked_client_is_refused_on_its_next_call():
    issued = issue(READ)
    api = api_for(issued)
    assert api.get(LIST).status_code == 200
    system_client_revoke(actor=None, client=issued.client)
    response = api.get(LIST)
    assert response.status_code == 401
    assert AuditEvent.objects.filter(action=AuditEvent.Action.ACCESS_DENIED, object_type="api.systemclient").exists()


def test_an_expired_client_is_refused():
    issued = issue(READ, expires_at=timezone.now() + timedelta(days=2))
    api = api_for(issued)
    assert api.get(LIST).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        assert api.get(LIST).status_code == 401


def test_the_address_allow_list_is_enforced():
    issued = issue(READ, allowed_addresses=["192.0.2.0/24"])
    assert api_for(issued, address="192.0.2.44").get(LIST).status_code == 200
    assert api_for(issued, address="198.51.100.7").get(LIST).status_code == 401


def test_a_signed_in_browser_session_does_not_reach_the_api(personas):
    # Cookies are not credentials on the API: the partner's own session gets 401.
    response = personas.client("partner").get(LIST)
    assert response.status_code == 401


def test_only_an_admin_creates_clients_and_bad_input_is_refused_by_field(personas):
    with pytest.raises(PermissionDenied):
        system_client_create(actor=personas.officer_a, name="X", agency=personas.force, scope=CUSTODY)
    with pytest.raises(ValidationError) as error:
        system_client_create(actor=personas.admin, name="X", agency=PartnerAgencyFactory(), scope=CUSTODY)
    assert "agency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        system_client_create(
            actor=personas.admin, name="X", agency=personas.force, scope=CUSTODY, allowed_addresses=["not-an-ip"]
        )
    assert "allowed_addresses" in error.value.message_dict
    assert not SystemClient.objects.exists() and not User.objects.filter(email__endswith="@system.invalid").exists()
    issued = system_client_create(actor=personas.admin, name="Custody", agency=personas.force, scope=CUSTODY)
    audit = AuditEvent.objects.get(object_type="api.systemclient", action=AuditEvent.Action.CREATE)
    assert audit.actor_id == personas.admin.pk and audit.detail["scope"] == CUSTODY
    assert issued.token not in str(audit.detail)


def test_the_management_command_creates_lists_and_revokes():
    force = PoliceForceFactory(name="Westshire Police")
    out = StringIO()
    call_command(
        "api_client", "create", "--name", "Custody feed", "--agency", force.name, "--scope", CUSTODY,
        "--allow", "192.0.2.10", stdout=out,
    )  # fmt: skip
    token = out.getvalue().strip().splitlines()[-1]
    client = SystemClient.objects.get(name="Custody feed")
    assert client.token_hash == token_digest(token) and client.allowed_addresses == ["192.0.2.10/32"]
    listing = StringIO()
    call_command("api_client", "list", stdout=listing)
    assert "Custody feed" in listing.getvalue() and token not in listing.getvalue()
    call_command("api_client", "revoke", "--name", "Custody feed", stdout=StringIO())
    client.refresh_from_db()
    assert client.revoked_at is not None
