"""The retention purge of custody list rows and uploaded files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safeguarding.audit.services import audit_record

from ...models import CustodyImport, CustodyImportRow, ImportStatus, RowState
from .common import Action

PURGED_FIELDS: dict[str, Any] = {
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
    "reason_points": [],
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
                .filter(personal_data_purged_at__isnull=True, state__in=RowState.purgeable())
                # A row judged not at risk is kept for the period from the decision, however
                # long it waited in the queue before it.
                .filter(
                    Q(state=RowState.NOT_AT_RISK, decided_at__lt=cutoff)
                    | Q(~Q(state=RowState.NOT_AT_RISK), updated_at__lt=cutoff)
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
