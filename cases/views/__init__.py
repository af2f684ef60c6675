"""Pages for young people and cases. Thin: access → form → service → redirect.

Records outside the user's scope answer 404 (the selectors); pages that a role
cannot use at all answer 403 (role_required); the force lead reads everything
and changes nothing (403 on every change). Every page that shows a record,
every list and search, and every change writes its audit row.

One module per subject; urls.py reaches every page through this package."""

from .break_glass import break_glass, break_glass_review_view, break_glass_reviewed
from .cases import (
    approvals,
    case_changes,
    case_create_view,
    case_detail,
    case_edit,
    case_links,
    case_list,
    case_reassign_view,
    case_status,
)
from .history import person_changes, person_chronology, person_chronology_print, person_viewers
from .merge import person_merge_view
from .people import alias_remove_view, person_aliases, person_create_view, person_detail, person_edit, philomena_edit
from .records import (
    associate_add,
    entry_add,
    missing_add,
    missing_edit,
    missing_regrade,
    task_add,
    task_complete_view,
    voice_add,
)
from .search import search_view
from .welfare import (
    digital_review_add,
    digital_review_detail,
    placement_add,
    placement_end,
    reclassification_add,
    reclassification_decide,
)

__all__ = [
    "digital_review_add",
    "digital_review_detail",
    "placement_add",
    "placement_end",
    "reclassification_add",
    "reclassification_decide",
    "alias_remove_view",
    "approvals",
    "associate_add",
    "break_glass",
    "break_glass_review_view",
    "break_glass_reviewed",
    "case_changes",
    "case_create_view",
    "case_detail",
    "case_edit",
    "case_links",
    "case_list",
    "case_reassign_view",
    "case_status",
    "entry_add",
    "missing_add",
    "missing_edit",
    "missing_regrade",
    "person_aliases",
    "person_changes",
    "person_chronology",
    "person_chronology_print",
    "person_create_view",
    "person_detail",
    "person_edit",
    "person_merge_view",
    "person_viewers",
    "philomena_edit",
    "search_view",
    "task_add",
    "task_complete_view",
    "voice_add",
]
