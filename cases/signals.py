"""Signals other apps may listen to (cases never imports them).

case_reassigned: sent inside the reassignment's transaction with
    case, from_owner, to_owner, actor — e.g. custody moves the open checklist items.
person_updated: sent inside person_update's transaction with person (saved),
    changed (the names of the fields changed) and actor — e.g. custody reopens or
    closes the checklist items that depend on being looked-after or out of area.
person_merged: sent inside the merge's transaction with survivor, merged, actor,
    after cases.services.person_merge has moved every foreign key it knows about
    (including other apps' plain foreign keys to YoungPerson).
missing_episode_returned: sent inside the transaction that records, moves or removes a
    missing episode's return with episode (saved; found_at None when removed), actor
    and previous_found_at — e.g. custody starts or moves the return home interview clock.
"""

from django.dispatch import Signal

missing_episode_returned = Signal()

case_reassigned = Signal()
person_merged = Signal()
person_updated = Signal()
