"""Retention: rows not flagged, or judged not at risk, lose their personal data after
CUSTODY_ROW_RETENTION_DAYS; the batch keeps its counts. Called directly (no worker)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from custody.models import CustodyImport, CustodyImportRow, RowState
from custody.review import services, tasks
from safeguarding.audit.models import AuditEvent
from tests.factories.custody import adult_row, custody_csv, import_csv, person_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(personas) -> CustodyImport:
    batch = import_csv(
        personas.officer_a,
        custody_csv(
            [
                person_row(),  # flagged, stays to review
                adult_row(),  # not flagged
                person_row(custody_number="WS/00103/25", forenames="Kai"),  # flagged, judged not at risk
                person_row(custody_number="WS/00104/25", forenames="Lee"),  # flagged, safeguarded
                adult_row(number="WS/00905/25", arrest_datetime="not a time"),  # rejected
            ]
        ),
    )
    services.custody_row_not_at_risk(
        actor=personas.officer_a, row=CustodyImportRow.objects.get(custody_number="WS/00103/25"), reason="Adult."
    )
    services.custody_row_safeguard(
        actor=personas.officer_a,
        row=CustodyImportRow.objects.get(custody_number="WS/00104/25"),
        owner=personas.officer_a,
    )
    return batch


def later(days: int):
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=False)


def test_nothing_is_purged_before_the_retention_period(batch):
    with later(29):
        assert services.custody_purge_personal_data() == {"rows": 0, "files": 0}


def test_unflagged_not_at_risk_and_rejected_rows_lose_their_personal_data_after_30_days(batch):
    with later(31):
        assert tasks.custody_purge_personal_data() == str({"rows": 3, "files": 1})
    purged = CustodyImportRow.objects.filter(personal_data_purged_at__isnull=False)
    assert set(purged.values_list("custody_number", flat=True)) == {"WS/00900/25", "WS/00103/25", "WS/00905/25"}
    for row in purged:
        assert (row.surname, row.forenames, row.date_of_birth, row.raw, row.reasons, row.home_address) == (
            "",
            "",
            None,
            {},
            [],
            "",
        )
    kept = CustodyImportRow.objects.filter(personal_data_purged_at__isnull=True)
    assert set(kept.values_list("state", flat=True)) == {RowState.TO_REVIEW, RowState.SAFEGUARDED}
    assert all(row.surname == "Testwood" for row in kept)


def test_the_batch_keeps_its_counts_and_loses_its_file(batch):
    counts = (batch.total_rows, batch.new_count, batch.flagged_count, batch.error_count)
    with later(31):
        services.custody_purge_personal_data()
    batch.refresh_from_db()
    assert (batch.total_rows, batch.new_count, batch.flagged_count, batch.error_count) == counts
    assert bytes(batch.content) == b"" and batch.content_purged_at is not None
    assert all(p["value"] == "" for p in batch.problems)


def test_the_purge_is_idempotent_and_audited(batch):
    with later(31):
        services.custody_purge_personal_data()
        assert services.custody_purge_personal_data() == {"rows": 0, "files": 0}
    erased = AuditEvent.objects.filter(action="erase")
    assert erased.count() == 2
    assert erased.get(object_type="custody.custodyimportrow").detail["count"] == 3


@override_settings(CUSTODY_ROW_RETENTION_DAYS=7)
def test_the_retention_period_is_a_setting(batch):
    with later(8):
        assert services.custody_purge_personal_data()["rows"] == 3


def test_a_purged_row_can_no_longer_be_decided_and_says_so(personas, batch):
    with later(31):
        services.custody_purge_personal_data()
    row = CustodyImportRow.objects.get(custody_number="WS/00900/25")
    with pytest.raises(services.DecisionError, match="removed"):
        services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a)
    page = personas.client("officer_a").get(f"/custody/rows/{row.pk}/").content.decode()
    assert "Personal data removed" in page or "Removed" in page


def test_the_purge_is_declared_as_a_periodic_task():
    from safeguarding.core import periodic

    spec = next(s for s in periodic.registered() if s.name == "custody.review_purge")
    assert spec.task == "custody.review.tasks.custody_purge_personal_data"
    assert spec.every_seconds > 0


@override_settings(CUSTODY_ROW_RETENTION_DAYS=30)
def test_the_retention_period_is_real_time_across_the_october_change(batch):
    """30 days before 12:00 GMT on 26 October 2025 is 12:00 UTC on 26 September (13:00 BST),
    not the wall-clock 12:00 BST (11:00 UTC)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    now = datetime(2025, 10, 26, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    CustodyImportRow.objects.update(updated_at=now)
    CustodyImportRow.objects.filter(custody_number="WS/00900/25").update(
        updated_at=datetime(2025, 9, 26, 11, 30, tzinfo=UTC)
    )
    assert services.custody_purge_personal_data(now=now)["rows"] == 1
    assert CustodyImportRow.objects.get(custody_number="WS/00900/25").personal_data_purged_at is not None
