"""Deciding what an outbox sends, exactly once: the one claim loop every clock uses (the
48-hour checklist's reminders and escalations, the return home interview's, the NRM's
overdue Reasonable Grounds notices). delivery.notifications_deliver then sends what
was decided.

A clock describes each of its rules as a ``Due``: the rows that are due (a QuerySet,
read afresh for each batch), the outbox row that deciding one writes, and what else
the decision marks. ``outbox_queue`` then, a batch per transaction:

1. claims the due rows with SELECT … FOR UPDATE SKIP LOCKED, so two sweeps (two beats,
   a redelivered message, two workers) share the work rather than repeat it;
2. writes their outbox rows with INSERT … ON CONFLICT DO NOTHING: the outbox's UNIQUE
   (row, kind) constraint is what makes each decision once, whatever runs at once;
3. writes what else goes with the decision (``also``: a compliance record) and marks
   the rows decided (``mark``: the row's ``reminder_queued_at`` or ``escalated_at``),

and commits, so the outbox row, the record and the mark are written together or not
at all. A decided row must stop being due — marked, or excluded by its outbox row —
else the loop would claim it again (which ``outbox_queue`` refuses).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from .models import OutboxDelivery

__all__ = ["Due", "outbox_queue"]


@dataclass(frozen=True)
class Due:
    """One rule of a clock. ``outbox`` makes the outbox row for one claimed row, given its
    (pk, *values) and the time of the decision; ``also`` writes anything else for the
    batch claimed, in the same transaction."""

    rows: QuerySet[Any]
    outbox: Callable[[tuple[Any, ...], datetime], OutboxDelivery]
    mark: str | None = None
    values: Sequence[str] = ()
    order_by: Sequence[str] = ("due_at", "id")
    also: Callable[[list[tuple[Any, ...]], datetime], object] | None = None


def outbox_queue(due: Due, *, now: datetime, batch: int | None = None) -> int:
    """Decide every row ``due.rows`` holds, ``batch`` rows per transaction (all at once
    with None): how many were decided."""
    queued = 0
    decided: set[Any] = set()
    while True:
        with transaction.atomic():
            # Each rule's rows match a partial index of the work still to do.
            claimed = list(
                due.rows.order_by(*due.order_by)
                .select_for_update(skip_locked=True, of=("self",))
                .values_list("pk", *due.values)[:batch]
            )
            if not claimed:
                return queued
            ids = [row[0] for row in claimed]
            if decided.intersection(ids):
                raise RuntimeError(f"{due.rows.model.__name__} rows stay due once decided: mark or exclude them")
            rows = [due.outbox(row, now) for row in claimed]
            type(rows[0])._default_manager.bulk_create(rows, ignore_conflicts=True)
            if due.also is not None:
                due.also(claimed, now)
            if due.mark is not None:
                due.rows.model._default_manager.filter(pk__in=ids).update(**{due.mark: now})
            decided.update(ids)
            queued += len(claimed)
