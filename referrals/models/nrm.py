"""National Referral Mechanism notifications: the route, the decision-maker, and the
Reasonable Grounds, recovery period, Conclusive Grounds and reconsideration decisions."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safeguarding.core.db import choice_in
from safeguarding.core.working_days import add_working_days
from safeguarding.notifications.models import OutboxDelivery

from .choices import DecisionMaker, DecisionStage, NRMRoute, Outcome

RG_TARGET_WORKING_DAYS = 5
RECOVERY_PERIOD_DAYS = 30


def rg_due_on(submitted_on: date) -> date:
    """The Reasonable Grounds decision's target: five working days after submission."""
    return add_working_days(submitted_on, RG_TARGET_WORKING_DAYS)


def rg_overdue_cutoff(today: date) -> date:
    """The last submission date whose Reasonable Grounds target has passed by ``today``
    (working days only grow with the start date, so every earlier date is overdue too)."""
    day = today
    while rg_due_on(day) >= today:
        day -= timedelta(days=1)
    return day


class NRMReferralQuerySet(models.QuerySet["NRMReferral"]):
    def rg_awaited(self) -> NRMReferralQuerySet:
        # nrm_rg_awaited_idx (partial: no Reasonable Grounds decision yet).
        return self.filter(rg_outcome="")

    def rg_overdue(self, today: date) -> NRMReferralQuerySet:
        """Awaiting the Reasonable Grounds decision past its target: ``today`` is after
        rg_due_on(submitted_on)."""
        return self.rg_awaited().filter(submitted_on__lte=rg_overdue_cutoff(today))


class NRMReferral(models.Model):
    Route = NRMRoute
    DecisionMaker = DecisionMaker
    Outcome = Outcome

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="nrm_referrals")
    first_responder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_responder_organisation = models.CharField(max_length=200)
    submitted_on = models.DateField("Date submitted")
    home_office_reference = models.CharField("Home Office reference", max_length=60, blank=True)
    route = models.CharField(max_length=16, choices=NRMRoute.choices)
    consent_given = models.BooleanField("The adult consented to the referral", default=False)
    ms1_submitted = models.BooleanField("Duty to Notify (MS1) submitted", default=False)
    decision_maker = models.CharField(max_length=8, choices=DecisionMaker.choices, default=DecisionMaker.SCA)
    panel = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="nrm_decisions"
    )
    childrens_referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="nrm_referrals"
    )
    icgt_referred_on = models.DateField(
        "Independent Child Trafficking Guardian referral made on", null=True, blank=True
    )

    rg_outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    rg_decided_on = models.DateField("Reasonable Grounds decision date", null=True, blank=True)
    cg_outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    cg_decided_on = models.DateField("Conclusive Grounds decision date", null=True, blank=True)
    public_order_disqualified = models.BooleanField("Disqualified on public-order grounds", default=False)
    public_order_on = models.DateField(null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = NRMReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=choice_in("route", NRMRoute), name="nrm_route_valid"),
            models.CheckConstraint(condition=choice_in("decision_maker", DecisionMaker), name="nrm_maker_valid"),
            models.CheckConstraint(condition=choice_in("rg_outcome", Outcome, blank=True), name="nrm_rg_valid"),
            models.CheckConstraint(condition=choice_in("cg_outcome", Outcome, blank=True), name="nrm_cg_valid"),
            models.CheckConstraint(
                condition=~Q(route="adult_ms1") | Q(ms1_submitted=True), name="nrm_adult_without_consent_ms1"
            ),
            models.CheckConstraint(
                condition=~Q(route="child") | Q(childrens_referral__isnull=False), name="nrm_child_has_referral"
            ),
        ]
        indexes = [
            # The overdue sweep: RG still awaited.
            models.Index(fields=["submitted_on"], condition=Q(rg_outcome=""), name="nrm_rg_awaited_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_route_display()})"

    def get_absolute_url(self) -> str:
        return reverse("referrals:nrm_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"NRM{self.pk:06d}" if self.pk else "NRM (new)"

    @property
    def recovery_period_ends_on(self):
        """At least 30 days from a positive Reasonable Grounds decision."""
        if self.rg_outcome == Outcome.POSITIVE and self.rg_decided_on:
            return self.rg_decided_on + timedelta(days=RECOVERY_PERIOD_DAYS)
        return None

    @property
    def decision_maker_name(self) -> str:
        return (
            self.panel.name
            if self.decision_maker == DecisionMaker.PANEL and self.panel
            else self.get_decision_maker_display()
        )


class NRMReconsideration(models.Model):
    nrm = models.ForeignKey(NRMReferral, on_delete=models.CASCADE, related_name="reconsiderations")
    stage = models.CharField(max_length=4, choices=DecisionStage.choices)
    requested_on = models.DateField()
    reason = models.TextField()
    outcome = models.CharField(max_length=8, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["requested_on", "id"]
        constraints = [
            models.CheckConstraint(condition=choice_in("stage", DecisionStage), name="nrmrecon_stage_valid"),
            models.CheckConstraint(condition=choice_in("outcome", Outcome, blank=True), name="nrmrecon_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"Reconsideration of the {self.stage} decision on NRM {self.nrm_id}"


class NRMOutbox(OutboxDelivery):
    """An overdue Reasonable Grounds notice, decided once: UNIQUE (nrm, kind), written with
    ON CONFLICT DO NOTHING (safeguarding.notifications.outbox) and delivered through the
    core's notifications_deliver. The delivery state is OutboxDelivery's."""

    KIND_RG_OVERDUE = "rg_overdue"

    nrm = models.ForeignKey(NRMReferral, on_delete=models.PROTECT, related_name="outbox")
    kind = models.CharField(max_length=12, default=KIND_RG_OVERDUE)

    class Meta:
        verbose_name_plural = "NRM outbox"
        constraints = [models.UniqueConstraint(fields=["nrm", "kind"], name="nrmoutbox_nrm_kind_unique")]
        indexes = [
            models.Index(fields=["id"], condition=Q(delivered_at__isnull=True), name="nrmoutbox_undelivered_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for NRM {self.nrm_id}"
