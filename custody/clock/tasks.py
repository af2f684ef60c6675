"""Celery tasks of the 48-hour clock: thin, idempotent, and never one per deadline.

Beat sends ``checklist_sweep`` every CHECKLIST_SWEEP_SECONDS; the deadlines are read
from PostgreSQL each time, so a lost or duplicated message changes nothing.
"""

from celery import shared_task
from django.conf import settings

from . import services

__all__ = ["checklist_sweep"]


# A sweep message older than a few intervals is worth nothing: a newer one follows.
@shared_task(name="custody.clock.tasks.checklist_sweep", expires=max(30, 3 * settings.CHECKLIST_SWEEP_SECONDS))
def checklist_sweep() -> str:
    return str(services.checklist_sweep())
