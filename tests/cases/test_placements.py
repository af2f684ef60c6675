"""Placements: type (secure accommodation with its order), address, provider, from/to;
a young person is in one place at a time, so overlapping placements are refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Placement
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import CaseFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def post(personas, case, *, who="officer_a", **data):
    today = timezone.localdate()
    body = {
        "placement_type": "foster",
        "address": "2 Typed Street, Testtown",
        "provider": "Typed Fostering Agency",
        **date_fields("from_date", today - timedelta(days=10)),
        **date_fields("to_date", None),
        **date_fields("secure_order_on", None),
    }
    for key, value in data.items():
        if isinstance(value, date):
            body.update(date_fields(key, value))
        else:
            body[key] = value
    return personas.client(who).post(reverse("cases:placement_add", args=[case.pk]), body)


def test_a_placement_is_added_and_audited(personas):
    case = CaseFactory(owner=personas.officer_a)
    response = post(personas, case)
    assert response.status_code == 302
    placement = Placement.objects.get(case=case)
    assert placement.to_date is None and placement.provider == "Typed Fostering Agency"
    assert AuditEvent.objects.filter(
        action="create", object_type="cases.placement", object_id=str(placement.pk)
    ).exists()
    page = personas.client("supervisor").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "2 Typed Street, Testtown" in page and "Foster care" in page


def test_an_overlapping_placement_is_refused_next_to_the_field_keeping_what_was_typed(personas):
    case = CaseFactory(owner=personas.officer_a)
    today = timezone.localdate()
    PlacementFactory(case=case, from_date=today - timedelta(days=60), to_date=None)
    response = post(personas, case, from_date=today - timedelta(days=10))
    page = response.content.decode()
    assert response.status_code == 400
    assert "This overlaps another placement (residential children&#x27;s home from" in page
    assert "2 Typed Street, Testtown" in page and "Typed Fostering Agency" in page
    assert Placement.objects.filter(case=case).count() == 1


def test_placements_on_another_case_of_the_same_young_person_count_too(personas):
    case = CaseFactory(owner=personas.officer_a)
    other = CaseFactory(owner=personas.officer_b, person=case.person)
    today = timezone.localdate()
    PlacementFactory(case=other, from_date=today - timedelta(days=30), to_date=today - timedelta(days=5))
    assert post(personas, case, from_date=today - timedelta(days=10)).status_code == 400
    # Starting the day the other one ended is not an overlap.
    assert post(personas, case, from_date=today - timedelta(days=5)).status_code == 302


def test_secure_accommodation_needs_the_orders_date_and_court(personas):
    case = CaseFactory(owner=personas.officer_a)
    response = post(personas, case, placement_type="secure", secure_order_court="")
    page = response.content.decode()
    assert "Enter the date of the secure accommodation order" in page
    assert "Enter the court that made the secure accommodation order" in page
    order_day = timezone.localdate() - timedelta(days=11)
    response = post(
        personas, case, placement_type="secure", secure_order_on=order_day, secure_order_court="Testtown Family Court"
    )
    assert response.status_code == 302
    placement = Placement.objects.get(case=case)
    assert (placement.secure_order_on, placement.secure_order_court) == (order_day, "Testtown Family Court")


def test_an_end_before_the_start_is_refused(personas):
    case = CaseFactory(owner=personas.officer_a)
    today = timezone.localdate()
    response = post(personas, case, from_date=today - timedelta(days=3), to_date=today - timedelta(days=5))
    assert "The end of the placement must be after its start" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_the_database_refuses_an_overlap_the_service_did_not_see(personas):
    case = CaseFactory(owner=personas.officer_a)
    today = timezone.localdate()
    PlacementFactory(case=case, from_date=today - timedelta(days=60), to_date=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(case=case, from_date=today - timedelta(days=5), to_date=today)


def test_the_force_lead_cannot_add_and_another_team_gets_404(personas):
    case = CaseFactory(owner=personas.officer_a)
    assert post(personas, case, who="force_lead").status_code == 403
    assert post(personas, case, who="officer_b").status_code == 404
    assert not Placement.objects.exists()


def test_ending_the_current_placement_lets_the_next_one_start(personas):
    case = CaseFactory(owner=personas.officer_a)
    today = timezone.localdate()
    current = PlacementFactory(case=case, from_date=today - timedelta(days=60), to_date=None)
    url = reverse("cases:placement_end", args=[current.pk])
    client = personas.client("officer_a")
    response = client.post(url, date_fields("to_date", today - timedelta(days=61)))
    assert response.status_code == 400
    assert "The end of the placement must be after its start" in response.content.decode()
    assert client.post(url, date_fields("to_date", today - timedelta(days=10))).status_code == 302
    current.refresh_from_db()
    assert current.to_date == today - timedelta(days=10)
    assert AuditEvent.objects.filter(action="update", object_type="cases.placement", object_id=str(current.pk)).exists()
    assert post(personas, case, from_date=today - timedelta(days=10)).status_code == 302
    assert Placement.objects.filter(case=case).count() == 2
