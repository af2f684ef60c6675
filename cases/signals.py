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
record_fulfils_checklist_item: sent inside the transaction of a record made elsewhere that
    fulfils a step of the 48-hour checklist (a referral to children's social care sent, an
    NRM referral submitted), through fulfil_checklist_item() below, with actor, case, code
    (the checklist template item's code), note and at — the clock ticks the matching items.
    The record's app needs to know nothing of the clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from safeguarding.accounts.models import User

    from .models import Case

missing_episode_returned = Signal()

case_reassigned = Signal()
person_merged = Signal()
person_updated = Signal()
record_fulfils_checklist_item = Signal()


def fulfil_checklist_item(*, actor: User, case: Case, code: str, note: str, at: datetime | None = None) -> None:
    """Say that a record just made on `case` fulfils the checklist step `code`. Receivers
    run in the caller's transaction and any error they raise is the caller's (nothing is
    swallowed, so the record and the ticks commit or roll back together)."""
    record_fulfils_checklist_item.send(sender=None, actor=actor, case=case, code=code, note=note, at=at)
