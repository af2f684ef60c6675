"""Community Protection Warnings and Notices (Anti-social Behaviour, Crime and Policing Act
2014 s43): a written warning, approved by a supervisor before it is issued, then served; a
notice only after a served warning; conditions in plain English; a breach log."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from safeguarding.core.db import choice_in


class CPKind(models.TextChoices):
    WARNING = "warning", "Community Protection Warning"
    NOTICE = "notice", "Community Protection Notice"


class CPStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting supervisor approval"
    APPROVED = "approved", "Approved"
    ISSUED = "issued", "Issued"
    SERVED = "served", "Served"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ServiceMethod(models.TextChoices):
    IN_PERSON = "in_person", "Handed to them in person"
    POST = "post", "Posted to their usual or last known address"
    LEFT_AT_ADDRESS = "left_at_address", "Left at their usual or last known address"
    PARENT_OR_CARER = "parent_or_carer", "Given to them with a parent or carer present"


class ConditionKind(models.TextChoices):
    STOP = "stop", "Stop doing something"
    DO = "do", "Do something"
    REASONABLE_STEPS = "reasonable_steps", "Take reasonable steps"
    AREA_EXCLUSION = "area_exclusion", "Stay out of an area"


class BreachAction(models.TextChoices):
    ADVICE = "advice", "Words of advice"
    FIXED_PENALTY = "fixed_penalty", "Fixed penalty notice (notices only)"
    ESCALATED = "escalated", "Escalated to a Community Protection Notice (warnings only)"
    PROSECUTION = "prosecution", "Referred for prosecution (notices only)"
    OTHER = "other", "Other"


class CommunityProtection(models.Model):
    """One warning or notice about the case's young person. A notice names the served
    warning it follows (``warning``)."""

    Kind = CPKind
    Status = CPStatus

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="community_protections")
    kind = models.CharField(max_length=8, choices=CPKind.choices)
    warning = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="notices", help_text="Notices only."
    )
    status = models.CharField(max_length=20, choices=CPStatus.choices, default=CPStatus.DRAFT)
    conduct = models.TextField("The conduct")
    effect = models.TextField("Its effect on the quality of life of those in the locality")
    planned_issue_on = models.DateField("Date of issue")
    review_on = models.DateField("Review date")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    served_on = models.DateField(null=True, blank=True)
    served_how = models.CharField(max_length=20, choices=ServiceMethod.choices, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=choice_in("kind", CPKind), name="cp_kind_valid"),
            models.CheckConstraint(condition=choice_in("status", CPStatus), name="cp_status_valid"),
            models.CheckConstraint(
                condition=choice_in("served_how", ServiceMethod, blank=True), name="cp_served_how_valid"
            ),
            # A notice always follows a warning; a warning follows nothing.
            models.CheckConstraint(
                condition=(Q(kind="notice") & Q(warning__isnull=False)) | (Q(kind="warning") & Q(warning__isnull=True)),
                name="cp_notice_follows_warning",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["issued", "served"]) | Q(issued_on__isnull=False, issued_by__isnull=False),
                name="cp_issued_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="served") | (Q(served_on__isnull=False) & ~Q(served_how="")),
                name="cp_served_has_date_and_method",
            ),
        ]
        indexes = [
            # The supervisors' approval queue: awaiting approval, by the case's team.
            models.Index(fields=["status", "submitted_at"], name="cp_status_submitted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("interventions:cp_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        prefix = "CPW" if self.kind == CPKind.WARNING else "CPN"
        return f"{prefix}{self.pk:06d}" if self.pk else f"{prefix} (new)"

    @property
    def is_notice(self) -> bool:
        return self.kind == CPKind.NOTICE

    @property
    def is_draft(self) -> bool:
        return self.status == CPStatus.DRAFT

    @property
    def is_served(self) -> bool:
        return self.status == CPStatus.SERVED

    @property
    def appeal_deadline(self) -> date | None:
        """A notice may be appealed to a magistrates' court within the window after service;
        a warning cannot be appealed."""
        if not self.is_notice or self.served_on is None:
            return None
        return self.served_on + timedelta(days=settings.CPN_APPEAL_DAYS)

    def appeal_clock(self, today: date | None = None) -> dict | None:
        deadline = self.appeal_deadline
        if deadline is None:
            return None
        today = today or timezone.localdate()
        days_left = (deadline - today).days
        return {"deadline": deadline, "days_left": max(days_left, 0), "closed": days_left < 0}


class CPCondition(models.Model):
    """One requirement of a warning or notice, read out to the young person in plain English."""

    Kind = ConditionKind

    notice = models.ForeignKey(CommunityProtection, on_delete=models.CASCADE, related_name="conditions")
    kind = models.CharField(max_length=20, choices=ConditionKind.choices)
    text = models.TextField("What they must do or stop doing", blank=True)
    area_name = models.CharField("Name of the area", max_length=200, blank=True)
    area_description = models.TextField("Description of the area's boundary", blank=True)
    area_map_url = models.URLField("Link to a map of the area", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=choice_in("kind", ConditionKind), name="cp_condition_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind="area_exclusion") | ~Q(area_name=""), name="cp_condition_area_named"
            ),
        ]

    def __str__(self) -> str:
        return self.plain_english

    @property
    def plain_english(self) -> str:
        text = self.text.strip().rstrip(".")
        if self.kind == ConditionKind.STOP:
            return f"You must stop {text}."
        if self.kind == ConditionKind.DO:
            return f"You must {text}."
        if self.kind == ConditionKind.REASONABLE_STEPS:
            return f"You must take reasonable steps to {text}."
        where = self.area_name.strip()
        sentence = f"You must not go into {where}."
        if self.area_description.strip():
            sentence += f" The area is: {self.area_description.strip().rstrip('.')}."
        if text:
            sentence += f" {text}."
        return sentence


class CPBreach(models.Model):
    """A breach of a served warning or notice. Breaching a notice is an offence; the fixed
    penalty offered is copied from the setting in force when it was recorded."""

    Action = BreachAction

    notice = models.ForeignKey(CommunityProtection, on_delete=models.PROTECT, related_name="breaches")
    occurred_at = models.DateTimeField("When it happened")
    location = models.CharField("Where it happened", max_length=200)
    reported_by = models.CharField("Who reported it", max_length=150)
    action = models.CharField("Action taken", max_length=20, choices=BreachAction.choices)
    action_detail = models.TextField("Details of the action taken", blank=True)
    fixed_penalty_amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=choice_in("action", BreachAction), name="cp_breach_action_valid"),
            models.CheckConstraint(
                condition=Q(action="fixed_penalty", fixed_penalty_amount__isnull=False)
                | (~Q(action="fixed_penalty") & Q(fixed_penalty_amount__isnull=True)),
                name="cp_breach_penalty_with_fixed_penalty",
            ),
        ]

    def __str__(self) -> str:
        return f"Breach of {self.notice.reference} at {self.location}"
