"""Benchmark: detentions per second through the custody feed, beside the CSV import.

Builds the force-scale data set of bench/custody_import.py (100,000 known young people,
10,000 associates, aliases for one in ten) and its 10,000-row custody list, then brings
the same detentions in two ways and prints detentions per second for each:

1. the CSV import (custody_import_process), as an upload of the morning list;
2. the custody feed, POST /api/v1/custody/detentions/ in batches of 500 with a system
   client's token, through the whole HTTP stack (token check, throttle, JSON, per-item
   answers, idempotency key) into the same import code.

Both start from an empty review queue and must leave the same number of rows. Everything
happens in a separate database (BENCH_FEED_DB, created and dropped here).

    .venv/bin/python -m bench.custody_feed      # or through bench/run.py

Printed figures, not a timed test.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import time

from bench._support import ROOT, bench_database, child_env, server_url

BENCH_DB = os.environ.get("BENCH_FEED_DB", "safeguarding_bench_feed")
BATCH = 500
# Known young people to screen against: the force-scale set by default; fewer for a quick look.
PEOPLE = int(os.environ.get("BENCH_FEED_PEOPLE", "100000"))


def run() -> None:
    url = server_url("custody_feed")
    if url is None:
        return
    with bench_database(url, BENCH_DB) as bench_url:
        env = child_env(bench_url)
        subprocess.run([sys.executable, "-m", "bench.custody_feed", "--child"], cwd=ROOT, env=env, check=True)


def _feed(content: bytes, force) -> tuple[float, int]:
    """Detentions per second through the API, and how many calls it took."""
    from django.test import Client
    from django.urls import reverse

    from api.auth import PerClientThrottle
    from api.services import system_client_create
    from custody.models import CustodyImport, CustodyImportRow

    CustodyImportRow.objects.all().delete()
    CustodyImport.objects.all().delete()
    PerClientThrottle.THROTTLE_RATES = {"api_client": "1000000/min"}  # the bench measures the import, not the limit
    token = system_client_create(actor=None, name="Bench custody system", agency=force, scope="custody:write").token
    detentions = list(csv.DictReader(io.StringIO(content.decode())))
    client = Client(SERVER_NAME="localhost")
    url = reverse("api:custody_detentions")
    calls = 0
    started = time.perf_counter()
    for start in range(0, len(detentions), BATCH):
        response = client.post(
            url,
            json.dumps({"detentions": detentions[start : start + BATCH]}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"bench-{start}"},
        )
        assert response.status_code == 200, response.content[:500]
        calls += 1
    elapsed = time.perf_counter() - started
    return len(detentions) / elapsed, calls


def child() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from bench.custody_import import (
        ASSOCIATE_EVERY,
        LARGE,
        ROWS,
        SEED,
        _analyze,
        _associates,
        _custody_list,
        _import,
        _names,
        _people,
    )
    from custody.models import CustodyImportRow, RowState
    from safeguarding.accounts.models import Agency, Team, User

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(SEED)
    force = Agency.objects.create(name="Bench Police", kind=Agency.Kind.POLICE_FORCE)
    team = Team.objects.create(name="Bench Team", agency=force)
    user = User.objects.create_user(
        "officer@bench.example", full_name="Bench Officer", role="officer", agency=force, team=team
    )
    names = _names(5_000, rng)
    others = _names(5_000, rng)
    associates = _associates(LARGE // ASSOCIATE_EVERY, rng)
    content = _custody_list(rng, names, others, associates)
    _people(PEOPLE, 0, rng, names, user, team, associates)
    _analyze()

    csv_rate = _import(content, user, screen=True)
    csv_flagged = CustodyImportRow.objects.filter(state=RowState.TO_REVIEW).count()
    feed_rate, calls = _feed(content, force)
    feed_rows = CustodyImportRow.objects.count()
    feed_flagged = CustodyImportRow.objects.filter(state=RowState.TO_REVIEW).count()
    assert feed_rows == ROWS, feed_rows

    print(f"custody_feed: {ROWS:,} detentions screened against {PEOPLE:,} known people")
    print(f"  CSV import (one list):              {csv_rate:8,.0f} detentions/s  ({csv_flagged:,} flagged)")
    print(f"  custody feed ({calls} calls of {BATCH}):   {feed_rate:8,.0f} detentions/s  ({feed_flagged:,} flagged)")
    print(f"  ratio feed / CSV import: {feed_rate / csv_rate:.0%}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        run()
