"""How a system client proves who it is, what it may do, and how often.

* ``Authorization: Bearer <token>`` only: no session or cookie reaches the API, so a
  signed-in browser cannot be made to call it (and no CSRF exemption touches the pages).
* The token is looked up by its public part and compared by digest; a revoked or
  expired client, or a call from an address outside its allow-list, is refused on that
  very request, and the refusal is audited.
* One scope per client; ``referrals:respond`` includes reading.
* Throttling per client in the shared cache (Redis in every real deployment).
"""

from __future__ import annotations

import hmac

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record, client_ip

from .models import TOKEN_PREFIX, SystemClient, token_digest
from .services import client_used

REFUSED = "The token is not valid: it is unknown, revoked or expired, or not allowed from this address."


def _refuse(request: Request, reason: str, client: SystemClient | None = None) -> exceptions.AuthenticationFailed:
    audit_record(
        action=AuditEvent.Action.ACCESS_DENIED,
        actor=client.account if client else None,
        actor_email="" if client else "api",
        # Django's own request: its address, and no second authentication from DRF's.
        request=request._request,
        object_type="api.systemclient",
        object_id=client.pk if client else "",
        summary=f"API call refused: {reason}"[:255],
    )
    return exceptions.AuthenticationFailed(REFUSED)


class SystemClientAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple | None:
        parts = get_authorization_header(request).split()
        if not parts:
            return None
        if parts[0].lower() != self.keyword.lower().encode() or len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the token as: Authorization: Bearer <token>.")
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(REFUSED) from None
        pieces = token.split("_", 2)
        if len(pieces) != 3 or pieces[0] != TOKEN_PREFIX:
            raise _refuse(request, "malformed token")
        client = SystemClient.objects.select_related("account", "agency").filter(key_id=pieces[1]).first()
        if client is None or not hmac.compare_digest(client.token_hash, token_digest(token)):
            raise _refuse(request, "unknown token")
        address = client_ip(request._request)
        if not client.is_usable():
            raise _refuse(request, "revoked or expired client", client)
        if not client.address_allowed(address):
            raise _refuse(request, f"address {address} not allowed", client)
        client_used(client=client, address=address)
        return client.account, client

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


def client_of(request: Request) -> SystemClient:
    client = request.auth
    if not isinstance(client, SystemClient):
        raise exceptions.NotAuthenticated()
    return client


class HasScope(BasePermission):
    """The view's ``required_scope``, held by the calling client."""

    message = "This client's scope does not allow this call."

    def has_permission(self, request: Request, view) -> bool:
        client = request.auth
        if not isinstance(client, SystemClient):
            raise exceptions.NotAuthenticated()
        return client.allows(view.required_scope)


class PerClientThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT calls per client; the answer past it is 429 with Retry-After."""

    scope = "api_client"

    def get_cache_key(self, request: Request, view) -> str | None:
        client = request.auth
        if not isinstance(client, SystemClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
