"""The audit search page's record-type choices come from the code, not from the log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_record_types_are_a_fixed_list_not_a_scan_of_the_log(personas):
    client = personas.client("force_lead")
    client.get(reverse("audit:search"))  # the session's first request stamps it
    assert not AuditEvent.objects.filter(object_type="cases.youngperson").exists()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("audit:search"))
    assert response.status_code == 200
    for query in ctx.captured_queries:
        assert "DISTINCT" not in query["sql"].upper() or "audit_auditevent" not in query["sql"], query["sql"]
    choices = dict(response.context["form"].fields["object_type"].choices)
    assert choices["cases.youngperson"] == "Young person"
    assert "cases.case" in choices and "custody.checklistitem" in choices
    assert "sessions.session" not in choices


def test_searching_by_a_record_type_still_filters(personas):
    from safeguarding.audit.services import audit_record

    audit_record(action=AuditEvent.Action.VIEW, actor=personas.officer_a, object_type="cases.case", object_id=1)
    audit_record(action=AuditEvent.Action.VIEW, actor=personas.officer_a, object_type="accounts.user", object_id=1)
    response = personas.client("force_lead").get(reverse("audit:search"), {"object_type": "cases.case"})
    assert response.status_code == 200
    types = {event.object_type for event in response.context["page"]}
    assert types == {"cases.case"}
