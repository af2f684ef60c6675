"""Overdue Reasonable Grounds decisions: the officer and their supervisors hear once.

Run by beat (NRM_SWEEP_SECONDS). The decision to notify is an NRMOutbox row, UNIQUE
(nrm, kind) and written with ON CONFLICT DO NOTHING, so two sweeps decide it once; the
core's notifications_deliver writes the in-app notifications exactly once and the
emails (a reference and a link only) at least once, as for the 48-hour clock.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.notifications.delivery import Message, Skip, notifications_deliver
from safeguarding.notifications.emails import message_id
from safeguarding.notifications.outbox import Due, outbox_queue

from ..models import NRMOutbox, NRMReferral, rg_due_on

__all__ = ["nrm_sweep", "rg_due_on"]


def _queue_overdue(today: date, now: datetime) -> int:
    # Once per referral: one whose notice is decided has an outbox row of the kind.
    overdue = Due(
        rows=NRMReferral.objects.rg_overdue(today).exclude(outbox__kind=NRMOutbox.KIND_RG_OVERDUE),
        outbox=lambda row, at: NRMOutbox(nrm_id=row[0], kind=NRMOutbox.KIND_RG_OVERDUE, created_at=at),
        order_by=("submitted_on", "id"),
    )
    return outbox_queue(overdue, now=now)


def _recipients(nrm: NRMReferral) -> list[User]:
    case = nrm.case
    people = {nrm.first_responder_id: nrm.first_responder, case.owner_id: case.owner}
    for supervisor in case.team.supervisors.filter(is_active=True):
        people[supervisor.pk] = supervisor
    return sorted((u for u in people.values() if u.is_active), key=lambda u: u.pk)


def _compose(row: NRMOutbox, now: datetime) -> Message | Skip:
    nrm = row.nrm
    if nrm.rg_outcome:
        return Skip("The Reasonable Grounds decision was recorded before delivery.")
    path = nrm.get_absolute_url()
    context = {
        "nrm_reference": nrm.reference,
        "case_reference": nrm.case.reference,
        "due_on": rg_due_on(nrm.submitted_on),
        "url": f"{settings.SITE_URL}{path}",
    }
    return Message(
        recipients=_recipients(nrm),
        email="nrm-rg-overdue",
        context=context,
        kind="nrm_rg_overdue",
        path=path,
        dedupe_key=f"nrm:{nrm.pk}:{row.kind}",
        message_id=message_id(f"nrm-{nrm.pk}-{row.kind}"),
    )


def nrm_sweep(*, now: datetime | None = None) -> str:
    now = now or timezone.now()
    queued = _queue_overdue(timezone.localtime(now).date(), now)
    outbox = NRMOutbox.objects.select_related(
        "nrm", "nrm__case", "nrm__case__team", "nrm__case__owner", "nrm__first_responder"
    )
    delivered, failed = notifications_deliver(
        outbox=outbox,
        compose=_compose,
        batch_size=settings.CHECKLIST_DELIVERY_BATCH,
        retry_minutes=settings.CHECKLIST_EMAIL_RETRY_MINUTES,
    )
    return f"{queued} overdue RG notice(s) queued, {delivered} delivered, {failed} email failure(s)"
