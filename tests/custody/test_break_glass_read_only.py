"""Break glass grants reading only, in custody too: no custody event recorded or edited, no
checklist item acted on, no custody-list row linked to a case reached through a grant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from custody.models import CustodyEvent, RowState
from custody.review import services
from tests.cases.test_break_glass import broken_into  # noqa: F401  (fixture)
from tests.custody.clock.helpers import start_checklist
from tests.factories.custody import CustodyEventFactory, CustodyImportFactory, CustodyImportRowFactory

pytestmark = pytest.mark.django_db


def test_break_glass_cannot_record_or_edit_a_custody_event(personas, broken_into):  # noqa: F811
    case = broken_into["case"]
    event = CustodyEventFactory(case=case)
    client = personas.client("officer_b")
    for url in (reverse("custody:event_create", args=[case.pk]), reverse("custody:event_update", args=[event.pk])):
        assert client.get(url).status_code == 403
        assert client.post(url, {"arrested_at": "01/01/2026 10:00", "notes": "Changed"}).status_code == 403
    assert CustodyEvent.objects.filter(case=case).count() == 1
    assert personas.client("officer_a").get(reverse("custody:event_create", args=[case.pk])).status_code == 200


@pytest.mark.parametrize("action", ["custody:checklist_item_done", "custody:checklist_item_not_applicable"])
def test_break_glass_cannot_act_on_a_checklist_item(personas, broken_into, action):  # noqa: F811
    checklist = start_checklist(case=broken_into["case"], by=personas.officer_a, released_at=timezone.now())
    item = checklist.items.first()
    client = personas.client("officer_b")
    assert client.post(reverse(action, args=[item.pk]), {"note": "x", "reason": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.is_pending


def test_break_glass_cannot_link_a_custody_row_to_the_case(personas, broken_into):  # noqa: F811
    row = CustodyImportRowFactory(
        batch=CustodyImportFactory(uploaded_by=personas.officer_b),
        arrested_at=timezone.now() - timedelta(hours=5),
    )
    with pytest.raises(services.DecisionError):
        services.custody_row_already_known(actor=personas.officer_b, row=row, case=broken_into["case"])
    row.refresh_from_db()
    assert row.state == RowState.TO_REVIEW


@pytest.mark.parametrize("name", ["referrals:referral_create", "referrals:nrm_create"])
def test_break_glass_cannot_refer_the_case_or_record_an_nrm(personas, broken_into, name):  # noqa: F811
    url = reverse(name, args=[broken_into["case"].pk])
    assert personas.client("officer_b").get(url).status_code == 403
    assert personas.client("officer_b").post(url, {}).status_code == 403
    assert personas.client("officer_a").get(url).status_code == 200
