"""Small database helpers every app uses: choice constraints and optimistic locking."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.db import models
from django.db.models import Q
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


class Versioned(Protocol):
    """A model with optimistic locking: a `version` bumped on every save of an edit."""

    version: int
    updated_at: datetime


def choice_in(field: str, choices: type[models.TextChoices], *, blank: bool = False) -> Q:
    """The condition of a CheckConstraint keeping `field` to `choices` (and "" if blank)."""
    values = list(choices.values) + ([""] if blank else [])
    return Q(**{f"{field}__in": values})


def with_derived_fields(save_kwargs: dict[str, Any], *fields: str) -> dict[str, Any]:
    """The kwargs of a save() that derives `fields` from others (normalised names):
    when they name update_fields, the derived fields are added, so a partial save
    never leaves them stale.

        def save(self, *args, **kwargs):
            self.name_norm = normalise(self.name)
            super().save(*args, **with_derived_fields(kwargs, "name_norm"))
    """
    update_fields = save_kwargs.get("update_fields")
    if update_fields is None:
        return save_kwargs
    return {**save_kwargs, "update_fields": {*update_fields, *fields}}


class EditConflict(Exception):
    """Someone else saved the record since the user opened it (optimistic locking)."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("The record was changed by someone else while you were editing it.")
        self.current = current


def lock_for_edit(instance: M, *, expected_version: int) -> M:
    """The row, locked for this transaction, if it is still at the version the user
    edited; else EditConflict carrying the current row. Call inside transaction.atomic."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if cast(Versioned, current).version != expected_version:
        raise EditConflict(current)
    return current


def changed_fields(instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    """The names among `fields` whose value in `data` differs from the instance's."""
    return [name for name in fields if name in data and getattr(instance, name) != data[name]]


def apply_versioned_edit(
    instance: M,
    *,
    data: Mapping[str, Any],
    fields: Iterable[str],
    expected_version: int,
    prepare: Callable[[M, list[str]], None] | None = None,
) -> tuple[M, list[str]]:
    """An edit with optimistic locking, for models with `version` and `updated_at`.

    Locks the row if it is still at the version the user edited (else EditConflict),
    copies the `fields` whose value in `data` differs, lets `prepare(row, changed)`
    derive and validate (and stamp history), then bumps the version and saves.
    Returns the row and the names of the changed fields; when nothing changed nothing
    is saved and the version stays. Call inside transaction.atomic; the caller writes
    the audit row."""
    current = lock_for_edit(instance, expected_version=expected_version)
    changed = changed_fields(current, data, fields)
    if not changed:
        return current, changed
    for name in changed:
        setattr(current, name, data[name])
    if prepare is not None:
        prepare(current, changed)
    versioned = cast(Versioned, current)
    versioned.version += 1
    versioned.updated_at = timezone.now()
    current.save()
    return current, changed


if TYPE_CHECKING:
    _Lookup = models.Lookup[Any]
else:
    _Lookup = models.Lookup


class AnyOf(_Lookup):
    """``pk__any_of=[…]``: a column equal to one of many integers, sent as ONE array
    parameter (``= ANY(%s)``) on PostgreSQL rather than ``IN (%s, %s, …)`` with a
    parameter per value. For lists of hundreds of ids (the running checklists' cases)
    that is cheaper to build in Django and planned from the array's length; other
    databases get the plain IN list."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, values]
        if not values:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


# Integer columns, ids included (BigAutoField is one), and foreign keys (``case_id``).
models.IntegerField.register_lookup(AnyOf)
models.ForeignKey.register_lookup(AnyOf)
