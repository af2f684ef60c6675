"""A case, its status and assignment history, and the shared named entities it links to (deal lines, organised crime groups)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.core.db import choice_in

from .choices import CaseStatus, ClosureOutcome, CodesValidator, ExploitationType, HowIdentified, RiskLevel
from .people import YoungPerson


class OrganisedCrimeGroup(models.Model):
    name = models.CharField(max_length=150, unique=True)
    area = models.CharField(max_length=150, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DealLine(models.Model):
    """A drug-dealing "line": a branded phone number that customers call."""

    name = models.CharField(max_length=150, unique=True, help_text='The line\'s name, e.g. "Ricky line".')
    phone_number = models.CharField(max_length=40, blank=True)
    supply_area = models.CharField(max_length=150, blank=True)
    crime_group = models.ForeignKey(
        OrganisedCrimeGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="deal_lines"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    Status = CaseStatus
    RiskLevel = RiskLevel
    HowIdentified = HowIdentified
    ClosureOutcome = ClosureOutcome
    PERSONAL_DATA_FIELDS = ("risk_rationale", "how_identified_detail", "closure_reason", "closure_outcome_other")

    person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_cases")
    status = models.CharField(max_length=32, choices=CaseStatus.choices, default=CaseStatus.IDENTIFIED)
    exploitation_types = models.JSONField(default=list, blank=True, validators=[CodesValidator("ExploitationType")])
    exploitation_other = models.CharField("Other exploitation (describe)", max_length=200, blank=True)
    risk_level = models.CharField(max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    risk_rationale = models.TextField(blank=True)
    risk_review_on = models.DateField("Next risk review", null=True, blank=True)
    how_identified = models.CharField(max_length=20, choices=HowIdentified.choices, default=HowIdentified.OTHER)
    operation_name = models.CharField(max_length=150, blank=True)
    how_identified_detail = models.TextField(blank=True)
    # The Police Information and Records Management Code of Practice (2023) replaced the
    # Management of Police Information (MoPI) code; set when a closure is approved.
    records_review_on = models.DateField("Next records review", null=True, blank=True)
    crime_groups = models.ManyToManyField(OrganisedCrimeGroup, blank=True, related_name="cases")
    deal_lines = models.ManyToManyField(DealLine, blank=True, related_name="cases")

    opened_at = models.DateTimeField(default=timezone.now)
    closure_reason = models.TextField(blank=True)
    # What had changed for the young person (ClosureOutcome codes), given with the request to close.
    closure_outcomes = models.JSONField(default=list, blank=True, validators=[CodesValidator("ClosureOutcome")])
    closure_outcome_other = models.CharField("Other outcome (describe)", max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[crime_groups, deal_lines])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=choice_in("status", CaseStatus), name="case_status_valid"),
            models.CheckConstraint(condition=choice_in("risk_level", RiskLevel), name="case_risk_level_valid"),
            models.CheckConstraint(
                condition=choice_in("how_identified", HowIdentified), name="case_how_identified_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED, closed_at__isnull=False) | ~Q(status=CaseStatus.CLOSED),
                name="case_closed_has_closed_at",
            ),
        ]
        indexes = [
            # Team case lists and scoping: a team's cases by status.
            models.Index(fields=["team", "status"], name="case_team_status_idx"),
            # "My cases" on the officer's home page.
            models.Index(fields=["owner", "status"], name="case_owner_status_idx"),
            # Risk reviews coming due (dashboards).
            models.Index(fields=["risk_review_on"], name="case_risk_review_idx"),
            # The case list (selectors.case_list_for) sorts newest first, "-opened_at, -id";
            # with these PostgreSQL reads a page off an index instead of sorting every
            # case in scope. All cases (the force lead, any status):
            models.Index(fields=["-opened_at", "-id"], name="case_opened_idx"),
            # Open cases only: the list's default filter, and the home panels' awaiting
            # closure / high risk rows for the force lead.
            models.Index(
                fields=["-opened_at", "-id"],
                condition=Q(status__in=CaseStatus.open_values()),
                name="case_open_opened_idx",
            ),
            # One team's cases (a supervisor's teams, the team filter).
            models.Index(fields=["team", "-opened_at", "-id"], name="case_team_opened_idx"),
            # The home panels' open cases by status (home_panels.team_cases): counted by an
            # index-only scan, person included for the break-glass branch of the scope.
            models.Index(
                fields=["status", "team"],
                include=["person"],
                condition=Q(status__in=CaseStatus.open_values()),
                name="case_open_status_team_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:case_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"SG{self.pk:06d}" if self.pk else "SG (new)"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def get_closure_outcomes_display(self) -> list[str]:
        labels = [ClosureOutcome(c).label for c in self.closure_outcomes if c in ClosureOutcome.values]
        if self.closure_outcome_other and ClosureOutcome.OTHER in self.closure_outcomes:
            labels[labels.index(ClosureOutcome.OTHER.label)] = f"Other: {self.closure_outcome_other}"
        return labels

    def get_exploitation_types_display(self) -> list[str]:
        labels = [ExploitationType(c).label for c in self.exploitation_types if c in ExploitationType.values]
        if self.exploitation_other and ExploitationType.OTHER in self.exploitation_types:
            labels[labels.index(ExploitationType.OTHER.label)] = f"Other: {self.exploitation_other}"
        return labels


class CaseStatusChange(models.Model):
    """One move through the status machine (cases.services.case_transition)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=32, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=32, choices=CaseStatus.choices)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=choice_in("from_status", CaseStatus), name="statuschange_from_valid"),
            models.CheckConstraint(condition=choice_in("to_status", CaseStatus), name="statuschange_to_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.from_status} → {self.to_status}"


class CaseAssignment(models.Model):
    """A reassignment of a case to another officer by a supervisor."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    from_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case.reference} reassigned at {self.at:%Y-%m-%d %H:%M}"
