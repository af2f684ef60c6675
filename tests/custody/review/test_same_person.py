"""Never a duplicate person by default: the best confident match is pre-selected however
the row was screened, and rows of one list that look like the same young person are
shown together and decided together."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import Case, YoungPerson
from custody.models import CustodyImportRow, RowState
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import CaseFactory, YoungPersonFactory
from tests.factories.custody import born_aged, custody_csv, import_csv, person_row

pytestmark = pytest.mark.django_db


def checked(page: str, value: str) -> bool:
    """Whether the radio with this value is checked on the page."""
    import re

    tag = re.search(rf'<input[^>]*value="{re.escape(value)}"[^>]*>', page)
    return bool(tag) and "checked" in tag.group(0)


def test_a_person_recorded_after_the_import_is_pre_selected_not_a_new_record(personas):
    import_csv(personas.officer_a, custody_csv([person_row()]))
    row = CustodyImportRow.objects.get()
    assert row.matched_person_id is None  # nobody known at import time
    person = YoungPersonFactory(given_name="Jaylen", family_name="Testwood", date_of_birth=row.date_of_birth)
    CaseFactory(owner=personas.officer_a, person=person)
    client = personas.client("officer_a")
    page = client.get(reverse("custody:row_safeguard", args=[row.pk])).content.decode()
    assert checked(page, str(person.pk))
    assert not checked(page, "new")
    detail = client.get(reverse("custody:row_detail", args=[row.pk])).content.decode()
    assert 'id="best-match"' in detail and person.reference in detail
    assert "matched on name, date of birth" in detail
    assert detail.index('id="best-match"') < detail.index("Why it was flagged")


def test_a_name_alone_is_not_confident_enough_to_pre_select(personas):
    import_csv(personas.officer_a, custody_csv([person_row()]))
    row = CustodyImportRow.objects.get()
    YoungPersonFactory(given_name="Jaylen", family_name="Testwood", date_of_birth=born_aged(30))
    page = personas.client("officer_a").get(reverse("custody:row_safeguard", args=[row.pk])).content.decode()
    assert checked(page, "new")


def two_of_one_person(personas):
    import_csv(
        personas.officer_a,
        custody_csv(
            [
                person_row(),
                person_row(custody_number="WS/00555/25", forenames="Jaylan", surname="Testwood"),
                person_row(custody_number="WS/00556/25", forenames="Other", surname="Person"),
            ]
        ),
    )
    return list(CustodyImportRow.objects.order_by("line_number"))


def test_rows_of_one_list_that_look_like_one_person_are_shown_together(personas):
    first, second, third = two_of_one_person(personas)
    client = personas.client("officer_a")
    queue = client.get(reverse("custody:review")).content.decode()
    assert f"Same person as line {second.line_number}?" in queue
    assert f"Same person as line {first.line_number}?" in queue
    detail = client.get(reverse("custody:row_detail", args=[first.pk])).content.decode()
    assert 'id="same-person-rows"' in detail and f"line {second.line_number} (Jaylan Testwood)" in detail
    detail = client.get(reverse("custody:row_detail", args=[third.pk])).content.decode()
    assert 'id="same-person-rows"' not in detail


def test_safeguarding_one_offers_and_decides_the_other_on_the_same_case(personas):
    first, second, _third = two_of_one_person(personas)
    client = personas.client("officer_a")
    url = reverse("custody:row_safeguard", args=[first.pk])
    page = client.get(url).content.decode()
    assert f"Line {second.line_number}: Jaylan Testwood" in page
    response = client.post(
        url, {"person": "new", "owner": personas.officer_a.pk, "risk_level": "high", "also": [second.pk]}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert YoungPerson.objects.count() == 1
    second.refresh_from_db()
    assert (second.state, second.case_id) == (RowState.ALREADY_KNOWN, case.pk)
    assert AuditEvent.objects.filter(object_type="custody.custodyimportrow", object_id=str(second.pk)).exists()


def test_not_at_risk_for_one_decides_the_ticked_other_with_the_same_reason(personas):
    first, second, third = two_of_one_person(personas)
    client = personas.client("officer_a")
    response = client.post(
        reverse("custody:row_not_at_risk", args=[first.pk]), {"reason": "Known adult sibling", "also": [second.pk]}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.state, second.decision_reason) == (RowState.NOT_AT_RISK, "Known adult sibling")
    assert third.state == RowState.TO_REVIEW
