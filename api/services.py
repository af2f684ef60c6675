"""Writes of the integration API: system clients (made and revoked by an administrator)
and the answers kept for idempotent retries. Each write is audited in its transaction."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import Agency, User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from .models import TOKEN_PREFIX, IdempotentAnswer, Scope, SystemClient, token_digest

Action = AuditEvent.Action


@dataclass
class IssuedClient:
    client: SystemClient
    # Shown once to the administrator; only its digest is kept.
    token: str


def _require_admin(actor: User | None) -> None:
    if actor is not None and actor.role != User.Role.ADMIN:
        raise PermissionDenied("Only a system administrator manages API clients.")


def _networks(addresses: list[str]) -> list[str]:
    found = []
    for text in addresses:
        try:
            found.append(str(ipaddress.ip_network(text.strip(), strict=False)))
        except ValueError:
            raise ValidationError({"allowed_addresses": f"“{text}” is not an IP address or network"}) from None
    return found


@transaction.atomic
def system_client_create(
    *,
    actor: User | None,
    name: str,
    agency: Agency,
    scope: str,
    expires_at: datetime | None = None,
    allowed_addresses: list[str] | None = None,
) -> IssuedClient:
    """A client and its account; the token is returned once. ``actor`` None: created from
    the command line by whoever runs manage.py on the server (recorded as such)."""
    _require_admin(actor)
    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the client's name"
    elif SystemClient.objects.filter(name__iexact=name).exists():
        errors["name"] = "A client with this name already exists"
    if scope not in Scope.values:
        errors["scope"] = f"Choose one of {', '.join(Scope.values)}"
    elif scope == Scope.CUSTODY_WRITE and not agency.is_police:
        errors["agency"] = "Only a police force's custody system may send detentions"
    now = timezone.now()
    expires_at = expires_at or now + timedelta(days=settings.API_CLIENT_DEFAULT_DAYS)
    if expires_at <= now:
        errors["expires_at"] = "The expiry must be in the future"
    if errors:
        raise ValidationError(errors)
    networks = _networks(allowed_addresses or [])
    key_id = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    # The account it acts as. Referral clients act as their agency's partner; the custody
    # feed's account has no role over case content at all.
    account = User(
        email=f"api-client-{key_id}@system.invalid",
        full_name=f"{name} (API client)"[:150],
        role=User.Role.ADMIN if scope == Scope.CUSTODY_WRITE else User.Role.PARTNER,
        agency=agency,
        is_active=False,
    )
    account.set_unusable_password()
    account.save()
    client = SystemClient.objects.create(
        name=name,
        agency=agency,
        scope=scope,
        account=account,
        key_id=key_id,
        token_hash=token_digest(token),
        allowed_addresses=networks,
        expires_at=expires_at,
        created_by=actor,
        created_at=now,
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        actor_email="" if actor else "manage.py",
        obj=client,
        summary=f"API client {name} created for {agency.name} ({scope})"[:255],
        detail={"scope": scope, "agency": agency.pk, "expires_at": expires_at.isoformat(), "addresses": networks},
    )
    return IssuedClient(client=client, token=token)


@transaction.atomic
def system_client_revoke(*, actor: User | None, client: SystemClient) -> SystemClient:
    """Refused from the very next request."""
    _require_admin(actor)
    locked = SystemClient.objects.select_for_update().get(pk=client.pk)
    if locked.revoked_at is not None:
        raise ValidationError({"client": "This client was already revoked"})
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        actor_email="" if actor else "manage.py",
        obj=locked,
        summary=f"API client {locked.name} revoked",
        detail={"revoked": True},
    )
    return locked


def client_used(*, client: SystemClient, address: str | None) -> None:
    """Last use, written at most once a minute per client (every call is in the audit log)."""
    now = timezone.now()
    if client.last_used_at and now - client.last_used_at < timedelta(minutes=1) and client.last_used_address == address:
        return
    SystemClient.objects.filter(pk=client.pk).update(last_used_at=now, last_used_address=address)
    client.last_used_at, client.last_used_address = now, address


def idempotent_answers_purge(*, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotentAnswer.objects.filter(created_at__lt=cutoff).delete()
    return deleted
