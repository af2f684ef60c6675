"""A task executed by a real Celery worker through a real Redis broker,
against the test's own PostgreSQL database."""

import uuid

import pytest
from django.db import connection

from safeguarding.core.models import WorkerHeartbeat
from safeguarding.core.tasks import heartbeat
from tests.workers.conftest import clean_env, database_url, start, stop, wait_for, worker_args

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_task_runs_on_a_real_worker_through_redis(settings, tmp_path):
    assert settings.CELERY_BROKER_URL.startswith("redis://"), "the suite runs with REDIS_URL set"
    queue = f"test-{uuid.uuid4().hex[:10]}"
    env = clean_env(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=database_url(connection.settings_dict),
        REDIS_URL=settings.CELERY_BROKER_URL,
        CELERY_QUEUE=queue,
        VAR_DIR=str(tmp_path),
    )
    log = tmp_path / "worker.log"
    worker = start(
        worker_args("-Q", queue),
        env,
        log,
    )
    try:
        name = f"redis-{queue}"
        heartbeat.apply_async(kwargs={"name": name}, queue=queue)
        row = wait_for(
            lambda: WorkerHeartbeat.objects.filter(name=name).first(),
            timeout=60,
            what="the worker to run the task",
            logs=[log],
        )
        assert row.beats == 1
        assert "succeeded" in log.read_text()
    finally:
        stop(worker)
