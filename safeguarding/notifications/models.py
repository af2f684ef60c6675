"""In-app notifications, written by services.notification_send() or, for an outbox, delivery.notifications_deliver()."""

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
