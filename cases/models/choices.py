"""The fixed lists the cases models choose from, and the validator of JSON lists of their codes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible


# Migrations name it by its old home, cases.models, which still exports it.
@deconstructible(path="cases.models.CodesValidator")
class CodesValidator:
    """For a JSON list of choice codes (ACEs, markers, exploitation types)."""

    def __init__(self, choices_path: str):
        self.choices_path = choices_path

    def __call__(self, value) -> None:
        # choices_path names one of the lists in this module.
        choices = globals()[self.choices_path]
        if not isinstance(value, list) or any(v not in choices.values for v in value):
            raise ValidationError("Choose from the list.")

    def __eq__(self, other) -> bool:
        return isinstance(other, CodesValidator) and other.choices_path == self.choices_path

    def __hash__(self) -> int:
        return hash(self.choices_path)


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
    # Exploiters taking over a vulnerable person's home to deal from it.
    CUCKOOING = "cuckooing", "Cuckooing"
    # The offence of child criminal exploitation created by the Crime and Policing Act 2026.
    CCE_OFFENCE = "cce_offence", "CCE offence (Crime and Policing Act 2026)"
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


class ClosureOutcome(models.TextChoices):
    """What had changed for the young person when the case closed."""

    POSITIVE_NRM = "positive_nrm", "Positive National Referral Mechanism decision"
    NO_MISSING = "no_missing", "No missing episodes since"
    SAFE_ACCOMMODATION = "safe_accommodation", "In safe accommodation"
    ENGAGED = "engaged", "Engaged with support"
    OTHER = "other", "Other"


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


class FoundLocation(models.TextChoices):
    """Where a missing young person was found or came back: it decides who does the
    return home interview and whether another force was involved."""

    INSIDE = "inside", "Inside the force area"
    OUTSIDE = "outside", "Outside the force area"


class PlacementType(models.TextChoices):
    HOME = "home", "Family home"
    FOSTER = "foster", "Foster care"
    RESIDENTIAL = "residential", "Residential children's home"
    SUPPORTED = "supported", "Supported accommodation"
    SECURE = "secure", "Secure accommodation (court order)"
    OTHER = "other", "Other"


class CaseClassification(models.TextChoices):
    """How the case sees the young person: the start of a reclassification and its end."""

    SUSPECT_DRUG_SUPPLY = "suspect_drug_supply", "Suspect of drug supply"
    SUSPECT_OTHER = "suspect_other", "Suspect of another offence"
    VICTIM_MSHT = "victim_msht", "Victim of modern slavery / human trafficking"
    VICTIM_CCE = "victim_cce", "Victim of child criminal exploitation"
    VICTIM_CSE = "victim_cse", "Victim of child sexual exploitation"
    AT_RISK = "at_risk", "At risk of exploitation"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class DigitalFindingCategory(models.TextChoices):
    CONTACT_WITH_EXPLOITERS = "exploiter_contact", "Contact with exploiters"
    DEAL_LINE = "deal_line", "Deal-line messages"
    FORCED_LABOUR = "forced_labour", "Evidence of forced labour or debt bondage"
    LOCATION = "location", "Location data"
    OTHER = "other", "Other"


class ManualEntryType(models.TextChoices):
    CONTACT = "contact", "Contact with the young person"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE_CALL = "phone_call", "Phone call"
    MEETING = "meeting", "Multi-agency meeting"
    STRATEGY = "strategy", "Strategy discussion"
    INTELLIGENCE = "intelligence", "Intelligence"
    NOTE = "note", "Note"
