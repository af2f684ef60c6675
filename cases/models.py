"""Young people and their safeguarding cases (DESIGN §3).

Everything that belongs to a case (chronology entries, missing episodes, the
young person's voice, tasks, associates) hangs off the case, so a case's scope
is the scope of everything in it, and merging two people only has to move cases.

PERSONAL_DATA_FIELDS on each model names the fields that hold personal data, so
later features (partner shares, exports) can keep them back.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords

from safeguarding.core.db import choice_in

from . import names


@deconstructible
class CodesValidator:
    """For a JSON list of choice codes (ACEs, markers, exploitation types)."""

    def __init__(self, choices_path: str):
        self.choices_path = choices_path

    def __call__(self, value) -> None:
        choices = globals()[self.choices_path]
        if not isinstance(value, list) or any(v not in choices.values for v in value):
            raise ValidationError("Choose from the list.")

    def __eq__(self, other) -> bool:
        return isinstance(other, CodesValidator) and other.choices_path == self.choices_path

    def __hash__(self) -> int:
        return hash(self.choices_path)


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


# ---------------------------------------------------------------------------
# Choices
# ---------------------------------------------------------------------------


class Gender(models.TextChoices):
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Another gender"
    NOT_KNOWN = "not_known", "Not known"


class Ethnicity(models.TextChoices):
    """The 2021 census (England and Wales): 5 high-level groups, 19 categories."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian, Asian British or Asian Welsh: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian, Asian British or Asian Welsh: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian, Asian British or Asian Welsh: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian, Asian British or Asian Welsh: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian, Asian British or Asian Welsh: Other Asian"
    BLACK_AFRICAN = "black_african", "Black, Black British, Black Welsh, Caribbean or African: African"
    BLACK_CARIBBEAN = "black_caribbean", "Black, Black British, Black Welsh, Caribbean or African: Caribbean"
    BLACK_OTHER = "black_other", "Black, Black British, Black Welsh, Caribbean or African: Other Black"
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or Multiple ethnic groups: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or Multiple ethnic groups: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or Multiple ethnic groups: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or Multiple ethnic groups: Other Mixed or Multiple"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: Other White"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: Any other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class LookedAfterStatus(models.TextChoices):
    NOT_KNOWN = "not_known", "Not known"
    NO = "no", "Not looked after"
    SECTION_20 = "section_20", "Looked after: accommodated by agreement (section 20)"
    CARE_ORDER = "care_order", "Looked after: care order (section 31)"
    REMAND = "remand", "Looked after: remanded to local-authority accommodation"
    CARE_LEAVER = "care_leaver", "Care leaver"

    @classmethod
    def looked_after(cls) -> set[str]:
        return {cls.SECTION_20, cls.CARE_ORDER, cls.REMAND}


class EducationStatus(models.TextChoices):
    NOT_KNOWN = "not_known", "Not known"
    MAINSTREAM = "mainstream", "In mainstream school"
    ALTERNATIVE = "alternative", "Alternative provision or pupil referral unit"
    COLLEGE = "college", "College or further education"
    TRAINING = "training", "Employment or training"
    SUSPENDED = "suspended", "Suspended"
    EXCLUDED = "excluded", "Permanently excluded"
    HOME_EDUCATED = "home_educated", "Elective home education"
    NOT_ON_ROLL = "not_on_roll", "Not on a school roll"
    NEET = "neet", "Not in education, employment or training"


class AdverseExperience(models.TextChoices):
    """The ten adverse childhood experiences of the CDC-Kaiser ACE study."""

    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    EMOTIONAL_ABUSE = "emotional_abuse", "Emotional abuse"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    PHYSICAL_NEGLECT = "physical_neglect", "Physical neglect"
    EMOTIONAL_NEGLECT = "emotional_neglect", "Emotional neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse in the household"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse in the household"
    MENTAL_ILLNESS = "mental_illness", "Mental illness in the household"
    PARENTAL_SEPARATION = "parental_separation", "Parental separation or divorce"
    INCARCERATION = "incarceration", "A household member in prison"


class Vulnerability(models.TextChoices):
    LEARNING_DISABILITY = "learning_disability", "Learning disability or difficulty"
    SEND = "send", "Special educational needs"
    MENTAL_HEALTH = "mental_health", "Mental health needs"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    EXCLUDED = "excluded", "Excluded or missing from education"
    GOING_MISSING = "going_missing", "Goes missing"
    HOMELESS = "homeless", "Homeless or unstable accommodation"
    DEBT = "debt", "Debt bondage"
    ONLINE = "online", "Online grooming"
    ISOLATED = "isolated", "Isolated from family"
    UNACCOMPANIED = "unaccompanied", "Unaccompanied asylum-seeking child"
    YOUNG_CARER = "young_carer", "Young carer"


class WarningMarker(models.TextChoices):
    """Police national computer style warning markers."""

    WEAPONS = "weapons", "Weapons"
    FIREARMS = "firearms", "Firearms"
    VIOLENT = "violent", "Violence"
    SELF_HARM = "self_harm", "Self-harm"
    SUICIDAL = "suicidal", "Suicidal"
    DRUGS = "drugs", "Drugs"
    ESCAPER = "escaper", "Escape risk"
    MENTAL_HEALTH = "mental_health", "Mental health"
    AILMENT = "ailment", "Medical condition"
    CONTAGIOUS = "contagious", "Contagious"


class ExploitationType(models.TextChoices):
    CCE = "cce", "Child criminal exploitation"
    CSE = "cse", "Child sexual exploitation"
    COUNTY_LINES = "county_lines", "County lines"
    MSHT = "msht", "Modern slavery / human trafficking"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class CaseStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    ACTIVE = "active", "Active"
    AWAITING_CLOSURE_APPROVAL = "awaiting_closure_approval", "Awaiting closure approval"
    CLOSED = "closed", "Closed"

    @classmethod
    def open_values(cls) -> list[str]:
        return [cls.IDENTIFIED, cls.ACTIVE, cls.AWAITING_CLOSURE_APPROVAL]


class HowIdentified(models.TextChoices):
    CUSTODY_REVIEW = "custody_review", "Custody review"
    OPERATION = "operation", "Operation"
    AGENCY_REFERRAL = "agency_referral", "Referral from another agency"
    OTHER = "other", "Other"


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    STREET_NAME = "street_name", "Street name"
    NICKNAME = "nickname", "Nickname"
    PREVIOUS_NAME = "previous_name", "Previous name"
    SPELLING = "spelling", "Other spelling"


class Relationship(models.TextChoices):
    SUSPECTED_EXPLOITER = "suspected_exploiter", "Suspected exploiter"
    PEER = "peer", "Peer"
    FAMILY = "family", "Family member"
    PARTNER = "partner", "Partner or ex-partner"
    PROFESSIONAL = "professional", "Professional"
    OTHER = "other", "Other"


class MissingRiskGrade(models.TextChoices):
    """The College of Policing continuum for missing people."""

    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ManualEntryType(models.TextChoices):
    CONTACT = "contact", "Contact with the young person"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE_CALL = "phone_call", "Phone call"
    MEETING = "meeting", "Multi-agency meeting"
    STRATEGY = "strategy", "Strategy discussion"
    INTELLIGENCE = "intelligence", "Intelligence"
    NOTE = "note", "Note"


# ---------------------------------------------------------------------------
# Young person
# ---------------------------------------------------------------------------


class YoungPerson(models.Model):
    Gender = Gender
    Ethnicity = Ethnicity
    LookedAfterStatus = LookedAfterStatus
    EducationStatus = EducationStatus
    PERSONAL_DATA_FIELDS = (
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
        "looked_after_status",
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
        "given_name_norm",
        "family_name_norm",
        "full_name_norm",
        "name_keys",
    )

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
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "given_name_norm",
                "family_name_norm",
                "full_name_norm",
                "name_keys",
            }
        super().save(*args, **kwargs)

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
        super().save(*args, **kwargs)


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


# ---------------------------------------------------------------------------
# Shared named entities
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Case
# ---------------------------------------------------------------------------


class Case(models.Model):
    Status = CaseStatus
    RiskLevel = RiskLevel
    HowIdentified = HowIdentified
    PERSONAL_DATA_FIELDS = ("risk_rationale", "how_identified_detail", "closure_reason")

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
    mopi_review_on = models.DateField("Next MoPI review", null=True, blank=True)
    crime_groups = models.ManyToManyField(OrganisedCrimeGroup, blank=True, related_name="cases")
    deal_lines = models.ManyToManyField(DealLine, blank=True, related_name="cases")

    opened_at = models.DateTimeField(default=timezone.now)
    closure_reason = models.TextField(blank=True)
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
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_norm"}
        super().save(*args, **kwargs)


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
    """One time the young person went missing: the record (clocks and costs come later)."""

    RiskGrade = MissingRiskGrade
    PERSONAL_DATA_FIELDS = ("missing_from", "found_where", "notes")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="missing_episodes")
    reported_missing_at = models.DateTimeField()
    missing_from = models.CharField("Missing from (where)", max_length=200)
    reported_by = models.CharField("Reported by (who)", max_length=150)
    risk_grade = models.CharField(max_length=20, choices=MissingRiskGrade.choices)
    found_at = models.DateTimeField("Found or returned", null=True, blank=True)
    found_where = models.CharField("Found or returned where", max_length=200, blank=True)
    found_by = models.CharField("Found or returned by (who)", max_length=150, blank=True)
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


# ---------------------------------------------------------------------------
# Access outside one's scope, and merges
# ---------------------------------------------------------------------------


class BreakGlassAccess(models.Model):
    """Time-limited access to a person (and their cases) outside the user's scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_accesses")
    person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="break_glass_accesses")
    justification = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=F("granted_at")), name="breakglass_expires_after_grant"),
        ]
        indexes = [
            # Scoping: the live grants of one user (every scoped query joins on this).
            models.Index(fields=["user", "expires_at"], name="breakglass_user_expiry_idx"),
            # The supervisors' "to review" list.
            models.Index(fields=["reviewed_at", "-granted_at"], name="breakglass_review_idx"),
        ]

    def __str__(self) -> str:
        return f"Break glass by user {self.user_id} to {self.person.reference}"

    @property
    def is_live(self) -> bool:
        return self.expires_at > timezone.now()


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


# Every model's personal-data fields, by model label: what a partner share or export must hold back.
PERSONAL_DATA_FIELDS: dict[str, tuple[str, ...]] = {
    model._meta.label_lower: model.PERSONAL_DATA_FIELDS
    for model in (
        YoungPerson,
        Alias,
        PhilomenaProfile,
        Case,
        Associate,
        VoiceEntry,
        MissingEpisode,
        ManualChronologyEntry,
    )
}
