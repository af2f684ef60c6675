"""Forms: GOV.UK pattern, errors that say what to do, and what was typed is always kept.

One module per subject, as the pages are split."""

# At home in the core; custody still imports them from here.
from safeguarding.core.forms import DateTimeLocalInput, GovDateField

from .break_glass import BreakGlassForm, BreakGlassReviewForm
from .cases import CaseForm, CaseLinksForm, CaseStatusForm, ReassignForm
from .history import ChronologyFilterForm
from .merge import MergeConfirmForm, MergeSelectForm
from .people import AliasForm, PersonCreateForm, PersonForm, PhilomenaForm
from .records import (
    AssociateForm,
    ChronologyEntryForm,
    MissingEpisodeForm,
    MissingRegradeForm,
    TaskCompleteForm,
    TaskForm,
    VoiceEntryForm,
)
from .search import SearchForm
from .welfare import (
    DigitalReviewForm,
    PlacementEndForm,
    PlacementForm,
    ReclassificationDecisionForm,
    ReclassificationForm,
)

__all__ = [
    "DigitalReviewForm",
    "PlacementEndForm",
    "PlacementForm",
    "ReclassificationDecisionForm",
    "ReclassificationForm",
    "DateTimeLocalInput",
    "GovDateField",
    "AliasForm",
    "AssociateForm",
    "BreakGlassForm",
    "BreakGlassReviewForm",
    "CaseForm",
    "CaseLinksForm",
    "CaseStatusForm",
    "ChronologyEntryForm",
    "ChronologyFilterForm",
    "DateTimeLocalInput",
    "GovDateField",
    "MergeConfirmForm",
    "MergeSelectForm",
    "MissingEpisodeForm",
    "MissingRegradeForm",
    "PersonCreateForm",
    "PersonForm",
    "PhilomenaForm",
    "ReassignForm",
    "SearchForm",
    "TaskCompleteForm",
    "TaskForm",
    "VoiceEntryForm",
]
