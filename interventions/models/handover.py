"""Cross-border handover of a young person from another area: the home police force and
local authority with named contacts, the risk summary disclosed to them, the plan and its
outcome, and the home authority's written acceptance of responsibility (Working Together
to Safeguard Children 2023)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from safeguarding.core.db import choice_in


class HandoverOutcome(models.TextChoices):
    COMPLETED = "completed", "Handed over as planned"
    CHANGED = "changed", "Handed over, with changes to the plan"
    NOT_HAPPENED = "not_happened", "Did not happen"


class Handover(models.Model):
    Outcome = HandoverOutcome

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handovers")
    home_police_force = models.CharField(max_length=120)
    force_contact_name = models.CharField("Police contact: name", max_length=150)
    force_contact_role = models.CharField("Police contact: role", max_length=150, blank=True)
    force_contact_phone = models.CharField("Police contact: phone", max_length=40, blank=True)
    force_contact_email = models.EmailField("Police contact: email", blank=True)
    home_local_authority = models.CharField(max_length=120)
    la_contact_name = models.CharField("Local authority contact: name", max_length=150)
    la_contact_role = models.CharField("Local authority contact: role", max_length=150, blank=True)
    la_contact_phone = models.CharField("Local authority contact: phone", max_length=40, blank=True)
    la_contact_email = models.EmailField("Local authority contact: email", blank=True)
    risk_summary = models.TextField("Risk summary shared with the home area")
    handover_at = models.DateTimeField("Date and time of the handover")
    meeting_point = models.CharField(max_length=200)
    handed_over_by = models.CharField("Handed over by", max_length=150)
    received_by = models.CharField("Received by", max_length=150)
    outcome = models.CharField(max_length=16, choices=HandoverOutcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    accepted_on = models.DateField("Date responsibility was accepted in writing", null=True, blank=True)
    accepted_by = models.CharField("Accepted by (name and role)", max_length=200, blank=True)
    acceptance_reference = models.CharField(
        "The written acceptance (letter or email reference)", max_length=200, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=choice_in("outcome", HandoverOutcome, blank=True), name="handover_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | (~Q(accepted_by="") & ~Q(acceptance_reference="")),
                name="handover_acceptance_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} to {self.home_local_authority}"

    def get_absolute_url(self) -> str:
        return reverse("interventions:handover_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"HO{self.pk:06d}" if self.pk else "HO (new)"

    def recipient(self, who: str) -> str:
        if who == "force":
            return f"{self.force_contact_name}, {self.home_police_force}"
        return f"{self.la_contact_name}, {self.home_local_authority}"


class RiskDisclosure(models.Model):
    """Each time the risk summary was shared, and with whom (also an audited disclosure)."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="disclosures")
    recipient = models.CharField(max_length=255)
    method = models.CharField(max_length=120)
    disclosed_at = models.DateTimeField(default=timezone.now)
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["disclosed_at", "pk"]

    def __str__(self) -> str:
        return f"Risk summary to {self.recipient}"
