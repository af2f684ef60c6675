"""Writes of the 48-hour post-custody clock, one module per job: a checklist's life
(lifecycle), its items, the templates, and the sweep that enforces deadlines. Every
write is keyword-only, atomic and audited in its own transaction."""

from .common import ChecklistError
from .items import (
    conditional_items_follow_person,
    item_mark_done,
    item_mark_not_applicable,
    item_reassign,
    items_complete_by_code,
    items_follow_case_owner,
    owners_for_reassignment,
)
from .lifecycle import (
    STOPPED_REASON,
    checklist_follow_release,
    clock_start_for,
)
from .return_interviews import (
    interview_follow_return,
    interview_outbox_deliver,
    interview_record,
    interviews_follow_case_owner,
)
from .sweep import SweepResult, checklist_sweep, outbox_deliver
from .templates import active_template, template_activate, template_new_version

__all__ = [
    "STOPPED_REASON",
    "ChecklistError",
    "SweepResult",
    "active_template",
    "checklist_follow_release",
    "checklist_sweep",
    "clock_start_for",
    "interview_follow_return",
    "interview_outbox_deliver",
    "interview_record",
    "interviews_follow_case_owner",
    "conditional_items_follow_person",
    "item_mark_done",
    "item_mark_not_applicable",
    "item_reassign",
    "items_complete_by_code",
    "items_follow_case_owner",
    "outbox_deliver",
    "owners_for_reassignment",
    "template_activate",
    "template_new_version",
]
