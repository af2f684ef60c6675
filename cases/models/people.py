"""A young person, the other names they are known by, and their Philomena profile."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from safeguarding.core.db import choice_in, with_derived_fields

from .. import names
from .choices import (
    AdverseExperience,
    AliasKind,
    CodesValidator,
    EducationStatus,
    Ethnicity,
    Gender,
    LookedAfterStatus,
    Vulnerability,
    WarningMarker,
)


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class YoungPerson(models.Model):
    Gender = Gender
    Ethnicity = Ethnicity
    LookedAfterStatus = LookedAfterStatus
    EducationStatus = EducationStatus
    # What an officer records about the young person: the one list the person form, the edit
    # service and the merge work from (cases.services.people.PERSON_FIELDS is this list).
    RECORDED_FIELDS = (
        "given_name",
        "middle_names",
        "family_name",
        "date_of_birth",
        "estimated_age",
        "gender",
        "ethnicity",
        "nationality",
        "first_language",
        "interpreter_needed",
        "home_address",
        "home_postcode",
        "home_local_authority",
        "home_police_force",
        "looked_after_status",
        "responsible_local_authority",
        "social_worker_name",
        "social_worker_phone",
        "social_worker_email",
        "education_status",
        "education_setting",
        "adverse_experiences",
        "adverse_experiences_notes",
        "vulnerabilities",
        "vulnerabilities_notes",
        "warning_markers",
        "warning_markers_notes",
    )
    # Everything recorded, and the name keys derived from it for search.
    PERSONAL_DATA_FIELDS = (*RECORDED_FIELDS, "given_name_norm", "family_name_norm", "full_name_norm", "name_keys")

    given_name = models.CharField("First name", max_length=100, blank=True)
    middle_names = models.CharField("Middle names", max_length=150, blank=True)
    family_name = models.CharField("Last name", max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Only when the date of birth is not known."
    )
    estimated_age_on = models.DateField(null=True, blank=True, help_text="When the age was estimated.")
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(max_length=32, choices=Ethnicity.choices, blank=True)
    nationality = models.CharField(max_length=80, blank=True)
    first_language = models.CharField(max_length=80, blank=True)
    interpreter_needed = models.BooleanField(default=False)

    home_address = models.TextField(blank=True)
    home_postcode = models.CharField(max_length=10, blank=True)
    home_local_authority = models.CharField(max_length=120, blank=True)
    home_police_force = models.CharField(max_length=120, blank=True)

    looked_after_status = models.CharField(
        max_length=16, choices=LookedAfterStatus.choices, default=LookedAfterStatus.NOT_KNOWN
    )
    responsible_local_authority = models.CharField(max_length=120, blank=True)
    social_worker_name = models.CharField(max_length=150, blank=True)
    social_worker_phone = models.CharField(max_length=40, blank=True)
    social_worker_email = models.EmailField(blank=True)

    education_status = models.CharField(
        max_length=16, choices=EducationStatus.choices, default=EducationStatus.NOT_KNOWN
    )
    education_setting = models.CharField("School, college or provider", max_length=150, blank=True)

    adverse_experiences = models.JSONField(default=list, blank=True, validators=[CodesValidator("AdverseExperience")])
    adverse_experiences_notes = models.TextField(blank=True)
    vulnerabilities = models.JSONField(default=list, blank=True, validators=[CodesValidator("Vulnerability")])
    vulnerabilities_notes = models.TextField(blank=True)
    warning_markers = models.JSONField(default=list, blank=True, validators=[CodesValidator("WarningMarker")])
    warning_markers_notes = models.TextField(blank=True)

    # Normalised names (names.normalise) kept for the trigram indexes; set in save().
    given_name_norm = models.CharField(max_length=100, blank=True, editable=False)
    family_name_norm = models.CharField(max_length=100, blank=True, editable=False)
    full_name_norm = models.CharField(max_length=360, blank=True, editable=False)
    # Soundex keys of every name word (names.name_keys), for misspellings trigrams miss.
    name_keys = models.CharField(max_length=200, blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who may see a person before any case is opened for them.
    created_by_team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking: every save through a service adds one.
    version = models.PositiveIntegerField(default=1)
    # A merged-away record stays as a tombstone pointing at the record that survived.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_records"
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["given_name_norm", "family_name_norm", "full_name_norm", "name_keys"])

    class Meta:
        verbose_name = "young person"
        verbose_name_plural = "young people"
        constraints = [
            models.CheckConstraint(condition=choice_in("gender", Gender), name="youngperson_gender_valid"),
            models.CheckConstraint(
                condition=choice_in("ethnicity", Ethnicity, blank=True), name="youngperson_ethnicity_valid"
            ),
            models.CheckConstraint(
                condition=choice_in("looked_after_status", LookedAfterStatus), name="youngperson_looked_after_valid"
            ),
            models.CheckConstraint(
                condition=choice_in("education_status", EducationStatus), name="youngperson_education_valid"
            ),
            models.CheckConstraint(condition=~Q(given_name="", family_name=""), name="youngperson_has_a_name"),
            # Age is always known: a date of birth or an estimate in the range we work with.
            models.CheckConstraint(
                condition=Q(date_of_birth__isnull=False)
                | Q(estimated_age__gte=8, estimated_age__lte=25, estimated_age_on__isnull=False),
                name="youngperson_dob_or_estimated_age",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=F("id")), name="youngperson_not_merged_into_self"
            ),
        ]
        indexes = [
            # Search and duplicate checks by exact date of birth.
            models.Index(fields=["date_of_birth"], name="youngperson_dob_idx"),
            # Misspelling-tolerant search (pg_trgm `%` on the normalised names); PostgreSQL only,
            # created by migration 0002 after the pg_trgm extension (0001).
            GinIndex(fields=["family_name_norm"], opclasses=["gin_trgm_ops"], name="youngperson_family_trgm"),
            GinIndex(fields=["given_name_norm"], opclasses=["gin_trgm_ops"], name="youngperson_given_trgm"),
            GinIndex(fields=["full_name_norm"], opclasses=["gin_trgm_ops"], name="youngperson_full_trgm"),
            # Search by sound-alike name words (LIKE '% S530 %'), PostgreSQL only.
            GinIndex(fields=["name_keys"], opclasses=["gin_trgm_ops"], name="youngperson_keys_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.reference})"

    def save(self, *args, **kwargs) -> None:
        self.given_name_norm = names.normalise(self.given_name)[:100]
        self.family_name_norm = names.normalise(self.family_name)[:100]
        self.full_name_norm = names.normalise(f"{self.given_name} {self.middle_names} {self.family_name}")[:360]
        self.name_keys = names.name_keys(self.full_name_norm)[:200]
        derived = ("given_name_norm", "family_name_norm", "full_name_norm", "name_keys")
        super().save(*args, **with_derived_fields(kwargs, *derived))

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cases:person_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if not (self.given_name.strip() or self.family_name.strip()):
            errors["given_name"] = "Enter a first name or a last name"
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        if self.date_of_birth is None:
            if self.estimated_age is None:
                errors["estimated_age"] = "Enter a date of birth or, if it is not known, an estimated age"
            elif not 8 <= self.estimated_age <= 25:
                errors["estimated_age"] = "Estimated age must be between 8 and 25"
        if errors:
            raise ValidationError(errors)

    @property
    def reference(self) -> str:
        return f"YP{self.pk:06d}" if self.pk else "YP (new)"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.middle_names, self.family_name) if p) or "(no name)"

    @property
    def age(self) -> int | None:
        today = timezone.localdate()
        if self.date_of_birth:
            return age_on(self.date_of_birth, today)
        if self.estimated_age is not None and self.estimated_age_on:
            return self.estimated_age + age_on(self.estimated_age_on, today)
        return None

    @property
    def age_is_estimated(self) -> bool:
        return self.date_of_birth is None

    @property
    def age_display(self) -> str:
        """ "15", or "about 15 (estimated)"; always shown."""
        age = self.age
        if age is None:
            return "Not known"
        return f"about {age} (estimated)" if self.age_is_estimated else str(age)

    @property
    def is_child(self) -> bool:
        """Under 18, or appears so (PACE Code C: treat as a juvenile)."""
        return self.age is None or self.age < 18

    @property
    def is_looked_after(self) -> bool:
        return self.looked_after_status in LookedAfterStatus.looked_after()

    @property
    def is_out_of_area(self) -> bool:
        return bool(self.home_police_force) and names.normalise(self.home_police_force) != names.normalise(
            settings.FORCE_NAME
        )

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def get_adverse_experiences_display(self) -> list[str]:
        return [AdverseExperience(c).label for c in self.adverse_experiences if c in AdverseExperience.values]

    def get_vulnerabilities_display(self) -> list[str]:
        return [Vulnerability(c).label for c in self.vulnerabilities if c in Vulnerability.values]

    def get_warning_markers_display(self) -> list[str]:
        return [WarningMarker(c).label for c in self.warning_markers if c in WarningMarker.values]


class Alias(models.Model):
    """Another name a young person is known by: alias, street name, nickname."""

    Kind = AliasKind
    PERSONAL_DATA_FIELDS = ("name", "name_norm", "name_keys", "notes")

    person = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=16, choices=AliasKind.choices, default=AliasKind.ALIAS)
    notes = models.CharField(max_length=255, blank=True)
    name_norm = models.CharField(max_length=150, blank=True, editable=False)
    name_keys = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=choice_in("kind", AliasKind), name="alias_kind_valid"),
        ]
        indexes = [
            # Search by alias / street name with misspellings (pg_trgm), PostgreSQL only.
            GinIndex(fields=["name_norm"], opclasses=["gin_trgm_ops"], name="alias_name_trgm"),
            # Search by sound-alike alias words, PostgreSQL only.
            GinIndex(fields=["name_keys"], opclasses=["gin_trgm_ops"], name="alias_keys_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display().lower()})"

    def save(self, *args, **kwargs) -> None:
        self.name_norm = names.normalise(self.name)[:150]
        self.name_keys = names.name_keys(self.name_norm)[:100]
        super().save(*args, **with_derived_fields(kwargs, "name_norm", "name_keys"))


class PhilomenaProfile(models.Model):
    """The Philomena Protocol profile kept for a child in care, ready for a missing report."""

    PERSONAL_DATA_FIELDS = (
        "physical_description",
        "associates",
        "places_frequented",
        "phone_numbers",
        "social_media",
        "transport_used",
        "other_information",
    )

    person = models.OneToOneField(YoungPerson, on_delete=models.CASCADE, related_name="philomena")
    physical_description = models.TextField(blank=True, help_text="Height, build, hair, marks, usual clothing.")
    associates = models.TextField(blank=True)
    places_frequented = models.TextField(blank=True)
    phone_numbers = models.TextField(blank=True)
    social_media = models.TextField(blank=True)
    transport_used = models.TextField(blank=True)
    other_information = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Philomena profile of {self.person.reference}"
