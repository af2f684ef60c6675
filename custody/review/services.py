"""Writes of the morning custody review: uploads, importing, review decisions, custody
events and the purge. Keyword-only, atomic, each with its audit row in the same
transaction.

Importing is idempotent: every detention is one CustodyImportRow keyed by custody
number and arrest time (``dedupe_key``), so the same file imported twice creates
nothing twice, and a later list carrying a release time or outcome updates the
row and its custody event. Work is claimed with a compare-and-swap on the batch's
status, so two workers (or a redelivered task) never import one file at once.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, Gender, HowIdentified, YoungPerson
from cases.selectors import can_edit, cases_visible_to, people_visible_to
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.db import lock_for_edit

from ..models import CustodyEvent, CustodyImport, CustodyImportRow, EventSource, ImportStatus, RowState
from . import parsing, screening

logger = logging.getLogger(__name__)
Action = AuditEvent.Action

CHUNK_ROWS = 500
# A batch left "processing" this long without progress is taken to have lost its worker.
STALE_CLAIM = timedelta(minutes=10)
MAX_PROBLEMS_KEPT = 2000
ALLOWED_EXTENSIONS = (".csv", ".txt")


class DecisionError(Exception):
    """A review decision that cannot be made as asked; the message is for the user."""


def _require_reviewer(actor: User) -> None:
    if not can_edit(actor):
        raise PermissionDenied("Your role can read the custody review but not change it.")


def _start_checklist(*, actor: User | None, event: CustodyEvent) -> None:
    """Issue 5: the 48-hour checklist starts from a release, and follows a release time
    corrected or removed later (idempotent on their side)."""
    from custody.clock.services import checklist_follow_release

    checklist_follow_release(actor=actor, event=event)


# ---------------------------------------------------------------------------
# Uploading
# ---------------------------------------------------------------------------


def max_upload_text() -> str:
    size = settings.CUSTODY_IMPORT_MAX_BYTES
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size // 1024} KB"


def check_upload(upload: UploadedFile) -> tuple[bytes, parsing.CsvFile]:
    """The file's bytes and its reading, or ValidationError with the reason for the user."""
    name = upload.name or ""
    if not name.lower().endswith(ALLOWED_EXTENSIONS):
        raise ValidationError(
            f"The selected file must be a CSV file (ending .csv). \u201c{name}\u201d is not: "
            "in Excel choose File, Save as, \u201cCSV UTF-8 (comma delimited)\u201d."
        )
    if upload.size is not None and upload.size > settings.CUSTODY_IMPORT_MAX_BYTES:
        raise ValidationError(f"The selected file must be smaller than {max_upload_text()}.")
    content = upload.read(settings.CUSTODY_IMPORT_MAX_BYTES + 1)
    if len(content) > settings.CUSTODY_IMPORT_MAX_BYTES:
        raise ValidationError(f"The selected file must be smaller than {max_upload_text()}.")
    try:
        csv_file = parsing.read_file(content)
    except parsing.FileProblem as problem:
        raise ValidationError(str(problem)) from None
    return content, csv_file


@transaction.atomic
def custody_import_create(
    *, actor: User, filename: str, content: bytes, csv_file: parsing.CsvFile, request: HttpRequest | None = None
) -> CustodyImport:
    """Store an uploaded list (checked by check_upload) and queue or run its import."""
    _require_reviewer(actor)
    batch = CustodyImport.objects.create(
        uploaded_by=actor,
        filename=filename[:255],
        content=content,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        encoding=csv_file.encoding,
        total_rows=csv_file.count_rows(),
    )
    earlier = CustodyImport.objects.filter(sha256=batch.sha256, status=ImportStatus.DONE).exclude(pk=batch.pk).first()
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=batch,
        summary=f"Custody list uploaded ({batch.total_rows} rows)",
        detail={"rows": batch.total_rows, "bytes": batch.size_bytes, "same_file_as": earlier.pk if earlier else None},
    )
    if batch.total_rows > settings.CUSTODY_IMPORT_ASYNC_ROWS:
        from .tasks import custody_import_run

        custody_import_run.delay_on_commit(batch.pk)
    return batch


# ---------------------------------------------------------------------------
# Importing
# ---------------------------------------------------------------------------


def _claim(batch_id: int) -> bool:
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
class _Counts:
    processed: int = 0
    new: int = 0
    flagged: int = 0
    check_manually: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    errors: int = 0


def _row_fields(parsed: parsing.ParsedRow) -> dict[str, Any]:
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


def _problems_of(parsed: parsing.ParsedRow) -> list[dict]:
    items = [{"line": parsed.line, "kind": "error", **e} for e in parsed.errors]
    items += [{"line": parsed.line, "kind": "warning", **w} for w in parsed.warnings]
    items += [{"line": parsed.line, "kind": "check", "column": "", "value": "", "message": c} for c in parsed.checks]
    return items


def _later_list_changes(row: CustodyImportRow, parsed: parsing.ParsedRow) -> dict[str, tuple]:
    """What a later list says that the row does not have yet: release time and outcome."""
    changes: dict[str, tuple] = {}
    if parsed.released_at and parsed.released_at != row.released_at:
        changes["released_at"] = (row.released_at, parsed.released_at)
    if parsed.outcome_text and (parsed.outcome_text != row.outcome_text or parsed.outcome != row.outcome):
        changes["outcome"] = (row.outcome_text, parsed.outcome_text)
    return changes


def _apply_later_list(
    *, row: CustodyImportRow, parsed: parsing.ParsedRow, batch: CustodyImport, changes: dict[str, tuple]
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
    if "released_at" in changes and event.released_at != parsed.released_at and parsed.released_at >= event.arrested_at:
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


def _import_chunk(
    *,
    batch: CustodyImport,
    chunk: list[parsing.ParsedRow],
    seen: dict[str, int],
    rules: list[screening.OffenceRule],
    counts: _Counts,
    problems: list[dict],
    updates: list[dict],
) -> list[CustodyEvent]:
    """One transaction: insert new rows (screened), update rows a later list changes."""
    released: list[CustodyEvent] = []
    fresh: list[parsing.ParsedRow] = []
    for parsed in chunk:
        counts.processed += 1
        key = parsed.dedupe_key
        if key in seen:
            counts.duplicate += 1
            problems.append(
                {
                    "line": parsed.line,
                    "kind": "duplicate",
                    "column": "custody_number",
                    "value": parsed.custody_number,
                    "message": f"repeats line {seen[key]} (same custody number and arrest time): imported once",
                }
            )
            continue
        seen[key] = parsed.line
        fresh.append(parsed)
    if not fresh:
        return released
    existing = {
        row.dedupe_key: row
        for row in CustodyImportRow.objects.select_for_update().filter(dedupe_key__in=[p.dedupe_key for p in fresh])
    }
    to_screen = []
    for parsed in fresh:
        problems.extend(_problems_of(parsed))
        row = existing.get(parsed.dedupe_key)
        if row is None or row.batch_id == batch.pk:
            # New here (or left half-imported by an abandoned run of this same batch).
            to_screen.append((parsed, row))
            continue
        changes = _later_list_changes(row, parsed)
        if changes and not row.is_purged:
            event = _apply_later_list(row=row, parsed=parsed, batch=batch, changes=changes)
            if event is not None:
                released.append(event)
            counts.updated += 1
            updates.append(
                {
                    "line": parsed.line,
                    "custody_number": parsed.custody_number,
                    "changes": [c for c in ("released_at", "outcome") if c in changes],
                    "row": row.pk,
                }
            )
        else:
            counts.unchanged += 1
            CustodyImportRow.objects.filter(pk=row.pk).update(last_batch=batch)
    if not to_screen:
        return released
    results = screening.screen([p for p, _ in to_screen], rules=rules)
    now = timezone.now()
    new_rows = []
    for (parsed, row), result in zip(to_screen, results, strict=True):
        counts.new += 1
        if parsed.has_errors:
            counts.errors += 1
        if result.flagged:
            state = RowState.TO_REVIEW
            counts.flagged += 1
            if result.check_manually:
                counts.check_manually += 1
        else:
            state = RowState.REJECTED if parsed.has_errors else RowState.NOT_FLAGGED
        values = {
            **_row_fields(parsed),
            "line_number": parsed.line,
            "last_batch": batch,
            "score": result.score,
            "reasons": result.reasons,
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
            new_rows.append(CustodyImportRow(batch=batch, dedupe_key=parsed.dedupe_key, created_at=now, **values))
    CustodyImportRow.objects.bulk_create(new_rows, batch_size=CHUNK_ROWS)
    return released


def _import_chunk_retrying(
    *,
    batch: CustodyImport,
    chunk: list[parsing.ParsedRow],
    seen: dict[str, int],
    rules: list[screening.OffenceRule],
    counts: _Counts,
    problems: list[dict],
    updates: list[dict],
) -> list[CustodyEvent]:
    """One chunk in one transaction. Another list imported at the same moment may insert
    the same detention first (the unique dedupe_key refuses ours): the chunk is then rolled
    back and done again, when that row is found and treated as already imported."""
    for attempt in range(3):
        before = (replace(counts), len(problems), len(updates), dict(seen))
        try:
            with transaction.atomic():
                released = _import_chunk(
                    batch=batch, chunk=chunk, seen=seen, rules=rules, counts=counts, problems=problems, updates=updates
                )
                _save_progress(batch, counts, problems, updates)
            return released
        except IntegrityError:
            if attempt == 2:
                raise
            saved_counts, n_problems, n_updates, saved_seen = before
            for name, value in vars(saved_counts).items():
                setattr(counts, name, value)
            del problems[n_problems:]
            del updates[n_updates:]
            seen.clear()
            seen.update(saved_seen)
    return []


def _save_progress(batch: CustodyImport, counts: _Counts, problems: list[dict], updates: list[dict]) -> None:
    CustodyImport.objects.filter(pk=batch.pk).update(
        processed_rows=counts.processed,
        new_count=counts.new,
        flagged_count=counts.flagged,
        check_manually_count=counts.check_manually,
        updated_count=counts.updated,
        unchanged_count=counts.unchanged,
        duplicate_count=counts.duplicate,
        error_count=counts.errors,
        problems=problems[:MAX_PROBLEMS_KEPT],
        updates=updates[:MAX_PROBLEMS_KEPT],
        # Progress also renews the claim, so a long import is not taken for abandoned.
        started_at=timezone.now(),
    )


def custody_import_process(*, batch_id: int, screen: bool = True) -> CustodyImport | None:
    """Import a stored list, a chunk per transaction with progress saved after each.
    Returns None when another worker holds the batch or it is already done.
    ``screen=False`` is only for the benchmark's bare-insert baseline."""
    if not _claim(batch_id):
        return None
    batch = CustodyImport.objects.select_related("uploaded_by").get(pk=batch_id)
    counts = _Counts()
    problems: list[dict] = []
    updates: list[dict] = []
    seen: dict[str, int] = {}
    rules = screening.offence_rules()
    try:
        csv_file = parsing.read_file(bytes(batch.content))
        chunk: list[parsing.ParsedRow] = []
        rows = parsing.parse(csv_file)
        while True:
            chunk = [row for _, row in zip(range(CHUNK_ROWS), rows, strict=False)]
            if not chunk:
                break
            if screen:
                released = _import_chunk_retrying(
                    batch=batch, chunk=chunk, seen=seen, rules=rules, counts=counts, problems=problems, updates=updates
                )
            else:
                with transaction.atomic():
                    released = _insert_unscreened(batch=batch, chunk=chunk, counts=counts)
                    _save_progress(batch, counts, problems, updates)
            for event in released:
                _start_checklist(actor=batch.uploaded_by, event=event)
    except parsing.FileProblem as problem:
        _fail(batch, str(problem))
        return CustodyImport.objects.get(pk=batch_id)
    except Exception:
        logger.exception("custody import %s failed", batch_id)
        _fail(batch, "The import stopped because of an error in the service. It can be tried again.")
        raise
    with transaction.atomic():
        CustodyImport.objects.filter(pk=batch.pk).update(
            status=ImportStatus.DONE, finished_at=timezone.now(), total_rows=max(counts.processed, batch.total_rows)
        )
        audit_record(
            action=Action.CREATE,
            actor=batch.uploaded_by,
            obj=batch,
            summary=f"Custody list {batch.pk} imported: {counts.new} new, {counts.updated} updated",
            detail={
                "new": counts.new,
                "flagged": counts.flagged,
                "updated": counts.updated,
                "unchanged": counts.unchanged,
                "duplicates": counts.duplicate,
                "errors": counts.errors,
            },
        )
    return CustodyImport.objects.get(pk=batch_id)


def _insert_unscreened(*, batch: CustodyImport, chunk: list[parsing.ParsedRow], counts: _Counts) -> list:
    """The benchmark's baseline: the same rows inserted with no screening."""
    now = timezone.now()
    CustodyImportRow.objects.bulk_create(
        [
            CustodyImportRow(
                batch=batch,
                last_batch=batch,
                line_number=p.line,
                dedupe_key=p.dedupe_key,
                created_at=now,
                updated_at=now,
                **_row_fields(p),
            )
            for p in chunk
        ],
        batch_size=CHUNK_ROWS,
        ignore_conflicts=True,
    )
    counts.processed += len(chunk)
    counts.new += len(chunk)
    return []


def _fail(batch: CustodyImport, message: str) -> None:
    CustodyImport.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED, error_message=message, finished_at=timezone.now()
    )


# ---------------------------------------------------------------------------
# Review decisions
# ---------------------------------------------------------------------------

DECIDABLE = (RowState.TO_REVIEW, RowState.NOT_FLAGGED, RowState.REJECTED)


def _lock_undecided(row: CustodyImportRow) -> CustodyImportRow:
    current = CustodyImportRow.objects.select_for_update(of=("self",)).select_related("decided_by").get(pk=row.pk)
    if current.is_purged:
        raise DecisionError("This row's personal data has been removed: it can no longer be reviewed.")
    if current.state not in DECIDABLE:
        who = current.decided_by.full_name if current.decided_by else "someone"
        when = timezone.localtime(current.decided_at).strftime("%d/%m/%Y %H:%M") if current.decided_at else ""
        raise DecisionError(f"{who} already decided this row ({current.get_state_display().lower()}) {when}.".strip())
    return current


def _decide(*, row: CustodyImportRow, actor: User, state: str, reason: str = "", person=None, case=None) -> None:
    row.state = state
    row.decided_at = timezone.now()
    row.decided_by = actor
    row.decision_reason = reason
    row.person = person
    row.case = case
    row.updated_at = row.decided_at
    row.save(update_fields=["state", "decided_at", "decided_by", "decision_reason", "person", "case", "updated_at"])


GENDERS = {
    "m": Gender.MALE,
    "male": Gender.MALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
    "non binary": Gender.NON_BINARY,
    "nonbinary": Gender.NON_BINARY,
    "x": Gender.OTHER,
}


def person_data_from_row(row: CustodyImportRow) -> dict[str, Any]:
    """What the custody record says about the person, ready for cases.services.person_create."""
    area_reason = screening.areas().get(screening.area_key(row.home_area))
    data = {
        "given_name": (row.forenames.split() or [""])[0][:100],
        "middle_names": " ".join(row.forenames.split()[1:])[:150],
        "family_name": row.surname[:100],
        "date_of_birth": row.date_of_birth,
        "gender": GENDERS.get(" ".join(row.gender.lower().replace("-", " ").split()), Gender.NOT_KNOWN),
        "home_address": row.home_address,
        "home_postcode": row.home_postcode[:10],
    }
    if area_reason is not None and area_reason.kind == "local authority":
        data["home_local_authority"] = area_reason.name
        data["home_police_force"] = area_reason.force
    elif area_reason is not None:
        data["home_police_force"] = area_reason.name
    elif row.home_area:
        data["home_local_authority"] = row.home_area[:120]
    return data


def _event_from_row(*, actor: User, row: CustodyImportRow, case: Case, request: HttpRequest | None) -> CustodyEvent:
    if row.arrested_at is None:
        raise DecisionError(
            "The arrest time on this row could not be read. Enter the custody event by hand on the case instead."
        )
    existing = CustodyEvent.objects.filter(custody_number=row.custody_number, arrested_at=row.arrested_at).first()
    if existing is not None:
        if existing.case_id != case.pk:
            raise DecisionError(
                f"Custody {row.custody_number} is already recorded on case {existing.case.reference}: "
                "choose that case (already known)."
            )
        if existing.source_row_id is None:
            existing.source_row = row
            existing.save(update_fields=["source_row"])
        return existing
    event = CustodyEvent(
        case=case,
        person=case.person,
        source=EventSource.CUSTODY_REVIEW,
        source_row=row,
        custody_number=row.custody_number,
        custody_suite=row.custody_suite,
        arrested_at=row.arrested_at,
        offences=row.offences,
        outcome=row.outcome,
        released_at=row.released_at if row.released_at and row.released_at >= row.arrested_at else None,
        created_by=actor,
    )
    event.full_clean(exclude=["case", "person", "created_by", "source_row"])
    event.save()
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=event,
        summary=f"Custody event recorded on case {case.reference} from the custody review",
        detail={"case": case.pk, "row": row.pk, "batch": row.batch_id},
    )
    return event


def _link_row_to_case(
    *, actor: User, row: CustodyImportRow, case: Case, state: str, summary: str, request: HttpRequest | None
) -> CustodyEvent:
    """The end of both "safeguard" and "already known": the decision, the custody
    event on the case, its audit row, and the 48-hour clock if released."""
    _decide(row=row, actor=actor, state=state, person=case.person, case=case)
    event = _event_from_row(actor=actor, row=row, case=case, request=request)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=row,
        summary=summary,
        detail={"decision": state, "person": case.person_id, "case": case.pk, "event": event.pk},
    )
    _start_checklist(actor=actor, event=event)
    return event


@transaction.atomic
def custody_row_safeguard(
    *,
    actor: User,
    row: CustodyImportRow,
    owner: User,
    person: YoungPerson | None = None,
    person_data: dict[str, Any] | None = None,
    case_data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> CustodyEvent:
    """Safeguard: link (``person``) or create (``person_data``) the young person, open a
    case owned by ``owner`` and record the custody event on it."""
    _require_reviewer(actor)
    row = _lock_undecided(row)
    if person is not None:
        if not people_visible_to(actor).filter(pk=person.pk).exists():
            raise DecisionError("You cannot open a case for this record: contact the team that holds it.")
        if person.is_merged:
            person = person.merged_into
    else:
        data = {**person_data_from_row(row), **(person_data or {})}
        person = case_services.person_create(actor=actor, data=data, request=request)
    case = case_services.case_create(
        actor=actor,
        person=person,
        owner=owner,
        data={
            "how_identified": HowIdentified.CUSTODY_REVIEW,
            "how_identified_detail": f"Morning custody review: custody {row.custody_number}",
            **(case_data or {}),
        },
        request=request,
    )
    return _link_row_to_case(
        actor=actor,
        row=row,
        case=case,
        state=RowState.SAFEGUARDED,
        summary=f"Custody review: safeguard, case {case.reference} opened",
        request=request,
    )


@transaction.atomic
def custody_row_already_known(
    *, actor: User, row: CustodyImportRow, case: Case, request: HttpRequest | None = None
) -> CustodyEvent:
    """Already known: link the row to the person's existing case and record the custody event there."""
    _require_reviewer(actor)
    row = _lock_undecided(row)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise DecisionError("You cannot add to this case: contact the team that holds it.")
    if not case.is_open:
        raise DecisionError(f"Case {case.reference} is closed: reopen it first, or safeguard to open a new case.")
    return _link_row_to_case(
        actor=actor,
        row=row,
        case=case,
        state=RowState.ALREADY_KNOWN,
        summary=f"Custody review: already known, case {case.reference}",
        request=request,
    )


@transaction.atomic
def custody_row_not_at_risk(
    *, actor: User, row: CustodyImportRow, reason: str, request: HttpRequest | None = None
) -> CustodyImportRow:
    _require_reviewer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason this young person is not at risk"})
    row = _lock_undecided(row)
    _decide(row=row, actor=actor, state=RowState.NOT_AT_RISK, reason=reason)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=row,
        summary="Custody review: not at risk",
        justification=reason,
        detail={"decision": RowState.NOT_AT_RISK},
    )
    return row


# ---------------------------------------------------------------------------
# Custody events entered by hand
# ---------------------------------------------------------------------------

EVENT_FIELDS = (
    "operation_name",
    "custody_number",
    "custody_suite",
    "arrested_at",
    "offences",
    "appropriate_adult_name",
    "appropriate_adult_relationship",
    "appropriate_adult_at",
    "interviewed_at",
    "interview_notes",
    "outcome",
    "s38_transfer",
    "s38_impracticable_reason",
    "released_at",
    "released_to",
    "released_where",
    "notes",
)


def _value(name: str, value: Any) -> Any:
    """Form values as the model stores them: an empty text field is "", never None."""
    if value is None and not name.endswith("_at"):
        return ""
    return value


def _check_event(event: CustodyEvent) -> None:
    event.custody_number = parsing.normalise_custody_number(event.custody_number)
    errors: dict[str, str] = {}
    if event.released_at and event.arrested_at and event.released_at < event.arrested_at:
        errors["released_at"] = "Release time must be after the arrest time"
    if event.s38_transfer == CustodyEvent.S38Transfer.IMPRACTICABLE and not event.s38_impracticable_reason.strip():
        errors["s38_impracticable_reason"] = "Give the reason a transfer was impracticable"
    if event.arrested_at and event.arrested_at > timezone.now() + timedelta(minutes=5):
        errors["arrested_at"] = "Arrest time must be in the past"
    if event.custody_number and event.arrested_at:
        clash = CustodyEvent.objects.filter(custody_number=event.custody_number, arrested_at=event.arrested_at)
        if event.pk:
            clash = clash.exclude(pk=event.pk)
        if clash.exists():
            errors["custody_number"] = "A custody event with this custody number and arrest time is already recorded"
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["case", "person", "created_by", "source_row"], validate_constraints=False)


@transaction.atomic
def custody_event_create(
    *, actor: User, case: Case, data: dict[str, Any], request: HttpRequest | None = None
) -> CustodyEvent:
    """A custody event entered by hand (e.g. a young person met on an operation)."""
    _require_reviewer(actor)
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("This case is outside your scope.")
    event = CustodyEvent(case=case, person=case.person, created_by=actor, source=EventSource.MANUAL)
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, _value(name, data[name]))
    _check_event(event)
    event.save()
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=event,
        summary=f"Custody event recorded on case {case.reference}",
        detail={"case": case.pk, "fields": [n for n in EVENT_FIELDS if data.get(n)]},
    )
    _start_checklist(actor=actor, event=event)
    return event


@transaction.atomic
def custody_event_update(
    *,
    actor: User,
    event: CustodyEvent,
    data: dict[str, Any],
    expected_version: int,
    request: HttpRequest | None = None,
) -> CustodyEvent:
    _require_reviewer(actor)
    current = lock_for_edit(event, expected_version=expected_version)
    changed = [n for n in EVENT_FIELDS if n in data and getattr(current, n) != _value(n, data[n])]
    if not changed:
        return current
    was_released = current.released_at
    for name in changed:
        setattr(current, name, _value(name, data[name]))
    _check_event(current)
    current.version += 1
    current.updated_at = timezone.now()
    current.save()
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Custody event on case {current.case.reference} updated",
        detail={"fields": changed},
    )
    if current.released_at != was_released:
        _start_checklist(actor=actor, event=current)
    return current


# ---------------------------------------------------------------------------
# Retention
# ---------------------------------------------------------------------------

PURGED_FIELDS = {
    "raw": {},
    "surname": "",
    "forenames": "",
    "date_of_birth": None,
    "date_of_birth_text": "",
    "gender": "",
    "home_address": "",
    "home_postcode": "",
    "home_area": "",
    "offences": "",
    "arresting_officer": "",
    "reasons": [],
    "errors": [],
    "checks": [],
    "matched_person": None,
}
PURGE_BATCH = 1000


def custody_purge_personal_data(*, now: datetime | None = None) -> dict[str, int]:
    """Remove the personal data of rows not flagged, or judged not at risk, once they are
    older than CUSTODY_ROW_RETENTION_DAYS, and the uploaded files of that age. Batches
    keep their counts. Idempotent; rows are claimed with SKIP LOCKED, so two runs share
    the work. Returns how many rows and files were purged."""
    # In UTC: the retention period is real elapsed time, even for a caller's local ``now``.
    now = (now or timezone.now()).astimezone(UTC)
    cutoff = now - timedelta(days=settings.CUSTODY_ROW_RETENTION_DAYS)
    rows_done = 0
    while True:
        with transaction.atomic():
            ids = list(
                CustodyImportRow.objects.select_for_update(skip_locked=True)
                .filter(
                    personal_data_purged_at__isnull=True,
                    state__in=RowState.purgeable(),
                    updated_at__lt=cutoff,
                )
                .order_by("updated_at")
                .values_list("pk", flat=True)[:PURGE_BATCH]
            )
            if not ids:
                break
            CustodyImportRow.objects.filter(pk__in=ids).update(personal_data_purged_at=now, **PURGED_FIELDS)
            rows_done += len(ids)
            audit_record(
                action=Action.ERASE,
                object_type=CustodyImportRow._meta.label_lower,
                summary=f"Personal data removed from {len(ids)} custody list rows after {settings.CUSTODY_ROW_RETENTION_DAYS} days",
                detail={"rows": ids[:50], "count": len(ids)},
                actor_email="system",
            )
    files_done = 0
    with transaction.atomic():
        batch_ids = list(
            CustodyImport.objects.select_for_update(skip_locked=True)
            .filter(content_purged_at__isnull=True, uploaded_at__lt=cutoff)
            .exclude(status__in=[ImportStatus.PENDING, ImportStatus.PROCESSING])
            .values_list("pk", flat=True)[:PURGE_BATCH]
        )
        if batch_ids:
            # The file holds every row's personal data; the batch keeps its counts and
            # its problems list loses the values (they may be names).
            for batch in CustodyImport.objects.filter(pk__in=batch_ids).only("pk", "problems"):
                batch.problems = [{**p, "value": ""} for p in batch.problems]
                batch.content = b""
                batch.content_purged_at = now
                batch.save(update_fields=["problems", "content", "content_purged_at"])
            files_done = len(batch_ids)
            audit_record(
                action=Action.ERASE,
                object_type=CustodyImport._meta.label_lower,
                summary=f"{files_done} uploaded custody lists removed after {settings.CUSTODY_ROW_RETENTION_DAYS} days",
                detail={"batches": batch_ids},
                actor_email="system",
            )
    return {"rows": rows_done, "files": files_done}
