"""Celery tasks of referrals: the NRM sweep, thin and idempotent (deadlines live in the database)."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(name="referrals.tasks.nrm_sweep", expires=max(30, 3 * settings.NRM_SWEEP_SECONDS))
def nrm_sweep() -> str:
    return services.nrm_sweep()
