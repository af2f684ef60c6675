"""A flagged row nobody decides is raised to the supervisors once; retention runs from the decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from custody.models import CustodyImportRow, RowState
from custody.review import services
from safeguarding.notifications.models import Notification
from tests.factories.custody import adult_row, custody_csv, import_csv, person_row

pytestmark = pytest.mark.django_db


@override_settings(CUSTODY_ESCALATE_AFTER_DAYS=2)
def test_an_undecided_flagged_row_is_raised_to_the_supervisor_once(personas):
    import_csv(personas.officer_a, custody_csv([person_row(), adult_row()]))
    flagged = CustodyImportRow.objects.get(state=RowState.TO_REVIEW)
    now = timezone.now()
    assert services.custody_escalate_undecided(now=now + timedelta(days=1)) == 0
    assert services.custody_escalate_undecided(now=now + timedelta(days=3)) == 1
    assert services.custody_escalate_undecided(now=now + timedelta(days=4)) == 0
    notes = Notification.objects.filter(kind="custody_escalation")
    assert list(notes.values_list("user", flat=True)) == [personas.supervisor.pk]
    assert notes.get().url.endswith(f"/rows/{flagged.pk}/")
    flagged.refresh_from_db()
    assert flagged.escalated_at is not None


@override_settings(CUSTODY_ESCALATE_AFTER_DAYS=2)
def test_a_decided_row_is_not_raised(personas):
    import_csv(personas.officer_a, custody_csv([person_row()]))
    row = CustodyImportRow.objects.get()
    services.custody_row_not_at_risk(actor=personas.officer_a, row=row, reason="Known, safe")
    assert services.custody_escalate_undecided(now=timezone.now() + timedelta(days=3)) == 0


@override_settings(CUSTODY_ROW_RETENTION_DAYS=30)
def test_retention_of_a_row_judged_not_at_risk_runs_from_the_decision(personas):
    import_csv(personas.officer_a, custody_csv([person_row()]))
    row = CustodyImportRow.objects.get()
    services.custody_row_not_at_risk(actor=personas.officer_a, row=row, reason="Known, safe")
    # Imported long ago but decided just now: kept.
    CustodyImportRow.objects.filter(pk=row.pk).update(updated_at=timezone.now() - timedelta(days=60))
    services.custody_purge_personal_data(now=timezone.now() + timedelta(days=10))
    row.refresh_from_db()
    assert not row.is_purged
    services.custody_purge_personal_data(now=timezone.now() + timedelta(days=31))
    row.refresh_from_db()
    assert row.is_purged
