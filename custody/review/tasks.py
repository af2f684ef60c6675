"""Celery tasks of the morning custody review: thin, take ids, idempotent.

* ``custody_import_run``: import a stored list (large files). The batch is claimed
  with a compare-and-swap on its status, so a redelivered or duplicated message
  does nothing while another worker holds it, and nothing once it is done.
* ``custody_purge_personal_data``: the periodic retention purge (beat, every
  CUSTODY_PURGE_INTERVAL_SECONDS); rows are claimed with SKIP LOCKED.
"""

from celery import shared_task

from . import services

__all__ = ["custody_import_run", "custody_purge_personal_data"]


@shared_task(name="custody.review.tasks.custody_import_run")
def custody_import_run(batch_id: int) -> str:
    batch = services.custody_import_process(batch_id=batch_id)
    return "skipped (claimed elsewhere or done)" if batch is None else batch.status


@shared_task(name="custody.review.tasks.custody_purge_personal_data")
def custody_purge_personal_data() -> str:
    return str(services.custody_purge_personal_data())
