from celery import shared_task

from .services import idempotent_answers_purge


@shared_task(name="api.tasks.idempotency_purge")
def idempotency_purge() -> int:
    """Run by beat: forget answers kept for retries once API_IDEMPOTENCY_HOURS have passed
    (they name the rows a call created, and nothing needs them after)."""
    return idempotent_answers_purge()
