"""The record of two young people's records merged into one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .people import YoungPerson


class PersonMerge(models.Model):
    """Two records of one young person combined: `merged` now points at `survivor`."""

    survivor = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="merges_received")
    merged = models.OneToOneField(YoungPerson, on_delete=models.PROTECT, related_name="merge_record")
    reason = models.TextField()
    # What was moved (counts by kind) and which blank fields were filled from the merged record.
    detail = models.JSONField(default=dict, blank=True)
    merged_at = models.DateTimeField(default=timezone.now)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-merged_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(survivor=F("merged")), name="personmerge_two_records"),
        ]

    def __str__(self) -> str:
        return f"{self.merged.reference} merged into {self.survivor.reference}"
