"""Raising to the supervisors a flagged custody row nobody has decided: a young person
who may be at risk must not wait in the queue unseen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.notifications.services import notification_send

from ...models import CustodyImportRow, RowState
from .common import Action
from .uploads import uploader_team

ESCALATE_BATCH = 100


def _supervisors_for(row: CustodyImportRow) -> list[User]:
    """The supervisors of the uploader's team; every active supervisor when it has none."""
    team = uploader_team(row.batch.uploaded_by)
    people = team.supervisors.filter(is_active=True) if team else User.objects.none()
    if not people.exists():
        people = User.objects.filter(role=User.Role.SUPERVISOR, is_active=True)
    return list(people.order_by("pk"))


def custody_escalate_undecided(*, now: datetime | None = None) -> int:
    """Raise each row flagged for review and still undecided CUSTODY_ESCALATE_AFTER_DAYS after
    it was imported to the supervisors: once per row (the claim sets escalated_at in the same
    transaction as the notifications, and a notification's dedupe key is the row's), shared
    between concurrent runs with SKIP LOCKED. Returns how many rows were raised."""
    now = (now or timezone.now()).astimezone(UTC)
    cutoff = now - timedelta(days=settings.CUSTODY_ESCALATE_AFTER_DAYS)
    raised = 0
    while True:
        with transaction.atomic():
            rows = list(
                CustodyImportRow.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=RowState.TO_REVIEW, escalated_at__isnull=True, created_at__lt=cutoff)
                .select_related("batch", "batch__uploaded_by")
                .defer("raw", "batch__content")
                .order_by("created_at", "pk")[:ESCALATE_BATCH]
            )
            if not rows:
                return raised
            CustodyImportRow.objects.filter(pk__in=[r.pk for r in rows]).update(escalated_at=now)
            for row in rows:
                waited = (now - row.created_at).days
                for supervisor in _supervisors_for(row):
                    notification_send(
                        user=supervisor,
                        subject=f"Custody review: line {row.line_number} of list {row.batch_id} undecided for {waited} days",
                        body="A young person flagged on a custody list is still waiting for a decision.",
                        url=reverse("custody:row_detail", args=[row.pk]),
                        kind="custody_escalation",
                        dedupe_key=f"custody-escalation:{row.pk}:{supervisor.pk}",
                    )
                audit_record(
                    action=Action.UPDATE,
                    actor=None,
                    obj=row,
                    summary=f"Custody list row undecided for {waited} days raised to the supervisors",
                    detail={"days": waited},
                )
            raised += len(rows)
