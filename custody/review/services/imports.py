"""Importing a stored custody list, a chunk per transaction.

Importing is idempotent: every detention is one CustodyImportRow keyed by custody
number and arrest time (``dedupe_key``), so the same file imported twice creates
nothing twice, and a later list carrying a release time or outcome updates the
row and its custody event. Work is claimed with a compare-and-swap on the batch's
status, so two workers (or a redelivered task) never import one file at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from custody.clock.services import checklist_follow_release
from safeguarding.audit.services import audit_record

from ...models import CustodyEvent, CustodyImport, CustodyImportRow, ImportStatus, RowState
from .. import parsing, row_values, screening
from .common import Action

logger = logging.getLogger(__name__)

CHUNK_ROWS = 500
# A batch left "processing" this long without progress is taken to have lost its worker.
STALE_CLAIM = timedelta(minutes=10)
MAX_PROBLEMS_KEPT = 2000


def claim(batch_id: int) -> bool:
    """Compare-and-swap: pending (or processing but abandoned) -> processing."""
    now = timezone.now()
    return bool(
        CustodyImport.objects.filter(
            Q(status=ImportStatus.PENDING) | Q(status=ImportStatus.PROCESSING, started_at__lt=now - STALE_CLAIM),
            pk=batch_id,
        ).update(
            status=ImportStatus.PROCESSING,
            started_at=now,
            processed_rows=0,
            new_count=0,
            flagged_count=0,
            check_manually_count=0,
            updated_count=0,
            unchanged_count=0,
            duplicate_count=0,
            error_count=0,
            problems=[],
            updates=[],
            error_message="",
        )
    )


@dataclass
class Counts:
    processed: int = 0
    new: int = 0
    flagged: int = 0
    check_manually: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    errors: int = 0


def row_fields(parsed: row_values.ParsedRow) -> dict[str, Any]:
    return {
        "raw": parsed.raw,
        "custody_number": parsed.custody_number,
        "surname": parsed.surname,
        "forenames": parsed.forenames,
        "date_of_birth": parsed.date_of_birth,
        "date_of_birth_text": parsed.date_of_birth_text,
        "gender": parsed.gender,
        "home_address": parsed.home_address,
        "home_postcode": parsed.home_postcode,
        "home_area": parsed.home_area,
        "arrested_at": parsed.arrested_at,
        "arrested_at_text": parsed.arrested_at_text,
        "custody_suite": parsed.custody_suite,
        "offences": parsed.offences,
        "arresting_officer": parsed.arresting_officer,
        "released_at": parsed.released_at,
        "released_at_text": parsed.released_at_text,
        "outcome_text": parsed.outcome_text,
        "outcome": parsed.outcome,
        "errors": parsed.errors,
        "checks": parsed.checks,
    }


def _problems_of(parsed: row_values.ParsedRow) -> list[dict]:
    items = [{"line": parsed.line, "kind": "error", **e} for e in parsed.errors]
    items += [{"line": parsed.line, "kind": "warning", **w} for w in parsed.warnings]
    items += [{"line": parsed.line, "kind": "check", "column": "", "value": "", "message": c} for c in parsed.checks]
    return items


def _later_list_changes(row: CustodyImportRow, parsed: row_values.ParsedRow) -> dict[str, tuple]:
    """What a later list says that the row does not have yet: release time and outcome."""
    changes: dict[str, tuple] = {}
    if parsed.released_at and parsed.released_at != row.released_at:
        changes["released_at"] = (row.released_at, parsed.released_at)
    if parsed.outcome_text and (parsed.outcome_text != row.outcome_text or parsed.outcome != row.outcome):
        changes["outcome"] = (row.outcome_text, parsed.outcome_text)
    return changes


def _apply_later_list(
    *, row: CustodyImportRow, parsed: row_values.ParsedRow, batch: CustodyImport, changes: dict[str, tuple]
) -> CustodyEvent | None:
    """Update the row and, when it became a custody event, the event too. Returns the event
    when its release time was newly recorded (the 48-hour clock starts)."""
    now = timezone.now()
    fields = ["last_batch", "updated_at"]
    row.last_batch = batch
    row.updated_at = now
    if "released_at" in changes:
        row.released_at = parsed.released_at
        row.released_at_text = parsed.released_at_text
        fields += ["released_at", "released_at_text"]
    if "outcome" in changes:
        row.outcome_text = parsed.outcome_text
        row.outcome = parsed.outcome
        fields += ["outcome_text", "outcome"]
    row.save(update_fields=fields)
    event = CustodyEvent.objects.select_for_update().filter(source_row=row).first()
    if event is None:
        return None
    event_fields = []
    # _later_list_changes lists a release time only when the later list has one.
    if (
        "released_at" in changes
        and event.released_at != parsed.released_at
        and cast(datetime, parsed.released_at) >= event.arrested_at
    ):
        event.released_at = parsed.released_at
        event_fields.append("released_at")
    if "outcome" in changes and parsed.outcome and event.outcome != parsed.outcome:
        event.outcome = parsed.outcome
        event_fields.append("outcome")
    if not event_fields:
        return None
    event.version += 1
    event.updated_at = now
    event.save(update_fields=[*event_fields, "version", "updated_at"])
    audit_record(
        action=Action.UPDATE,
        actor=batch.uploaded_by,
        obj=event,
        summary=f"Custody event updated from custody list {batch.pk}",
        detail={"fields": event_fields, "batch": batch.pk, "line": parsed.line},
    )
    return event if "released_at" in event_fields else None


@dataclass
class _Run:
    """One import of a batch: what it has counted and reported so far, and the line
    that first carried each detention in this file (``seen``: dedupe_key -> line)."""

    batch: CustodyImport
    rules: screening.OffenceScreen
    counts: Counts = field(default_factory=Counts)
    problems: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    # What became of each line: {line: {"result": ..., "row": pk}} (the feed answers with it).
    outcomes: dict[int, dict[str, Any]] = field(default_factory=dict)

    def snapshot(self) -> tuple:
        return replace(self.counts), len(self.problems), len(self.updates), dict(self.seen), dict(self.outcomes)

    def restore(self, snapshot: tuple) -> None:
        self.counts, n_problems, n_updates, self.seen, self.outcomes = snapshot
        del self.problems[n_problems:]
        del self.updates[n_updates:]

    def save_progress(self) -> None:
        save_progress(self.batch, self.counts, self.problems, self.updates)


def _not_seen(run: _Run, chunk: list[row_values.ParsedRow]) -> list[row_values.ParsedRow]:
    """The rows of the chunk not seen before in this file; a repeat is counted and reported."""
    fresh: list[row_values.ParsedRow] = []
    for parsed in chunk:
        run.counts.processed += 1
        key = parsed.dedupe_key
        if key in run.seen:
            run.counts.duplicate += 1
            run.problems.append(
                {
                    "line": parsed.line,
                    "kind": "duplicate",
                    "column": "custody_number",
                    "value": parsed.custody_number,
                    "message": f"repeats line {run.seen[key]} (same custody number and arrest time): imported once",
                }
            )
            run.outcomes[parsed.line] = {"result": "duplicate", "repeats": run.seen[key]}
        else:
            run.seen[key] = parsed.line
            fresh.append(parsed)
    return fresh


def _seen_before(run: _Run, parsed: row_values.ParsedRow, row: CustodyImportRow) -> list[CustodyEvent]:
    """A detention an earlier list imported: updated by what this list adds, else left unchanged."""
    changes = _later_list_changes(row, parsed)
    if not changes or row.is_purged:
        run.counts.unchanged += 1
        run.outcomes[parsed.line] = {"result": "unchanged", "row": row.pk}
        CustodyImportRow.objects.filter(pk=row.pk).update(last_batch=run.batch)
        return []
    event = _apply_later_list(row=row, parsed=parsed, batch=run.batch, changes=changes)
    run.counts.updated += 1
    run.outcomes[parsed.line] = {"result": "updated", "row": row.pk}
    run.updates.append(
        {
            "line": parsed.line,
            "custody_number": parsed.custody_number,
            "changes": [c for c in ("released_at", "outcome") if c in changes],
            "row": row.pk,
        }
    )
    return [event] if event is not None else []


def _count_new(run: _Run, parsed: row_values.ParsedRow, result: screening.Screening) -> str:
    """Count a new row of the list; its state from its screening."""
    run.counts.new += 1
    if parsed.has_errors:
        run.counts.errors += 1
    if not result.flagged:
        return RowState.REJECTED if parsed.has_errors else RowState.NOT_FLAGGED
    run.counts.flagged += 1
    if result.check_manually:
        run.counts.check_manually += 1
    return RowState.TO_REVIEW


def _import_chunk(run: _Run, chunk: list[row_values.ParsedRow]) -> list[CustodyEvent]:
    """One transaction: insert new rows (screened), update rows a later list changes."""
    released: list[CustodyEvent] = []
    fresh = _not_seen(run, chunk)
    if not fresh:
        return released
    existing = {
        row.dedupe_key: row
        for row in CustodyImportRow.objects.select_for_update().filter(dedupe_key__in=[p.dedupe_key for p in fresh])
    }
    to_screen = []
    for parsed in fresh:
        run.problems.extend(_problems_of(parsed))
        row = existing.get(parsed.dedupe_key)
        if row is None or row.batch_id == run.batch.pk:
            # New here (or left half-imported by an abandoned run of this same batch).
            to_screen.append((parsed, row))
        else:
            released += _seen_before(run, parsed, row)
    if not to_screen:
        return released
    results = screening.screen([p for p, _ in to_screen], rules=run.rules)
    now = timezone.now()
    new_rows = []
    for (parsed, row), result in zip(to_screen, results, strict=True):
        state = _count_new(run, parsed, result)
        values = {
            **row_fields(parsed),
            "line_number": parsed.line,
            "last_batch": run.batch,
            "score": result.score,
            "reasons": result.reasons,
            "reason_points": result.points,
            "check_manually": result.check_manually,
            "matched_person_id": result.matched_person_id,
            "state": state,
            "updated_at": now,
        }
        if row is not None:
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        else:
            row = CustodyImportRow(batch=run.batch, dedupe_key=parsed.dedupe_key, created_at=now, **values)
            new_rows.append(row)
        run.outcomes[parsed.line] = {"result": "new", "state": state, "row": row}
    # PostgreSQL gives bulk-created rows their keys; the outcomes then name them.
    CustodyImportRow.objects.bulk_create(new_rows, batch_size=CHUNK_ROWS)
    for outcome in run.outcomes.values():
        if isinstance(outcome.get("row"), CustodyImportRow):
            outcome["row"] = outcome["row"].pk
    return released


def _import_chunk_retrying(run: _Run, chunk: list[row_values.ParsedRow]) -> list[CustodyEvent]:
    """One chunk in one transaction. Another list imported at the same moment may insert
    the same detention first (the unique dedupe_key refuses ours): the chunk is then rolled
    back and done again, when that row is found and treated as already imported."""
    for attempt in range(3):
        before = run.snapshot()
        try:
            with transaction.atomic():
                released = _import_chunk(run, chunk)
                run.save_progress()
            return released
        except IntegrityError:
            if attempt == 2:
                raise
            run.restore(before)
    return []


def save_progress(batch: CustodyImport, counts: Counts, problems: list[dict], updates: list[dict]) -> None:
    CustodyImport.objects.filter(pk=batch.pk).update(
        processed_rows=counts.processed,
        new_count=counts.new,
        flagged_count=counts.flagged,
        check_manually_count=counts.check_manually,
        updated_count=counts.updated,
        unchanged_count=counts.unchanged,
        duplicate_count=counts.duplicate,
        error_count=counts.errors,
        # In line order, as the custody team will correct them (sorted() is stable: a line's
        # own problems keep the order they were found in).
        problems=sorted(problems, key=lambda p: p.get("line") or 0)[:MAX_PROBLEMS_KEPT],
        updates=updates[:MAX_PROBLEMS_KEPT],
        # Progress also renews the claim, so a long import is not taken for abandoned.
        started_at=timezone.now(),
    )


def import_rows(run: _Run, rows: Iterable[row_values.ParsedRow]) -> None:
    """The one way detentions come in, from a CSV list or the custody feed: parsed rows,
    a chunk per transaction (deduplicated, screened, a later list's release time and
    outcome applied), then the 48-hour clock of each newly released young person."""
    iterator = iter(rows)
    while chunk := [row for _, row in zip(range(CHUNK_ROWS), iterator, strict=False)]:
        for event in _import_chunk_retrying(run, chunk):
            checklist_follow_release(actor=run.batch.uploaded_by, event=event)


def start_run(batch: CustodyImport) -> _Run:
    return _Run(batch=batch, rules=screening.offence_rules())


def custody_import_process(*, batch_id: int) -> CustodyImport | None:
    """Import a stored list, a chunk per transaction with progress saved after each.
    Returns None when another worker holds the batch or it is already done."""
    if not claim(batch_id):
        return None
    batch = CustodyImport.objects.select_related("uploaded_by").get(pk=batch_id)
    run = start_run(batch)
    try:
        import_rows(run, parsing.parse(parsing.read_file(bytes(batch.content), mapping=batch.column_mapping or None)))
    except parsing.FileProblem as problem:
        _fail(batch, str(problem))
        return CustodyImport.objects.get(pk=batch_id)
    except Exception:
        logger.exception("custody import %s failed", batch_id)
        _fail(batch, "The import stopped because of an error in the service. It can be tried again.")
        raise
    finish(run, summary=f"Custody list {batch.pk} imported")
    return CustodyImport.objects.get(pk=batch_id)


def finish(run: _Run, *, summary: str) -> None:
    """Mark the batch imported, with its audit row (counts only: the rows are the record)."""
    batch = run.batch
    with transaction.atomic():
        CustodyImport.objects.filter(pk=batch.pk).update(
            status=ImportStatus.DONE, finished_at=timezone.now(), total_rows=max(run.counts.processed, batch.total_rows)
        )
        audit_record(
            action=Action.CREATE,
            actor=batch.uploaded_by,
            obj=batch,
            summary=f"{summary}: {run.counts.new} new, {run.counts.updated} updated",
            detail={
                "new": run.counts.new,
                "flagged": run.counts.flagged,
                "updated": run.counts.updated,
                "unchanged": run.counts.unchanged,
                "duplicates": run.counts.duplicate,
                "errors": run.counts.errors,
            },
        )


def _fail(batch: CustodyImport, message: str) -> None:
    CustodyImport.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED, error_message=message, finished_at=timezone.now()
    )
