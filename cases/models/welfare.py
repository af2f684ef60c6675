"""What the officer's interventions record on a case: where the young person lives
(placements), how the case is classified (reclassification, approved by a supervisor)
and what a digital review of a device found (restricted)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from safeguarding.core.db import choice_in

from .cases import Case
from .choices import (
    ApprovalStatus,
    CaseClassification,
    DigitalFindingCategory,
    PlacementType,
)
from .records import Associate

__all__ = ["DigitalFinding", "DigitalReview", "Placement", "Reclassification"]


class Placement(models.Model):
    """Where the young person lived, from one date until another (no end: still there).
    A young person is in one place at a time: placements never overlap (the service
    checks across all their cases; PostgreSQL also refuses an overlap within a case
    with an exclusion constraint added by the migration)."""

    Type = PlacementType
    PERSONAL_DATA_FIELDS = ("address", "provider", "type_other")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="placements")
    placement_type = models.CharField("Type of placement", max_length=16, choices=PlacementType.choices)
    type_other = models.CharField("Other type (describe)", max_length=150, blank=True)
    address = models.TextField("Address")
    provider = models.CharField("Provider or carer", max_length=200, blank=True)
    from_date = models.DateField("From")
    to_date = models.DateField("To", null=True, blank=True, help_text="The day they left; blank if still there.")
    # Secure accommodation needs a court's order (Children Act 1989 s25).
    secure_order_on = models.DateField("Date of the secure accommodation order", null=True, blank=True)
    secure_order_court = models.CharField("Court that made the order", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-from_date", "-id"]
        constraints = [
            models.CheckConstraint(condition=choice_in("placement_type", PlacementType), name="placement_type_valid"),
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gt=F("from_date")), name="placement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(placement_type="secure") | (Q(secure_order_on__isnull=False) & ~Q(secure_order_court="")),
                name="placement_secure_has_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_placement_type_display()} from {self.from_date:%Y-%m-%d}"

    @property
    def type_label(self) -> str:
        if self.placement_type == PlacementType.OTHER and self.type_other:
            return f"Other: {self.type_other}"
        return self.get_placement_type_display()


class Reclassification(models.Model):
    """A change of how the case sees the young person — e.g. from suspect of drug supply to
    victim of modern slavery — with the suspects behind it and whether the Modern Slavery
    Act 2015 s45 defence was noted. Not in effect until a supervisor of the case's team
    approves it: the case's classification is that of its latest approved one."""

    Status = ApprovalStatus
    PERSONAL_DATA_FIELDS = ("reason", "s45_notes", "decision_note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reclassifications")
    from_classification = models.CharField(max_length=32, choices=CaseClassification.choices, blank=True)
    to_classification = models.CharField("New classification", max_length=32, choices=CaseClassification.choices)
    reason = models.TextField("Why the classification changes")
    suspects = models.ManyToManyField(Associate, blank=True, related_name="reclassifications")
    s45_defence_noted = models.BooleanField("Modern Slavery Act 2015 s45 defence noted", default=False)
    s45_notes = models.TextField("About the s45 defence", blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=choice_in("status", ApprovalStatus), name="reclassification_status_valid"),
            models.CheckConstraint(
                condition=choice_in("to_classification", CaseClassification), name="reclassification_to_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="reclassification_decided_has_who",
            ),
            # One request waits at a time per case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="reclassification_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"Reclassification to {self.get_to_classification_display()} ({self.get_status_display().lower()})"


class DigitalReview(models.Model):
    """A review of a device (a phone, usually). Restricted: only officers of the case's
    team, supervisors of that team and the force lead see it (cases.selectors.
    digital_reviews_visible_to); never partners, never break glass, never in search or the
    chronology; every view audited."""

    PERSONAL_DATA_FIELDS = ("device", "reviewed_by_name")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="digital_reviews")
    device = models.CharField("Device", max_length=200, help_text="For example: black Samsung phone, seized on arrest.")
    reviewed_by_name = models.CharField("Reviewed by", max_length=200)
    reviewed_on = models.DateField("Reviewed on")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Digital review {self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:digital_review", args=[self.pk])


class DigitalFinding(models.Model):
    Category = DigitalFindingCategory
    PERSONAL_DATA_FIELDS = ("detail",)

    review = models.ForeignKey(DigitalReview, on_delete=models.CASCADE, related_name="findings")
    category = models.CharField(max_length=24, choices=DigitalFindingCategory.choices)
    detail = models.TextField()

    class Meta:
        ordering = ["review", "id"]
        constraints = [
            models.CheckConstraint(
                condition=choice_in("category", DigitalFindingCategory), name="digitalfinding_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} (review {self.review_id})"
