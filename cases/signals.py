"""Signals other apps may listen to (cases never imports them).

case_reassigned: sent inside the reassignment's transaction with
    case, from_owner, to_owner, actor — e.g. custody moves the open checklist items.
person_merged: sent inside the merge's transaction with survivor, merged, actor,
    after cases.services.person_merge has moved every foreign key it knows about
    (including other apps' plain foreign keys to YoungPerson).
"""

from django.dispatch import Signal

case_reassigned = Signal()
person_merged = Signal()
