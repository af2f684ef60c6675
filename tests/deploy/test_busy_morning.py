"""A busy morning in short (`make load`'s run at 50 users for 60 seconds, on the 1k force-scale
data set): gunicorn, a Celery worker and beat, Locust signed in as officers, supervisors and
partners uploading lists, safeguarding, marking items done and searching. A correctness check,
not a timing: no response is a 5xx and no write is lost (bench/_load.py checks every decision,
item and list against the database afterwards), and the run did make writes to check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid

import pytest
from django.conf import settings as django_settings

from bench._support import ROOT

pytestmark = [pytest.mark.services, pytest.mark.xdist_group("busy-morning")]


def test_fifty_users_for_a_minute_get_no_server_error_and_lose_no_write():
    if os.environ.get("SUITE_NOW"):
        pytest.skip("gunicorn, the worker and beat run on the real clock: SUITE_NOW cannot move it")
    suffix = os.environ.get("TEST_DB_SUFFIX", "")
    db = django_settings.DATABASES["default"]
    server = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"
    env = {
        **os.environ,
        "DATABASE_URL": server,
        "REDIS_URL": django_settings.CELERY_BROKER_URL,
        # Its own databases, queue and beat: nothing shared with the rest of the suite.
        "BENCH_FORCESCALE_DB": f"safeguarding_suite_load{suffix}",
        "CELERY_QUEUE": f"load-{uuid.uuid4().hex[:10]}",
        "BENCH_LOAD_USERS": "50",
        "BENCH_LOAD_SECONDS": "60",
        "BENCH_LOAD_SIZE": "1k",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        [sys.executable, "-m", "bench._load"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-6000:]
    assert "5xx responses: 0" in out, out[-4000:]
    assert "lost writes: 0" in out, out[-4000:]
    made = re.search(
        r"safeguard decisions made: (\d+), checklist items marked done: (\d+), custody lists uploaded: (\d+)", out
    )
    assert made, out[-4000:]
    # Writes were made for the check to check (how many of each kind depends on how fast this
    # machine is: each simulated user waits for its answers, so a slow machine makes fewer).
    assert sum(map(int, made.groups())) > 0, made.group(0)
