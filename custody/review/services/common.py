"""What the writes of the custody review share: the reviewer guard, the error a
review decision raises, and the hand-off to the 48-hour clock."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cases.selectors import can_edit
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent

from ...models import CustodyEvent

Action = AuditEvent.Action


class DecisionError(Exception):
    """A review decision that cannot be made as asked; the message is for the user."""


def require_reviewer(actor: User) -> None:
    if not can_edit(actor):
        raise PermissionDenied("Your role can read the custody review but not change it.")


def start_checklist(*, actor: User | None, event: CustodyEvent) -> None:
    """The 48-hour checklist starts from a release, and follows a release time
    corrected or removed later (idempotent on the clock's side)."""
    from custody.clock.services import checklist_follow_release

    checklist_follow_release(actor=actor, event=event)
