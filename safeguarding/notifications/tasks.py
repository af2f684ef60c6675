"""Celery tasks of notifications: the daily digest, thin and idempotent."""

from celery import shared_task
from django.conf import settings

from . import digest


@shared_task(name="safeguarding.notifications.tasks.digest_send", expires=max(30, 3 * settings.DIGEST_SWEEP_SECONDS))
def digest_send() -> str:
    return digest.digest_send()
