"""Two retries of one call with the same Idempotency-Key, at the same moment, on real
PostgreSQL connections: the second waits on the first's claim of the key and is answered
with its result; nothing is created twice."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from api import views_custody
from custody.models import CustodyImport, CustodyImportRow
from tests.api.helpers import CUSTODY, api_for, issue
from tests.factories.custody import adult_row, person_row

pytestmark = [
    # Transactional, like the other tests that need two connections; the checklist template the
    # flush removes is put back for the next test by tests/conftest.py. (serialized_rollback
    # was tried: it reloads content types over existing ones when a non-transactional test ran
    # first on the same worker, and fails.)
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]

FEED = reverse("api:custody_detentions")


def _someone_waits_on_a_lock() -> bool:
    # pg_locks is read live (pg_stat_activity would be a snapshot inside our transaction).
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0] > 0


def test_two_concurrent_retries_with_one_key_create_nothing_twice(personas, monkeypatch):
    api = api_for(issue(CUSTODY, agency=personas.force))
    body = {"detentions": [person_row(), adult_row()]}
    headers = {"Idempotency-Key": "retry-0001"}
    first_inside = threading.Event()
    real_receive = views_custody.custody_feed_receive
    answers: dict[str, object] = {}

    def receive_once_the_retry_waits(**kwargs):
        # The first call holds the key; it goes on only once the retry is blocked behind it.
        first_inside.set()
        for _ in range(400):  # at most 20 seconds, then go on anyway (the test then shows why)
            if _someone_waits_on_a_lock():
                answers["retry_waited"] = True
                break
            time.sleep(0.05)
        return real_receive(**kwargs)

    monkeypatch.setattr(views_custody, "custody_feed_receive", receive_once_the_retry_waits)

    def call(name: str) -> None:
        try:
            answers[name] = api.post(FEED, body, headers=headers)
        finally:
            connection.close()

    first = threading.Thread(target=call, args=("first",))
    first.start()
    assert first_inside.wait(timeout=30)
    retry = threading.Thread(target=call, args=("retry",))
    retry.start()
    first.join(timeout=60)
    retry.join(timeout=60)

    assert answers.get("retry_waited"), "the retry never waited on the first call's claim of the key"
    one, two = answers["first"], answers["retry"]
    assert one.status_code == two.status_code == 200  # type: ignore[attr-defined]
    assert one.json() == two.json()  # type: ignore[attr-defined]
    assert two["Idempotent-Replayed"] == "true"  # type: ignore[index]
    assert CustodyImport.objects.count() == 1
    assert CustodyImportRow.objects.count() == 2
