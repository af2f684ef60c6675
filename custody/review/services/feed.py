"""Detentions sent by the force's custody system, as they happen, rather than on the
morning list.

Each call becomes a CustodyImport batch of its own and goes through the very code
that imports a CSV list (imports.import_rows): the same reading of each value
(row_values.parse_row), screening, deduplication by custody number and arrest time,
later-update semantics and review queue, and the same start of the 48-hour clock.
Only the envelope differs: fields arrive by name, and each item's problems are
answered to the sender by field as well as kept on the batch for the review pages.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record

from ...models import CustodyImport, CustodyImportRow, ImportStatus
from .. import parsing
from ..row_values import ParsedRow, parse_row
from .common import Action
from .imports import finish, import_rows, start_run

# The fields a detention may carry: the CSV list's columns, by their canonical names.
FEED_FIELDS: tuple[str, ...] = (
    "custody_number",
    "surname",
    "forenames",
    "date_of_birth",
    "gender",
    "home_address",
    "home_postcode",
    "home_force_or_local_authority",
    "arrest_datetime",
    "custody_suite",
    "offences",
    "offence_code",
    "arrest_location",
    "arresting_officer",
    "release_datetime",
    "outcome",
)
MAX_FEED_ITEMS = 500
# A problem names the value it is about by the attribute that holds it; the sender
# knows the field.
_FIELD_OF_ATTRIBUTE = {"home_area": "home_force_or_local_authority", "outcome_text": "outcome"}
_CHECK_FIELDS = (
    ("No date of birth", "date_of_birth"),
    ("Date of birth", "date_of_birth"),
    ("Arrest time", "arrest_datetime"),
    ("Release time", "release_datetime"),
)


@dataclass
class FeedOutcome:
    """What became of one detention: ``result`` is new, updated, unchanged or duplicate;
    ``state`` the review state of a new row; problems by field."""

    index: int
    result: str
    row: int | None = None
    state: str = ""
    problems: list[dict[str, str]] = field(default_factory=list)


@dataclass
class FeedReceipt:
    batch: CustodyImport
    outcomes: list[FeedOutcome]


def detention_row(index: int, values: dict[str, str]) -> ParsedRow:
    """One detention read exactly as a CSV row is (``line`` is its position, from 1)."""
    cells = {name: (values.get(name) or "").replace("\x00", "").strip() for name in FEED_FIELDS}
    raw = {name: value for name, value in cells.items() if value}
    return parse_row(index + 1, cells, raw)


def _check_field(message: str) -> str:
    return next((name for prefix, name in _CHECK_FIELDS if message.startswith(prefix)), "")


def _problems_by_field(parsed: ParsedRow) -> list[dict[str, str]]:
    found = []
    for kind, items in (("error", parsed.errors), ("warning", parsed.warnings)):
        for problem in items:
            name = _FIELD_OF_ATTRIBUTE.get(problem["column"], problem["column"])
            found.append(
                {"field": name, "kind": kind, "message": f"{parsing.LABELS.get(name, name)} {problem['message']}"}
            )
    found += [{"field": _check_field(message), "kind": "check", "message": message} for message in parsed.checks]
    return found


def _label_columns(parsed: ParsedRow) -> None:
    """The batch keeps its problems as a CSV list's are kept: by the column's label."""
    for problem in (*parsed.errors, *parsed.warnings):
        name = _FIELD_OF_ATTRIBUTE.get(problem["column"], problem["column"])
        problem["column"] = parsing.LABELS.get(name, name)


@transaction.atomic
def custody_feed_receive(*, actor: User, source: str, detentions: list[tuple[int, dict[str, str]]]) -> FeedReceipt:
    """Import detentions sent by a custody system: ``detentions`` is (position in the
    request, fields) for each item the caller found well formed. ``actor`` is the
    system's account, named on the batch and in its audit rows."""
    rows = [detention_row(index, values) for index, values in detentions]
    problems = {parsed.line: _problems_by_field(parsed) for parsed in rows}
    for parsed in rows:
        _label_columns(parsed)
    content = json.dumps([values for _, values in detentions], sort_keys=True).encode()
    now = timezone.now()
    batch = CustodyImport.objects.create(
        uploaded_by=actor,
        uploaded_at=now,
        filename=f"Custody feed: {source}"[:255],
        content=content,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        encoding="utf-8",
        total_rows=len(rows),
        status=ImportStatus.PROCESSING,
        started_at=now,
    )
    audit_record(
        action=Action.CREATE,
        actor=actor,
        obj=batch,
        summary=f"Custody feed batch received from {source} ({len(rows)} detentions)"[:255],
        detail={"rows": len(rows), "bytes": len(content), "source": source},
    )
    run = start_run(batch)
    import_rows(run, rows)
    finish(run, summary=f"Custody feed batch {batch.pk} imported")
    batch.refresh_from_db()
    return FeedReceipt(batch=batch, outcomes=_stored_outcomes(detentions, rows, run.outcomes, problems))


NOT_STORED = {"field": "", "kind": "invalid", "message": "The detention was not stored."}


def _stored_outcomes(
    detentions: list[tuple[int, dict[str, str]]],
    rows: list[ParsedRow],
    done: dict[int, dict[str, Any]],
    problems: dict[int, list[dict[str, str]]],
) -> list[FeedOutcome]:
    """Each item answered from what was stored: its row, read back. An item the import
    recorded nothing for, or whose row is not there, is answered invalid (nothing
    stored), never taken for unchanged; a duplicate is answered with the row of the
    item it repeats."""
    named = {outcome.get("row") for outcome in done.values()} - {None}
    stored = dict(CustodyImportRow.objects.filter(pk__in=named).values_list("pk", "state"))
    outcomes = []
    for (index, _), parsed in zip(detentions, rows, strict=True):
        outcome = done.get(parsed.line)
        if outcome is not None and outcome["result"] == "duplicate":
            row = done.get(outcome["repeats"], {}).get("row")
            state = ""
        else:
            row = outcome.get("row") if outcome else None
            state = outcome.get("state", "") if outcome else ""
        if outcome is None or row not in stored:
            outcomes.append(
                FeedOutcome(index=index, result="invalid", problems=[*problems[parsed.line], dict(NOT_STORED)])
            )
            continue
        outcomes.append(
            FeedOutcome(
                index=index,
                result=outcome["result"],
                row=row,
                state=stored[row] if outcome["result"] == "new" else state,
                problems=problems[parsed.line],
            )
        )
    return outcomes
