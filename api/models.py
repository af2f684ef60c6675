"""System clients of the integration API and the answers kept for idempotent retries.

A client is another system, never a person: a force's custody system sending
detentions, or a partner agency's case system reading and answering the referrals
shared with the agency. Each has one scope, a token shown once and stored only as
its SHA-256 (the token is 256 random bits, so a slow hash would add nothing), an
expiry, and may be revoked. It acts through an account of its own (a User that
cannot sign in), so every write and audit row names it as any person is named.
"""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safeguarding.core.db import choice_in

TOKEN_PREFIX = "sgapi"  # noqa: S105  # a marker that names the kind of secret, not a secret


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Scope(models.TextChoices):
    CUSTODY_WRITE = "custody:write", "custody:write (a force's custody system sends detentions)"
    REFERRALS_READ = "referrals:read", "referrals:read (an agency's system reads its referrals)"
    REFERRALS_RESPOND = "referrals:respond", "referrals:respond (reads and answers its referrals)"

    @classmethod
    def granting(cls, needed: str) -> tuple[str, ...]:
        """The scopes that allow what ``needed`` allows: answering a referral needs reading it."""
        if needed == cls.REFERRALS_READ:
            return (cls.REFERRALS_READ, cls.REFERRALS_RESPOND)
        return (needed,)


class SystemClient(models.Model):
    Scope = Scope

    name = models.CharField(max_length=120, unique=True)
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="api_clients")
    scope = models.CharField(max_length=24, choices=Scope.choices)
    # The account it acts as: inactive, no password, so it can never sign in to the pages.
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="system_client")
    # The token's public part (finds the row) and the SHA-256 of the whole token.
    key_id = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    # Source addresses or networks allowed to use the token ("192.0.2.10", "198.51.100.0/24");
    # empty: any address.
    allowed_addresses = models.JSONField(default=list, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=choice_in("scope", Scope), name="systemclient_scope_valid"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("created_at")),
                name="systemclient_revoked_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.scope})"

    @property
    def label(self) -> str:
        """How audit rows and batches name the client."""
        return f"API client {self.name}"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    def allows(self, scope: str) -> bool:
        return self.scope in Scope.granting(scope)

    def address_allowed(self, address: str | None) -> bool:
        if not self.allowed_addresses:
            return True
        if not address:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in ipaddress.ip_network(net, strict=False) for net in self.allowed_addresses)


class IdempotentAnswer(models.Model):
    """The answer to a write sent with an Idempotency-Key, kept so that a retry with the
    same key gets the same answer and changes nothing. The unique key is also the lock:
    a second request with the key waits on the first's INSERT until it commits."""

    client = models.ForeignKey(SystemClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="idempotentanswer_client_key_unique"),
        ]
        indexes = [
            # The purge of answers older than API_IDEMPOTENCY_HOURS.
            models.Index(fields=["created_at"], name="idempotentanswer_created_idx"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.key} for client {self.client_id}"
