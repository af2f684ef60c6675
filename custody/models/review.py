"""The morning custody list, screening, review decisions and CustodyEvent.

The uploaded file is kept in the database with its batch summary (CustodyImport).
Each detention on a list becomes one CustodyImportRow, keyed by custody number and
arrest time, so a file imported twice creates nothing twice and a later list that
carries a release time or outcome updates the row (and its CustodyEvent). Rows
that are not flagged, or that an officer judged not at risk, lose their personal
data after CUSTODY_ROW_RETENTION_DAYS; the batch keeps its counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from safeguarding.core import uktime
from safeguarding.core.db import choice_in

if TYPE_CHECKING:
    from cases.models import Case

__all__ = [
    "CustodyEvent",
    "CustodyOutcome",
    "EventSource",
    "ImportStatus",
    "RowState",
    "S38Transfer",
    "CustodyImport",
    "CustodyImportRow",
    "ScreeningOffence",
]


class CustodyOutcome(models.TextChoices):
    CHARGED = "charged", "Charged"
    BAILED = "bailed", "Bailed"
    RUI = "rui", "Released under investigation"
    NFA = "nfa", "No further action"
    REMANDED = "remanded", "Remanded"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal (caution, community resolution)"


class ImportStatus(models.TextChoices):
    COLUMNS = "columns", "Waiting for its columns to be matched"
    PENDING = "pending", "Waiting to be processed"
    PROCESSING = "processing", "Processing"
    DONE = "done", "Imported"
    FAILED = "failed", "Could not be imported"


class RowState(models.TextChoices):
    NOT_FLAGGED = "not_flagged", "Not flagged"
    TO_REVIEW = "to_review", "To review"
    SAFEGUARDED = "safeguarded", "Safeguarded"
    ALREADY_KNOWN = "already_known", "Already known"
    NOT_AT_RISK = "not_at_risk", "Not at risk"
    REJECTED = "rejected", "Not imported (errors)"

    @classmethod
    def decided(cls) -> list[str]:
        return [cls.SAFEGUARDED, cls.ALREADY_KNOWN, cls.NOT_AT_RISK]

    @classmethod
    def purgeable(cls) -> list[str]:
        """Rows whose personal data goes after the retention period."""
        return [cls.NOT_FLAGGED, cls.NOT_AT_RISK, cls.REJECTED]


class S38Transfer(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", "Not applicable (not charged and kept in custody)"
    TRANSFERRED = "transferred", "Transferred to local-authority accommodation"
    IMPRACTICABLE = "impracticable", "Transfer impracticable"


class EventSource(models.TextChoices):
    CUSTODY_REVIEW = "custody_review", "Morning custody review"
    MANUAL = "manual", "Entered by hand"


# ---------------------------------------------------------------------------
# Screening configuration
# ---------------------------------------------------------------------------


class ScreeningOffence(models.Model):
    """An offence that indicates county lines, as an admin keeps it.

    Screening recognises the usual offences by meaning (custody.review.offences) and
    gives each a marker; a row here with the marker's label sets its points or, switched
    off, drops it. A row may also add phrases: a custody row matches when its offences
    text contains one (compared lower case, punctuation ignored). The label is what the
    review queue shows as the reason ("PWITS Class A")."""

    label = models.CharField(max_length=80, unique=True, help_text='Shown as the reason, e.g. "PWITS Class A".')
    phrases = models.TextField(
        blank=True,
        help_text="One phrase per line. The offence matches when the custody record's offences contain any of them "
        "(the markers screening recognises by meaning need none).",
    )
    weight = models.PositiveSmallIntegerField(default=30, help_text="Points added to the row's score.")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["label"]
        verbose_name = "screening offence"

    def __str__(self) -> str:
        return self.label

    def phrase_list(self) -> list[str]:
        return [p.strip() for p in self.phrases.splitlines() if p.strip()]


# ---------------------------------------------------------------------------
# The upload
# ---------------------------------------------------------------------------


class CustodyImport(models.Model):
    """One uploaded custody list: the file itself (in the database, not on disk)
    and what importing it did."""

    Status = ImportStatus

    PERSONAL_DATA_FIELDS = ("content", "problems")

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    content = models.BinaryField(help_text="The file as uploaded; emptied after the retention period.")
    size_bytes = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    encoding = models.CharField(max_length=20, blank=True, help_text="How the file was read (utf-8 or windows-1252).")
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    error_message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Progress and the batch summary (kept when personal data is purged).
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    flagged_count = models.PositiveIntegerField(default=0)
    check_manually_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # Problems found in the file: [{"line", "column", "value", "message"}], in line order.
    problems = models.JSONField(default=list, blank=True)
    # Lines of the file that updated an earlier row: [{"line", "custody_number", "changes"}].
    updates = models.JSONField(default=list, blank=True)
    content_purged_at = models.DateTimeField(null=True, blank=True)
    # Which column of the file holds which field ({"surname": 2}), when the uploader matched
    # them (or a saved matching of their team applied); empty: read from the headings.
    column_mapping = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=choice_in("status", ImportStatus), name="custodyimport_status_valid"),
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")), name="custodyimport_progress_within_total"
            ),
        ]
        indexes = [
            # The uploads list (newest first) and "today's imports" on the review page.
            models.Index(fields=["-uploaded_at"], name="custodyimport_uploaded_idx"),
            # The purge: files older than the retention period still holding their content.
            models.Index(
                fields=["uploaded_at"],
                condition=Q(content_purged_at__isnull=True),
                name="custodyimport_to_purge_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Custody list {self.filename} ({timezone.localtime(self.uploaded_at):%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def encoding_display(self) -> str:
        """How the file was read, in plain words."""
        return {
            "utf-8": "UTF-8",
            "utf-8-sig": "UTF-8 with a byte-order mark",
            "utf-16": "UTF-16",
            "windows-1252": "Windows-1252",
        }.get(self.encoding, self.encoding or "text")

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.is_finished else 0
        return min(100, int(100 * self.processed_rows / self.total_rows))


# ---------------------------------------------------------------------------
# One detention on a list
# ---------------------------------------------------------------------------


class CustodyImportRow(models.Model):
    """One detained person on a custody list, screened, and what the officer decided."""

    State = RowState

    PERSONAL_DATA_FIELDS = (
        "raw",
        "surname",
        "forenames",
        "date_of_birth",
        "date_of_birth_text",
        "gender",
        "home_address",
        "home_postcode",
        "home_area",
        "offences",
        "arresting_officer",
        "reasons",
        "errors",
        "checks",
    )

    batch = models.ForeignKey(CustodyImport, on_delete=models.PROTECT, related_name="rows")
    line_number = models.PositiveIntegerField()
    # The list that last carried this detention (a later list may update it).
    last_batch = models.ForeignKey(CustodyImport, on_delete=models.PROTECT, related_name="+")
    # Custody number + arrest time (or, when those cannot be read, a fingerprint of the
    # cells), so the same detention on two lists is one row.
    dedupe_key = models.CharField(max_length=200, unique=True)

    # The cells as uploaded, by the file's own column names.
    raw = models.JSONField(default=dict, blank=True)
    custody_number = models.CharField(max_length=50, blank=True)
    surname = models.CharField(max_length=100, blank=True)
    forenames = models.CharField(max_length=150, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_text = models.CharField(max_length=50, blank=True)
    gender = models.CharField(max_length=30, blank=True)
    home_address = models.TextField(blank=True)
    home_postcode = models.CharField(max_length=12, blank=True)
    home_area = models.CharField("Home force or local authority", max_length=120, blank=True)
    arrested_at = models.DateTimeField(null=True, blank=True)
    arrested_at_text = models.CharField(max_length=50, blank=True)
    custody_suite = models.CharField(max_length=120, blank=True)
    offences = models.TextField(blank=True)
    arresting_officer = models.CharField(max_length=150, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_at_text = models.CharField(max_length=50, blank=True)
    outcome_text = models.CharField(max_length=80, blank=True)
    outcome = models.CharField(max_length=16, choices=CustodyOutcome.choices, blank=True)

    # [{"column", "value", "message"}]: what could not be read (the row is still kept).
    errors = models.JSONField(default=list, blank=True)
    # Why an officer must look at the row by hand (unreadable date of birth, clock change).
    checks = models.JSONField(default=list, blank=True)
    check_manually = models.BooleanField(default=False)
    # Not columns: what custody.review.selectors sets on a page of rows.
    same_person_lines: list[int]
    open_case: Case | None

    score = models.PositiveIntegerField(default=0)
    # When the row, flagged and still undecided after CUSTODY_ESCALATE_AFTER_DAYS, was raised
    # to the supervisors (once).
    escalated_at = models.DateTimeField(null=True, blank=True)
    # ["16", "Home force North Yorkshire Police", "PWITS Class A", "Matches known person YP000012"]
    reasons = models.JSONField(default=list, blank=True)
    # The points each reason added, in the order of ``reasons`` (they sum to ``score``).
    reason_points = models.JSONField(default=list, blank=True)
    matched_person = models.ForeignKey(
        "cases.YoungPerson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    state = models.CharField(max_length=16, choices=RowState.choices, default=RowState.NOT_FLAGGED)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    person = models.ForeignKey("cases.YoungPerson", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    personal_data_purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=choice_in("state", RowState), name="custodyrow_state_valid"),
            models.CheckConstraint(
                condition=choice_in("outcome", CustodyOutcome, blank=True),
                name="custodyrow_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["safeguarded", "already_known", "not_at_risk"])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="custodyrow_decision_has_who",
            ),
            models.CheckConstraint(
                condition=~Q(state="not_at_risk") | ~Q(decision_reason=""), name="custodyrow_not_at_risk_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["safeguarded", "already_known"]) | Q(person__isnull=False, case__isnull=False),
                name="custodyrow_safeguarded_has_case",
            ),
        ]
        indexes = [
            # The review queue: rows to review, highest score first.
            models.Index(fields=["state", "-score", "id"], name="custodyrow_queue_idx"),
            # A batch's rows in file order (the import summary).
            models.Index(fields=["batch", "line_number"], name="custodyrow_batch_line_idx"),
            # "Decided today" on the review page and the home panel.
            models.Index(fields=["decided_at"], name="custodyrow_decided_idx"),
            # The purge: rows whose personal data is due to go, oldest first.
            models.Index(
                fields=["updated_at"],
                condition=Q(personal_data_purged_at__isnull=True, state__in=["not_flagged", "not_at_risk", "rejected"]),
                name="custodyrow_to_purge_idx",
            ),
        ]

    def __str__(self) -> str:
        number = self.custody_number or "no custody number"
        return f"Line {self.line_number}: {number} ({self.get_state_display()})"

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.forenames, self.surname) if p) or "(no name)"

    @property
    def is_decided(self) -> bool:
        return self.state in self.State.decided()

    def time_happened_twice(self, field: str) -> uktime.LocalTime | None:
        """The list's text for `field` (arrested_at / released_at) when that time is unread
        because it happened twice (the clocks went back), parsed; else None."""
        if getattr(self, field) is not None:
            return None
        return uktime.ambiguous_time(getattr(self, f"{field}_text") or "")

    @property
    def arrested_at_twice(self) -> bool:
        return self.time_happened_twice("arrested_at") is not None

    @property
    def released_at_twice(self) -> bool:
        return self.time_happened_twice("released_at") is not None

    @property
    def is_purged(self) -> bool:
        return self.personal_data_purged_at is not None

    @property
    def score_breakdown(self) -> list[tuple[str, int]]:
        """(reason, points) for the row page, when the row was screened with points."""
        if len(self.reason_points) != len(self.reasons):
            return []
        return list(zip(self.reasons, self.reason_points, strict=True))

    @property
    def reason_tags(self) -> list[tuple[str, str]]:
        """(text, GOV.UK tag colour class) for each screening reason, for the queue."""
        tags = []
        for reason in self.reasons:
            lower = reason.lower()
            if "juvenile" in lower:
                css = "govuk-tag--red"
            elif "check manually" in lower:
                css = "govuk-tag--yellow"
            elif "known young person" in lower or "associate" in lower:
                css = "govuk-tag--purple"
            elif "missing" in lower:
                css = "govuk-tag--orange"
            elif "not recognised" in lower:
                css = "govuk-tag--grey"
            else:
                css = "govuk-tag--blue"
            tags.append((reason, css))
        return tags


# ---------------------------------------------------------------------------
# Custody event
# ---------------------------------------------------------------------------


class CustodyEvent(models.Model):
    """A young person's time in custody: arrest, appropriate adult, interview, outcome, release."""

    Outcome = CustodyOutcome

    S38Transfer = S38Transfer
    Source = EventSource

    PERSONAL_DATA_FIELDS = (
        "offences",
        "appropriate_adult_name",
        "appropriate_adult_relationship",
        "interview_notes",
        "s38_impracticable_reason",
        "released_to",
        "released_where",
        "notes",
    )

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="custody_events")
    person = models.ForeignKey("cases.YoungPerson", on_delete=models.PROTECT, related_name="custody_events")
    source = models.CharField(max_length=16, choices=EventSource.choices, default=EventSource.MANUAL)
    source_row = models.OneToOneField(
        CustodyImportRow, null=True, blank=True, on_delete=models.SET_NULL, related_name="event"
    )
    operation_name = models.CharField(max_length=150, blank=True, help_text="When met on an operation.")

    custody_number = models.CharField(max_length=50, blank=True)
    custody_suite = models.CharField(max_length=120, blank=True)
    arrested_at = models.DateTimeField("Arrest time")
    offences = models.TextField(blank=True)

    appropriate_adult_name = models.CharField(max_length=150, blank=True)
    appropriate_adult_relationship = models.CharField(max_length=80, blank=True)
    appropriate_adult_at = models.DateTimeField("Appropriate adult attended", null=True, blank=True)

    interviewed_at = models.DateTimeField("Interview time", null=True, blank=True)
    interview_notes = models.TextField(blank=True)

    outcome = models.CharField(max_length=16, choices=CustodyOutcome.choices, blank=True)
    s38_transfer = models.CharField(
        "s38(6) transfer", max_length=16, choices=S38Transfer.choices, default=S38Transfer.NOT_APPLICABLE
    )
    s38_impracticable_reason = models.TextField("Why a transfer was impracticable", blank=True)

    released_at = models.DateTimeField("Release time", null=True, blank=True)
    released_to = models.CharField("Released to (whom)", max_length=150, blank=True)
    released_where = models.CharField("Released to (where)", max_length=200, blank=True)
    notes = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    # Optimistic locking: two people may edit an event at once (the officer, a later list).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-arrested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=choice_in("outcome", CustodyOutcome, blank=True), name="custodyevent_outcome_valid"
            ),
            models.CheckConstraint(condition=choice_in("s38_transfer", S38Transfer), name="custodyevent_s38_valid"),
            models.CheckConstraint(condition=choice_in("source", EventSource), name="custodyevent_source_valid"),
            models.CheckConstraint(
                condition=~Q(s38_transfer="impracticable") | ~Q(s38_impracticable_reason=""),
                name="custodyevent_s38_impracticable_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(released_at__gte=F("arrested_at")),
                name="custodyevent_released_after_arrest",
            ),
            # One event per detention (custody number + arrest time), when there is a number.
            models.UniqueConstraint(
                fields=["custody_number", "arrested_at"],
                condition=~Q(custody_number=""),
                name="custodyevent_detention_unique",
            ),
        ]
        indexes = [
            # The chronology: a case's custody events by time.
            models.Index(fields=["case", "arrested_at"], name="custodyevent_case_at_idx"),
            # Search by custody number (cases.search matcher).
            models.Index(fields=["custody_number"], name="custodyevent_number_idx"),
        ]

    def __str__(self) -> str:
        number = self.custody_number or "no custody number"
        return f"Custody {number} at {timezone.localtime(self.arrested_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("custody:event_detail", args=[self.pk])

    @property
    def is_released(self) -> bool:
        return self.released_at is not None
