"""Settling a time on a custody-list row that happened twice in the UK (the night the
clocks go back): the officer says whether the list meant BST or GMT, from the custody
record, and the row gets its time. Never guessed by the service."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core import uktime
from safeguarding.core.access import require_editor

from ...models import CustodyImportRow
from .common import DecisionError
from .decisions import _lock_undecided

# The row's time fields, what their problems start with, and what they are called.
TIME_FIELDS = {"arrested_at": ("Arrest time:", "arrest time"), "released_at": ("Release time:", "release time")}


def row_ambiguous_times(row: CustodyImportRow) -> dict[str, uktime.LocalTime]:
    """The row's times that are still unsettled because they happened twice."""
    return {field: parsed for field in TIME_FIELDS if (parsed := row.time_happened_twice(field))}


@transaction.atomic
def custody_row_time_settle(
    *, actor: User, row: CustodyImportRow, field: str, zone: str, request: HttpRequest | None = None
) -> CustodyImportRow:
    """Give an undecided row's ambiguous arrest or release time, as BST or GMT."""
    require_editor(actor)
    if field not in TIME_FIELDS or zone not in uktime.NAMED_ZONES:
        raise DecisionError("Choose BST or GMT.")
    row = _lock_undecided(row)
    if field not in row_ambiguous_times(row):
        raise DecisionError(f"The {TIME_FIELDS[field][1]} on this row does not need settling.")
    settled = uktime.parse_datetime(f"{getattr(row, f'{field}_text')} {zone}").at
    setattr(row, field, settled)
    prefix = TIME_FIELDS[field][0]
    row.checks = [check for check in row.checks if not check.startswith(prefix)]
    row.check_manually = bool(row.checks)
    row.save(update_fields=[field, "checks", "check_manually"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        request=request,
        obj=row,
        summary=f"Custody review: {TIME_FIELDS[field][1]} on line {row.line_number} settled as {zone}",
        detail={"field": field, "zone": zone, "batch": row.batch_id},
    )
    return row
