"""What is recorded on a case: associates, tasks, the young person's voice, missing episodes, manual chronology entries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.core.db import choice_in, with_derived_fields

from .. import names
from .cases import Case
from .choices import FoundLocation, ManualEntryType, MissingRiskGrade, Relationship
from .people import YoungPerson


class Associate(models.Model):
    """Someone linked to the young person within a case: a suspected exploiter, a peer, family."""

    Relationship = Relationship
    PERSONAL_DATA_FIELDS = ("name", "name_norm", "date_of_birth", "details")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="associates")
    name = models.CharField(max_length=150)
    # The name normalised (names.normalise), set in save(): screening the custody list compares
    # it with each row's name in the database (custody.review.screening.match_associates).
    name_norm = models.CharField(max_length=300, blank=True, editable=False)
    relationship = models.CharField(max_length=24, choices=Relationship.choices)
    date_of_birth = models.DateField(null=True, blank=True)
    details = models.TextField(blank=True)
    # When the associate is a young person on this system too.
    linked_person = models.ForeignKey(
        YoungPerson, null=True, blank=True, on_delete=models.SET_NULL, related_name="associated_in"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["relationship", "name"]
        constraints = [
            models.CheckConstraint(
                condition=choice_in("relationship", Relationship), name="associate_relationship_valid"
            ),
        ]
        indexes = [
            # Screening the morning custody list (custody.review.screening.match_associates):
            # one statement per 500-row chunk joins the chunk's rows to cases_associate on
            # date_of_birth (this index: a handful of associates share a birthday) and keeps
            # only those whose name_norm is close to the row's name (pg_trgm similarity or a
            # shared word or name variant, computed on those few rows). The date is far more
            # selective than any name condition, so no trigram index on name_norm is needed.
            # Partial: an associate with no date of birth (a street name) never matches.
            models.Index(fields=["date_of_birth"], condition=Q(date_of_birth__isnull=False), name="associate_dob_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display().lower()})"

    def save(self, *args, **kwargs) -> None:
        self.name_norm = names.normalise(self.name)[:300]
        super().save(*args, **with_derived_fields(kwargs, "name_norm"))


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_tasks")
    due_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["completed_at", "due_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_by__isnull=False), name="task_completed_has_who"
            ),
        ]
        indexes = [
            # "My overdue tasks" on the officer's home page: open tasks of an assignee by due time.
            models.Index(fields=["assignee", "completed_at", "due_at"], name="task_assignee_open_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (due {timezone.localtime(self.due_at):%Y-%m-%d %H:%M})"

    @property
    def is_overdue(self) -> bool:
        return self.completed_at is None and self.due_at < timezone.now()


class VoiceEntry(models.Model):
    """The young person's own account and wishes, in their own words."""

    PERSONAL_DATA_FIELDS = ("account", "wishes")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="voice_entries")
    spoken_on = models.DateField("Date they said this")
    account = models.TextField("In their words")
    wishes = models.TextField("What they want to happen", blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "voice entries"
        ordering = ["-spoken_on", "-id"]

    def __str__(self) -> str:
        return f"Voice of the young person, {self.spoken_on:%Y-%m-%d}"


class MissingEpisode(models.Model):
    """One time the young person went missing.

    ``risk_grade`` is the current grade; every grading, the first included, is a
    MissingRiskGrading row (who, when, why). Recording the return (``found_at``)
    starts the return home interview clock (custody listens to
    cases.signals.missing_episode_returned). ``estimated_cost`` is the police cost
    estimate in force when the episode was recorded (settings.MISSING_EPISODE_ESTIMATED_COST),
    kept on the row so a later change of the estimate does not rewrite history."""

    RiskGrade = MissingRiskGrade
    FoundLocation = FoundLocation
    PERSONAL_DATA_FIELDS = ("missing_from", "found_where", "notes")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="missing_episodes")
    reported_missing_at = models.DateTimeField()
    missing_from = models.CharField("Missing from (where)", max_length=200)
    reported_by = models.CharField("Reported by (who)", max_length=150)
    risk_grade = models.CharField(max_length=20, choices=MissingRiskGrade.choices)
    found_at = models.DateTimeField("Found or returned", null=True, blank=True)
    found_where = models.CharField("Found or returned where", max_length=200, blank=True)
    found_by = models.CharField("Found or returned by (who)", max_length=150, blank=True)
    found_location = models.CharField(
        "Inside or outside the force area", max_length=8, choices=FoundLocation.choices, blank=True
    )
    estimated_cost = models.DecimalField("Estimated police cost", max_digits=9, decimal_places=2, default=0)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reported_missing_at"]
        constraints = [
            models.CheckConstraint(
                condition=choice_in("risk_grade", MissingRiskGrade), name="missing_risk_grade_valid"
            ),
            models.CheckConstraint(
                condition=Q(found_at__isnull=True) | Q(found_at__gte=F("reported_missing_at")),
                name="missing_found_after_reported",
            ),
            models.CheckConstraint(
                condition=choice_in("found_location", FoundLocation, blank=True), name="missing_found_location_valid"
            ),
        ]
        indexes = [
            # A person's missing history in order (custody screening, chronology).
            models.Index(fields=["case", "reported_missing_at"], name="missing_case_reported_idx"),
        ]

    def __str__(self) -> str:
        return f"Missing from {timezone.localtime(self.reported_missing_at):%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.found_at is None


class MissingRiskGrading(models.Model):
    """One grading of a missing episode on the College of Policing continuum: the first
    when the episode is recorded, then each re-grading, with who made it and why."""

    PERSONAL_DATA_FIELDS = ("reason",)

    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="gradings")
    grade = models.CharField(max_length=20, choices=MissingRiskGrade.choices)
    graded_at = models.DateTimeField("When the grade was decided")
    reason = models.TextField("Why", blank=True)
    graded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["graded_at", "id"]
        constraints = [
            models.CheckConstraint(condition=choice_in("grade", MissingRiskGrade), name="missinggrading_grade_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} at {timezone.localtime(self.graded_at):%Y-%m-%d %H:%M}"


class ManualChronologyEntry(models.Model):
    """An entry an officer writes into the chronology (everything else is gathered from its source)."""

    Type = ManualEntryType
    PERSONAL_DATA_FIELDS = ("text",)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="chronology_entries")
    entry_type = models.CharField("Type", max_length=16, choices=ManualEntryType.choices)
    occurred_at = models.DateTimeField("When it happened")
    text = models.TextField("What happened")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name_plural = "manual chronology entries"
        ordering = ["-occurred_at"]
        constraints = [
            models.CheckConstraint(condition=choice_in("entry_type", ManualEntryType), name="manualentry_type_valid"),
        ]
        indexes = [
            # The chronology: a case's entries by time.
            models.Index(fields=["case", "occurred_at"], name="manualentry_case_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_type_display()} at {timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M}"
