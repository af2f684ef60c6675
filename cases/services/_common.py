"""What the cases services share: history stamping and model validation."""

from __future__ import annotations

from django.db import models

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent

Action = AuditEvent.Action


def stamp_history(obj: models.Model, actor: User, reason: str = "") -> None:
    """Who and why for django-simple-history, also outside a request."""
    obj._history_user = actor
    if reason:
        obj._change_reason = reason


def validate(obj: models.Model, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False)
