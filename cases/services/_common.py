"""What the cases services share: history stamping and model validation."""

from __future__ import annotations

from typing import Protocol, cast

from django.db import models

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent

Action = AuditEvent.Action


class _Historied(Protocol):
    """What django-simple-history reads off a model instance when it saves."""

    _history_user: User
    _change_reason: str


def stamp_history(obj: models.Model, actor: User, reason: str = "") -> None:
    """Who and why for django-simple-history, also outside a request."""
    historied = cast(_Historied, obj)
    historied._history_user = actor
    if reason:
        historied._change_reason = reason


def validate(obj: models.Model, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False)
