"""Bulk decisions on the queue: each row decided by the same service, audited per row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from custody.models import CustodyImportRow, RowState
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import CaseFactory, YoungPersonFactory
from tests.factories.custody import custody_csv, import_csv, person_row

pytestmark = pytest.mark.django_db
BULK = reverse("custody:review_bulk")


@pytest.fixture
def rows(personas):
    import_csv(
        personas.officer_a,
        custody_csv(
            [
                person_row(custody_number=f"WS/{n}/25", forenames=first, surname=last)
                for n, (first, last) in enumerate([("Jaylen", "Testwood"), ("Ava", "Brightmore"), ("Omar", "Quill")])
            ]
        ),
    )
    return list(CustodyImportRow.objects.order_by("line_number"))


def row_audits(row) -> int:
    return AuditEvent.objects.filter(
        object_type="custody.custodyimportrow", object_id=str(row.pk), action="update"
    ).count()


def test_several_rows_are_recorded_not_at_risk_with_one_reason_each_audited(personas, rows):
    response = personas.client("officer_a").post(
        BULK, {"rows": [rows[0].pk, rows[1].pk], "action": "not_at_risk", "reason": "Adults, local, no markers"}
    )
    assert response.status_code == 302
    for row in rows:
        row.refresh_from_db()
    assert [r.state for r in rows] == [RowState.NOT_AT_RISK, RowState.NOT_AT_RISK, RowState.TO_REVIEW]
    assert rows[0].decision_reason == "Adults, local, no markers"
    assert row_audits(rows[0]) == 1 and row_audits(rows[1]) == 1 and row_audits(rows[2]) == 0


def test_not_at_risk_in_bulk_needs_a_reason(personas, rows):
    personas.client("officer_a").post(BULK, {"rows": [rows[0].pk], "action": "not_at_risk", "reason": " "})
    rows[0].refresh_from_db()
    assert rows[0].state == RowState.TO_REVIEW


def test_already_known_in_bulk_uses_each_rows_confident_match_and_leaves_the_others(personas, rows):
    person = YoungPersonFactory(given_name="Jaylen", family_name="Testwood", date_of_birth=rows[0].date_of_birth)
    case = CaseFactory(owner=personas.officer_a, person=person)
    client = personas.client("officer_a")
    response = client.post(BULK, {"rows": [rows[0].pk, rows[1].pk], "action": "already_known"}, follow=True)
    rows[0].refresh_from_db()
    rows[1].refresh_from_db()
    assert (rows[0].state, rows[0].case_id) == (RowState.ALREADY_KNOWN, case.pk)
    assert rows[1].state == RowState.TO_REVIEW
    assert f"line {rows[1].line_number} (Ava Brightmore) has no confident match" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("force_lead", 403), ("partner", 403), ("admin", 403)])
def test_only_officers_and_supervisors_decide_in_bulk(personas, rows, persona, status):
    response = personas.client(persona).post(BULK, {"rows": [rows[0].pk], "action": "not_at_risk", "reason": "x"})
    assert response.status_code == status
    rows[0].refresh_from_db()
    assert rows[0].state == RowState.TO_REVIEW


def test_the_queue_offers_selection_only_to_reviewers(personas, rows):
    assert 'name="rows"' in personas.client("officer_a").get(reverse("custody:review")).content.decode()
    assert 'name="rows"' not in personas.client("force_lead").get(reverse("custody:review")).content.decode()
