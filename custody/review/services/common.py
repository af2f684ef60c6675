"""What the writes of the custody review share: the reviewer guard, the error a
review decision raises."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from cases.selectors import can_edit
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent

Action = AuditEvent.Action


class DecisionError(Exception):
    """A review decision that cannot be made as asked; the message is for the user."""


def require_reviewer(actor: User) -> None:
    if not can_edit(actor):
        raise PermissionDenied("Your role can read the custody review but not change it.")
