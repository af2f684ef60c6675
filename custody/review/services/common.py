"""What the writes of the custody review share: the editor guard, the error a
review decision raises."""

from __future__ import annotations

from safeguarding.audit.models import AuditEvent
from safeguarding.core.access import require_editor

Action = AuditEvent.Action

__all__ = ["Action", "DecisionError", "require_editor"]


class DecisionError(Exception):
    """A review decision that cannot be made as asked; the message is for the user."""
