"""Storing an uploaded custody list (its import is started by tasks.custody_import_start)."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.http import HttpRequest

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record

from ...models import CustodyImport, ImportStatus
from .. import parsing
from .common import Action, require_editor


@transaction.atomic
def custody_import_create(
    *, actor: User, filename: str, content: bytes, csv_file: parsing.CsvFile, request: HttpRequest | None = None
) -> CustodyImport:
    """Store an uploaded list, checked by the upload form, ready to import."""
    require_editor(actor)
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
    return batch
