"""A custody-list time that happened twice (the night the clocks go back) is settled by the
officer as BST or GMT from the row's page, never guessed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from custody.models import CustodyImportRow
from safeguarding.audit.models import AuditEvent
from tests.factories.custody import CustodyImportFactory, CustodyImportRowFactory

pytestmark = pytest.mark.django_db

CHECK = "Arrest time: 25/10/2026 01:25 happened twice in the UK: the clocks went back that night."


@pytest.fixture
def row(personas):
    with time_machine.travel(datetime(2026, 10, 25, 8, 0, tzinfo=UTC), tick=True):
        batch = CustodyImportFactory(uploaded_by=personas.officer_a)
        yield CustodyImportRowFactory(
            batch=batch,
            arrested_at=None,
            arrested_at_text="25/10/2026 01:25",
            checks=[CHECK],
            check_manually=True,
        )


def test_the_row_page_says_the_time_happened_twice_and_offers_to_settle_it(personas, row):
    page = personas.client("officer_a").get(reverse("custody:row_detail", args=[row.pk])).content.decode()
    assert "happened twice: the clocks went back that night" in page
    assert reverse("custody:row_time", args=[row.pk, "arrested_at"]) in page


@pytest.mark.parametrize(("zone", "hour"), [("BST", 0), ("GMT", 1)])
def test_settling_the_arrest_time_records_it_clears_the_check_and_is_audited(personas, row, zone, hour):
    url = reverse("custody:row_time", args=[row.pk, "arrested_at"])
    client = personas.client("officer_a")
    assert "Was the arrest time 01:25 on 25/10/2026 BST or GMT?" in client.get(url).content.decode()
    response = client.post(url, {"zone": zone})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.arrested_at == datetime(2026, 10, 25, hour, 25, tzinfo=UTC)
    assert row.checks == [] and not row.check_manually
    audit = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_type="custody.custodyimportrow")
    assert audit.detail["zone"] == zone and audit.actor_id == personas.officer_a.pk


def test_no_choice_is_refused_with_a_message_and_nothing_changes(personas, row):
    response = personas.client("officer_a").post(reverse("custody:row_time", args=[row.pk, "arrested_at"]), {})
    assert response.status_code == 200 and "Select BST or GMT" in response.content.decode()
    assert CustodyImportRow.objects.get(pk=row.pk).arrested_at is None


def test_a_time_that_did_not_happen_twice_needs_no_settling(personas):
    plain = CustodyImportRowFactory(batch=CustodyImportFactory(uploaded_by=personas.officer_a))
    response = personas.client("officer_a").get(reverse("custody:row_time", args=[plain.pk, "released_at"]))
    assert response.status_code == 302


def test_the_force_lead_reads_but_cannot_settle(personas, row):
    client = personas.client("force_lead")
    assert client.post(reverse("custody:row_time", args=[row.pk, "arrested_at"]), {"zone": "BST"}).status_code == 403
    assert CustodyImportRow.objects.get(pk=row.pk).arrested_at is None


def test_an_unknown_time_field_is_404(personas, row):
    assert personas.client("officer_a").get(f"/custody/rows/{row.pk}/time/notes/").status_code == 404
