"""Celery tasks of the morning custody review: thin, take ids, idempotent.

* ``custody_import_run``: import a stored list (large files). The batch is claimed
  with a compare-and-swap on its status, so a redelivered or duplicated message
  does nothing while another worker holds it, and nothing once it is done.
* ``custody_escalate_undecided``: flagged rows left undecided are raised to the
  supervisors (beat, every CUSTODY_ESCALATE_INTERVAL_SECONDS), once per row.
* ``custody_purge_personal_data``: the periodic retention purge (beat, every
  CUSTODY_PURGE_INTERVAL_SECONDS); rows are claimed with SKIP LOCKED.

``custody_import_start`` is the one place that decides whether a stored list is
imported at once or by the task.
"""

from celery import shared_task
from django.conf import settings

from ..models import CustodyImport
from . import services

__all__ = ["custody_escalate_undecided", "custody_import_run", "custody_purge_personal_data"]


def custody_import_start(batch: CustodyImport) -> None:
    """Import a stored list: a small one at once, so the officer sees its summary on the
    next page; one of more than CUSTODY_IMPORT_ASYNC_ROWS rows by the task, enqueued
    only once the upload has committed, while the page shows its progress."""
    if batch.total_rows > settings.CUSTODY_IMPORT_ASYNC_ROWS:
        custody_import_run.delay_on_commit(batch.pk)
    else:
        services.custody_import_process(batch_id=batch.pk)


@shared_task(name="custody.review.tasks.custody_import_run")
def custody_import_run(batch_id: int) -> str:
    batch = services.custody_import_process(batch_id=batch_id)
    return "skipped (claimed elsewhere or done)" if batch is None else batch.status


@shared_task(name="custody.review.tasks.custody_purge_personal_data")
def custody_purge_personal_data() -> str:
    return str(services.custody_purge_personal_data())


@shared_task(name="custody.review.tasks.custody_escalate_undecided")
def custody_escalate_undecided() -> str:
    return str(services.custody_escalate_undecided())
