"""Signals other apps may listen to (cases never imports them).

case_reassigned: sent inside the reassignment's transaction with
    case, from_owner, to_owner, actor — e.g. custody moves the open checklist items.
person_updated: sent inside person_update's transaction with person (saved),
    changed (the names of the fields changed) and actor — e.g. custody reopens or
    closes the checklist items that depend on being looked-after or out of area.
person_merged: sent inside the merge's transaction with survivor, merged, actor,
    after cases.services.person_merge has moved every foreign key it knows about
    (including other apps' plain foreign keys to YoungPerson).
"""

from django.dispatch import Signal

case_reassigned = Signal()
person_merged = Signal()
person_updated = Signal()
