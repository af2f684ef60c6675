"""Child Criminal Exploitation Prevention Orders (Crime and Policing Act 2026) against an
adult exploiter: the application (respondent, evidence, child victims, risk, each proposed
condition with why it is necessary, route), then the order the court made, its variations
and breaches. A breach is an offence: it names the custody event or the crime reference."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Associate, Case
from safeguarding.core.db import choice_in


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class CCEPORoute(models.TextChoices):
    FREE_STANDING = "free_standing", "Free-standing application by the police"
    ON_CONVICTION = "on_conviction", "On conviction, at the end of criminal proceedings"
    ON_ACQUITTAL = "on_acquittal", "On acquittal, at the end of criminal proceedings"


class CCEPOStatus(models.TextChoices):
    APPLICATION = "application", "Application being prepared"
    INTERIM = "interim", "Interim order in force"
    FULL = "full", "Full order in force"
    REFUSED = "refused", "Refused by the court"


class OrderType(models.TextChoices):
    INTERIM = "interim", "Interim order"
    FULL = "full", "Full order"


class CCEPOApplication(models.Model):
    """One application against one respondent; the order, once made, is recorded on it."""

    Route = CCEPORoute
    Status = CCEPOStatus

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ccepo_applications")
    respondent = models.ForeignKey(Associate, on_delete=models.PROTECT, related_name="ccepo_applications")
    victims = models.ManyToManyField(Case, related_name="ccepo_victim_of", blank=True)
    route = models.CharField(max_length=16, choices=CCEPORoute.choices)
    applied_on = models.DateField("Date of the application")
    risk_assessment = models.TextField("Assessment of the risk of further conduct")
    status = models.CharField(max_length=12, choices=CCEPOStatus.choices, default=CCEPOStatus.APPLICATION)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # The order, once the court has decided.
    court = models.CharField(max_length=200, blank=True)
    made_on = models.DateField("Date made", null=True, blank=True)
    order_type = models.CharField(max_length=8, choices=OrderType.choices, blank=True)
    duration_months = models.PositiveSmallIntegerField("Duration in months", null=True, blank=True)
    until_further_order = models.BooleanField(default=False)
    served_on = models.DateField(null=True, blank=True)
    served_how = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=choice_in("route", CCEPORoute), name="ccepo_route_valid"),
            models.CheckConstraint(condition=choice_in("status", CCEPOStatus), name="ccepo_status_valid"),
            models.CheckConstraint(condition=choice_in("order_type", OrderType, blank=True), name="ccepo_type_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=["interim", "full"]) | (Q(made_on__isnull=False) & ~Q(court="")),
                name="ccepo_order_has_court_and_date",
            ),
        ]
        indexes = [
            # The register of orders: orders made, newest first.
            models.Index(fields=["-made_on"], condition=Q(made_on__isnull=False), name="ccepo_register_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} against {self.respondent.name}"

    def get_absolute_url(self) -> str:
        return reverse("interventions:ccepo_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"CCEPO{self.pk:06d}" if self.pk else "CCEPO (new)"

    @property
    def is_order(self) -> bool:
        return self.status in (CCEPOStatus.INTERIM, CCEPOStatus.FULL)

    @property
    def expires_on(self) -> date | None:
        if self.made_on is None or self.until_further_order or not self.duration_months:
            return None
        return add_months(self.made_on, self.duration_months)


class CCEPOEvidence(models.Model):
    application = models.ForeignKey(CCEPOApplication, on_delete=models.CASCADE, related_name="evidence")
    description = models.TextField("The evidence of CCE or associated conduct")
    source = models.CharField("Source", max_length=200)
    dated_on = models.DateField("Date of the evidence")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dated_on", "pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.dated_on})"


class CCEPOCondition(models.Model):
    """A proposed (then ordered) condition; the court must find each one necessary."""

    application = models.ForeignKey(CCEPOApplication, on_delete=models.CASCADE, related_name="conditions")
    text = models.TextField("The condition")
    necessity = models.TextField("Why it is necessary")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class CCEPOVariation(models.Model):
    application = models.ForeignKey(CCEPOApplication, on_delete=models.CASCADE, related_name="variations")
    varied_on = models.DateField("Date varied")
    court = models.CharField(max_length=200)
    change = models.TextField("What the court changed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["varied_on", "pk"]

    def __str__(self) -> str:
        return f"Variation of {self.application.reference} on {self.varied_on}"


class CCEPOBreach(models.Model):
    """Breaching an order is an offence: a breach names its custody event or crime reference."""

    application = models.ForeignKey(CCEPOApplication, on_delete=models.PROTECT, related_name="breaches")
    occurred_at = models.DateTimeField("When it happened")
    description = models.TextField("What they did")
    custody_event = models.ForeignKey(
        "custody.CustodyEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="ccepo_breaches"
    )
    crime_reference = models.CharField("Crime reference", max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(custody_event__isnull=False) | ~Q(crime_reference=""), name="ccepo_breach_linked"
            ),
        ]

    def __str__(self) -> str:
        return f"Breach of {self.application.reference}"
