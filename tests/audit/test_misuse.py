"""Bulk access detection: heavy reading or searching by one officer is raised to the force lead."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.audit import misuse
from safeguarding.audit.models import AuditEvent, MisuseAlert
from safeguarding.audit.services import audit_record
from safeguarding.core import periodic
from safeguarding.notifications.models import Notification

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action
T0 = datetime.fromisoformat("2025-05-05 10:00:00+00:00")


@pytest.fixture(autouse=True)
def limits(settings):
    settings.BULK_ACCESS_RECORDS = 5
    settings.BULK_ACCESS_SEARCHES = 3
    settings.BULK_ACCESS_WINDOW_MINUTES = 10


def opens(user, ids, *, at, object_type="cases.youngperson", action=Action.VIEW):
    with time_machine.travel(at, tick=False):
        for pk in ids:
            audit_record(action=action, actor=user, object_type=object_type, object_id=pk)


def searches(user, n, *, at):
    with time_machine.travel(at, tick=False):
        for _ in range(n):
            audit_record(action=Action.SEARCH, actor=user, object_type="cases.youngperson", detail={"name": "x"})


def scan(at):
    with time_machine.travel(at, tick=False):
        return misuse.bulk_access_scan()


def test_opening_more_records_than_the_limit_alerts_the_force_lead_once_per_window(
    personas, django_capture_on_commit_callbacks
):
    officer = personas.officer_a
    opens(officer, range(1, 4), at=T0)
    opens(officer, range(1, 4), at=T0 + timedelta(minutes=1), object_type="cases.case")
    # The same record opened twice counts once: 6 distinct records > 5.
    opens(officer, [1], at=T0 + timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        alerts = scan(T0 + timedelta(minutes=3))
    assert len(alerts) == 1
    alert = alerts[0]
    assert (alert.actor_id, alert.kind, alert.count) == (officer.pk, MisuseAlert.Kind.RECORDS, 6)
    assert {(r["type"], r["id"]) for r in alert.records} == {
        *(("cases.youngperson", str(i)) for i in range(1, 4)),
        *(("cases.case", str(i)) for i in range(1, 4)),
    }
    # In-app and by email, to the force lead only.
    notes = Notification.objects.filter(kind="misuse")
    assert [n.user for n in notes] == [personas.force_lead]
    assert notes.get().url == reverse("audit:misuse")
    assert [m.to for m in mail.outbox] == [[personas.force_lead.email]]
    assert officer.email in mail.outbox[0].body
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="audit.misusealert").count() == 1

    # More of the same inside the window: nothing new. A scan run twice: nothing new.
    opens(officer, range(10, 20), at=T0 + timedelta(minutes=4))
    with django_capture_on_commit_callbacks(execute=True):
        assert scan(T0 + timedelta(minutes=5)) == []
        assert scan(T0 + timedelta(minutes=5)) == []
    assert MisuseAlert.objects.count() == 1
    assert len(mail.outbox) == 1

    # Still at it in the next window: a second alert.
    opens(officer, range(30, 40), at=T0 + timedelta(minutes=16))
    assert len(scan(T0 + timedelta(minutes=17))) == 1
    assert MisuseAlert.objects.count() == 2


def test_staying_within_the_limits_raises_nothing(personas):
    opens(personas.officer_a, range(1, 6), at=T0)  # exactly the limit
    searches(personas.officer_a, 3, at=T0)
    # Spread over two windows, more than the limit raises nothing either.
    opens(personas.officer_b, range(1, 5), at=T0 - timedelta(minutes=30))
    opens(personas.officer_b, range(5, 9), at=T0)
    assert scan(T0 + timedelta(minutes=1)) == []


def test_searching_more_than_the_limit_alerts(personas):
    searches(personas.officer_b, 4, at=T0)
    alerts = scan(T0 + timedelta(minutes=1))
    assert [(a.actor_id, a.kind, a.count) for a in alerts] == [(personas.officer_b.pk, MisuseAlert.Kind.SEARCHES, 4)]


def test_walking_ids_outside_ones_scope_counts_as_opening_records(personas):
    opens(personas.officer_b, range(100, 110), at=T0, action=Action.ACCESS_DENIED)
    assert [a.kind for a in scan(T0 + timedelta(minutes=1))] == [MisuseAlert.Kind.RECORDS]


def test_the_scan_reads_only_the_window_with_a_few_queries(personas):
    # Old rows are outside the window and never read; the count of queries does not grow with them.
    opens(personas.officer_a, range(1, 50), at=T0 - timedelta(days=3))
    with CaptureQueriesContext(connection) as queries, time_machine.travel(T0, tick=False):
        misuse.bulk_access_scan()
    assert len(queries) == 2
    assert all('"audit_auditevent"."at" >' in q["sql"] for q in queries.captured_queries)


def test_the_scan_is_a_declared_periodic_task():
    assert "audit.bulk_access_scan" in {spec.name for spec in periodic.registered()}


def test_the_force_lead_sees_the_possible_misuse_page_with_the_records_touched(personas):
    opens(personas.officer_a, range(1, 7), at=T0)
    [alert] = scan(T0 + timedelta(minutes=1))
    response = personas.client("force_lead").get(reverse("audit:misuse"))
    assert response.status_code == 200
    body = response.content.decode()
    assert personas.officer_a.email in body
    assert "cases.youngperson 6" in body
    listed = AuditEvent.objects.get(action=Action.LIST, object_type="audit.misusealert")
    assert listed.detail == {"alerts_shown": [alert.pk]}
    # Nobody else.
    for persona in ("officer_a", "supervisor", "partner", "admin"):
        assert personas.client(persona).get(reverse("audit:misuse")).status_code == 403
