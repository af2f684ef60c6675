"""Young people and their safeguarding cases.

Everything that belongs to a case (chronology entries, missing episodes, the
young person's voice, tasks, associates) hangs off the case, so a case's scope
is the scope of everything in it, and merging two people only has to move cases.

PERSONAL_DATA_FIELDS on each model names the fields that hold personal data, so
later features (partner shares, exports) can keep them back.

One module per subject (choices, people, cases, case records, break glass, merge);
the app label, model names and tables are those of the former single module."""

from __future__ import annotations

from .break_glass import BreakGlassAccess
from .cases import Case, CaseAssignment, CaseStatusChange, DealLine, OrganisedCrimeGroup
from .choices import (
    AdverseExperience,
    AliasKind,
    ApprovalStatus,
    CaseClassification,
    CaseStatus,
    ClosureOutcome,
    CodesValidator,
    DigitalFindingCategory,
    EducationStatus,
    Ethnicity,
    ExploitationType,
    FoundLocation,
    Gender,
    HowIdentified,
    LookedAfterStatus,
    ManualEntryType,
    MissingRiskGrade,
    PlacementType,
    Relationship,
    RiskLevel,
    Vulnerability,
    WarningMarker,
)
from .merge import PersonMerge
from .people import Alias, PhilomenaProfile, YoungPerson, age_on
from .records import Associate, ManualChronologyEntry, MissingEpisode, MissingRiskGrading, Task, VoiceEntry
from .welfare import DigitalFinding, DigitalReview, Placement, Reclassification

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
        MissingRiskGrading,
        ManualChronologyEntry,
        Placement,
        Reclassification,
        DigitalReview,
        DigitalFinding,
    )
}

__all__ = [
    "ApprovalStatus",
    "CaseClassification",
    "DigitalFinding",
    "DigitalFindingCategory",
    "DigitalReview",
    "Placement",
    "PlacementType",
    "Reclassification",
    "PERSONAL_DATA_FIELDS",
    "AdverseExperience",
    "Alias",
    "AliasKind",
    "Associate",
    "BreakGlassAccess",
    "Case",
    "CaseAssignment",
    "CaseStatus",
    "CaseStatusChange",
    "ClosureOutcome",
    "CodesValidator",
    "DealLine",
    "EducationStatus",
    "Ethnicity",
    "ExploitationType",
    "FoundLocation",
    "Gender",
    "HowIdentified",
    "LookedAfterStatus",
    "ManualChronologyEntry",
    "ManualEntryType",
    "MissingEpisode",
    "MissingRiskGrade",
    "MissingRiskGrading",
    "OrganisedCrimeGroup",
    "PersonMerge",
    "PhilomenaProfile",
    "Relationship",
    "RiskLevel",
    "Task",
    "VoiceEntry",
    "Vulnerability",
    "WarningMarker",
    "YoungPerson",
    "age_on",
]
