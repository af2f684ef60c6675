"""Small database helpers every app uses: choice constraints and optimistic locking."""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.db.models import Q

M = TypeVar("M", bound=models.Model)


def choice_in(field: str, choices: type[models.TextChoices], *, blank: bool = False) -> Q:
    """The condition of a CheckConstraint keeping `field` to `choices` (and "" if blank)."""
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})


class EditConflict(Exception):
    """Someone else saved the record since the user opened it (optimistic locking)."""

    def __init__(self, current: models.Model):
        super().__init__("The record was changed by someone else while you were editing it.")
        self.current = current


def lock_for_edit(instance: M, *, expected_version: int) -> M:
    """The row, locked for this transaction, if it is still at the version the user
    edited; else EditConflict carrying the current row. Call inside transaction.atomic."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:
        raise EditConflict(current)
    return current
