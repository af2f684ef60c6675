"""What the cases services share: the editor check, history stamping, validation."""

from __future__ import annotations

from django.db import models

from safeguarding.accounts.models import Team, User
from safeguarding.audit.models import AuditEvent

from ..selectors import teams_of

Action = AuditEvent.Action


def stamp_history(obj: models.Model, actor: User, reason: str = "") -> None:
    """Who and why for django-simple-history, also outside a request."""
    obj._history_user = actor
    if reason:
        obj._change_reason = reason


def home_team(actor: User) -> Team | None:
    if actor.team_id:
        return actor.team
    return teams_of(actor).order_by("name").first()


def validate(obj: models.Model, exclude: list[str] | None = None) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False)
