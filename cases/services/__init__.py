"""Every write to young people and cases: keyword-only, atomic, audited in the same transaction.

Edits of a person or a case carry the version the user started from; when the
stored version has moved on, EditConflict is raised and nothing is saved.

One module per subject; callers import from this package."""

from .break_glass import break_glass_grant, break_glass_review
from .cases import (
    CASE_FIELDS,
    NEEDS_REASON,
    TRANSITIONS,
    CaseTransitionError,
    case_create,
    case_links_update,
    case_reassign,
    case_transition,
    case_update,
    transitions_for,
)
from .merge import person_merge
from .people import (
    PERSON_FIELDS,
    PHILOMENA_FIELDS,
    alias_add,
    alias_remove,
    person_create,
    person_update,
    philomena_update,
)
from .records import (
    associate_create,
    chronology_entry_create,
    missing_episode_create,
    missing_episode_regrade,
    missing_episode_update,
    task_complete,
    task_create,
    voice_entry_create,
)
from .welfare import (
    current_classification,
    digital_review_create,
    placement_create,
    placement_end,
    reclassification_decide,
    reclassification_request,
)

__all__ = [
    "current_classification",
    "digital_review_create",
    "placement_create",
    "placement_end",
    "reclassification_decide",
    "reclassification_request",
    "CASE_FIELDS",
    "CaseTransitionError",
    "NEEDS_REASON",
    "PERSON_FIELDS",
    "PHILOMENA_FIELDS",
    "TRANSITIONS",
    "alias_add",
    "alias_remove",
    "associate_create",
    "break_glass_grant",
    "break_glass_review",
    "case_create",
    "case_links_update",
    "case_reassign",
    "case_transition",
    "case_update",
    "chronology_entry_create",
    "missing_episode_create",
    "missing_episode_regrade",
    "missing_episode_update",
    "person_create",
    "person_merge",
    "person_update",
    "philomena_update",
    "task_complete",
    "task_create",
    "transitions_for",
    "voice_entry_create",
]
