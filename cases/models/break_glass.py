"""Break-glass access: time-limited, justified access to a person outside one's scope."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .people import YoungPerson


class BreakGlassAccess(models.Model):
    """Time-limited access to a person (and their cases) outside the user's scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_accesses")
    person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="break_glass_accesses")
    justification = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("granted_at")), name="breakglass_expires_after_grant"),
        ]
        indexes = [
            # Scoping: the live grants of one user (every scoped query joins on this).
            models.Index(fields=["user", "expires_at"], name="breakglass_user_expiry_idx"),
            # The supervisors' "to review" list.
            models.Index(fields=["reviewed_at", "-granted_at"], name="breakglass_review_idx"),
        ]

    def __str__(self) -> str:
        return f"Break glass by user {self.user_id} to {self.person.reference}"

    @property
    def is_live(self) -> bool:
        return self.expires_at > timezone.now()
