"""In-app notifications, written by services.notification_send() or, for an outbox, delivery.notifications_deliver()."""

from datetime import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=40, default="general")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # A link inside the service: a case reference page, never personal data in the URL.
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Senders that must notify once only (a reminder per checklist item) pass a key.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header's unread count and the notification list, per user.
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_user_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → user {self.user_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How a user wants one kind of message: by email as well as in the service, or in the
    service only. No row means the kind's default (see kinds.py). In-app notifications are
    always written: they are the record that the message was sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40)
    by_email = models.BooleanField()
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One choice per user and kind; also the index delivery reads by.
            models.UniqueConstraint(fields=["user", "kind"], name="notificationpref_user_kind_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {'email' if self.by_email else 'in-app only'} (user {self.user_id})"


def delivery_due_q(now: datetime) -> models.Q:
    """An outbox row due for delivery: not yet delivered, and not waiting for an email retry."""
    return models.Q(delivered_at__isnull=True) & (
        models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
    )


class OutboxQuerySet(models.QuerySet[Any]):
    def undelivered(self) -> Self:
        # Each outbox's partial index on id WHERE delivered_at IS NULL.
        return self.filter(delivered_at__isnull=True)

    def due(self, now: datetime) -> Self:
        return self.filter(delivery_due_q(now))


class OutboxDelivery(models.Model):
    """What ``delivery.notifications_deliver`` reads and writes on an app's outbox row: one
    abstract base, so every outbox (checklist items, return interviews, NRM notices,
    digests) keeps the same delivery state and the one delivery code serves them all.
    Rows are decided by ``outbox.outbox_queue`` and delivered by ``delivery``."""

    created_at = models.DateTimeField(default=timezone.now)
    # In-app notifications written (same transaction as the email is marked sent).
    notified_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    # Both done, or nothing left to send (the record was resolved before delivery).
    delivered_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True, help_text="User ids the message went to.")
    skipped_reason = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        abstract = True


class DigestOutbox(OutboxDelivery):
    """One daily digest per user and UK day: UNIQUE (user, day), written with ON CONFLICT DO
    NOTHING, so two beats running at once decide it once; delivery.notifications_deliver
    then sends it exactly once in-app and once by email (see delivery.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="The UK (Europe/London) day the digest is for.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digestoutbox_user_day_unique")]
        indexes = [
            # Delivery claims the undelivered rows.
            models.Index(fields=["id"], condition=models.Q(delivered_at__isnull=True), name="digestoutbox_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Digest for user {self.user_id} on {self.day}"
