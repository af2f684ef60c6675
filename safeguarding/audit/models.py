"""The s62 log: who collected, altered, consulted, disclosed, combined or erased what, and when.

Rows are append-only (a trigger refuses UPDATE and DELETE) and carry no foreign
keys, so deleting, merging or erasing records never touches them.
"""

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone


def _display(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(_display(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_display(v)}" for k, v in value.items()) or "none"
    return str(value)


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_OUT = "sign_out", "Signed out"
    VIEW = "view", "Viewed"
    LIST = "list", "Listed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    EXPORT = "export", "Exported"
    DISCLOSE = "disclose", "Disclosed"
    BREAK_GLASS = "break_glass", "Broke glass"
    MERGE = "merge", "Merged"
    ERASE = "erase", "Erased"
    ACCESS_DENIED = "access_denied", "Access denied"


class AuditEvent(models.Model):
    Action = AuditAction

    at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    summary = models.CharField(max_length=255, blank=True)
    recipient = models.CharField(max_length=255, blank=True)
    justification = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Search terms, changed field names and the like: what an auditor looks for.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # "Everything done to this person / case / referral", newest first.
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_at_idx"),
            # "Everything this user did", newest first.
            models.Index(fields=["actor_id", "-at"], name="audit_actor_at_idx"),
            # Audit search by action over a date range (failed sign-ins, break glass).
            models.Index(fields=["action", "-at"], name="audit_action_at_idx"),
            # The audit search's landing page, its date searches and its keyset pages:
            # ORDER BY at DESC, id DESC from a (time, id) cursor.
            models.Index(fields=["-at", "-id"], name="audit_at_id_idx"),
            # The audit search by user: actor_email__iexact is UPPER(actor_email) = UPPER(%s)
            # (failed sign-ins have an email and no actor id), newest first.
            models.Index(Upper("actor_email"), F("at").desc(), name="audit_actor_email_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=AuditAction.values), name="audit_action_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_email or '-'} {self.action} {self.object_type}:{self.object_id}"

    def detail_pairs(self) -> list[tuple[str, str]]:
        """The detail as (key, text) pairs for display.

        Templates must never walk the detail dict themselves: Django's dotted
        lookup tries the key before the attribute, so a logged key such as
        "items" or "values" would shadow the dict's method and break the page.
        """
        detail = self.detail
        if not isinstance(detail, dict):
            return [("detail", _display(detail))] if detail not in (None, "") else []
        return [(str(key), _display(value)) for key, value in detail.items()]


class MisuseAlert(models.Model):
    """One officer's unusually heavy use of the service within one window, raised once
    to the force lead. Read from the audit log; the log stays the record of what was done."""

    class Kind(models.TextChoices):
        RECORDS = "records", "Opened many records"
        SEARCHES = "searches", "Searched many times"

    actor_id = models.BigIntegerField()
    actor_email = models.CharField(max_length=254)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    count = models.PositiveIntegerField()
    threshold = models.PositiveIntegerField()
    # The person and case records touched in the window: [{"type": ..., "id": ...}].
    records = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # "Is there already an alert for this officer covering this window?"
            models.Index(fields=["actor_id", "kind", "-window_end"], name="misuse_actor_window_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_email} {self.kind} {self.count} by {self.window_end:%Y-%m-%d %H:%M}"
