"""Storing an uploaded custody list (its import is started by tasks.custody_import_start),
and the uploader's matching of its columns when its headings did not say them all."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from safeguarding.accounts.models import Team, User
from safeguarding.audit.services import audit_record

from ...models import ColumnMapping, CustodyImport, ImportStatus
from .. import parsing
from .common import Action, DecisionError, require_editor


def uploader_team(actor: User) -> Team | None:
    """The team whose saved column matchings an upload uses: an officer's own team, a
    supervisor's first team; None (force-wide) for anyone else."""
    if actor.team_id:
        return actor.team
    return actor.supervised_teams.order_by("pk").first()


def saved_mapping(actor: User, header: parsing.Header) -> dict[str, int] | None:
    """The columns the uploader's team matched for lists with these headings, if any."""
    saved = ColumnMapping.objects.filter(team=uploader_team(actor), signature=header.signature).first()
    return dict(saved.mapping) if saved else None


@transaction.atomic
def custody_import_create(
    *,
    actor: User,
    filename: str,
    content: bytes,
    csv_file: parsing.CsvFile,
    needs_columns: bool = False,
    request: HttpRequest | None = None,
) -> CustodyImport:
    """Store an uploaded list, checked by the upload form, ready to import (or, with
    `needs_columns`, waiting for the uploader to say which column holds what)."""
    require_editor(actor)
    batch = CustodyImport.objects.create(
        uploaded_by=actor,
        filename=filename[:255],
        content=content,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        encoding=csv_file.encoding,
        total_rows=csv_file.count_rows(),
        status=ImportStatus.COLUMNS if needs_columns else ImportStatus.PENDING,
        column_mapping=csv_file.header.columns if csv_file.header.columns and not needs_columns else {},
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


@transaction.atomic
def custody_import_columns_set(
    *, actor: User, batch: CustodyImport, mapping: dict[str, int], request: HttpRequest | None = None
) -> CustodyImport:
    """The uploader's matching of the columns: kept on the list, saved for their team's
    next list with the same headings, and the list made ready to import."""
    require_editor(actor)
    batch = CustodyImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.COLUMNS:
        raise DecisionError("The columns of this list have already been matched.")
    csv_file = parsing.read_file(bytes(batch.content), mapping=mapping)
    team = uploader_team(actor)
    saved, _ = ColumnMapping.objects.update_or_create(
        team=team,
        signature=csv_file.header.signature,
        defaults={
            "headings": csv_file.header.names,
            "mapping": csv_file.header.columns,
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    batch.column_mapping = csv_file.header.columns
    batch.status = ImportStatus.PENDING
    batch.total_rows = csv_file.count_rows()
    batch.save(update_fields=["column_mapping", "status", "total_rows"])
    columns = {parsing.LABELS[f]: csv_file.header.names[i] for f, i in csv_file.header.columns.items()}
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=batch,
        summary=f"Columns of custody list {batch.pk} matched and saved for {team or 'the force'}",
        detail={"columns": columns, "mapping": saved.pk},
    )
    return batch
