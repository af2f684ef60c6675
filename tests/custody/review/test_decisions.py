"""The three review decisions, their audit rows, and what follows: the case, the custody
event, the chronology, the custody-number search and the 48-hour checklist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases import search
from cases.chronology import chronology_for
from cases.models import Case, HowIdentified, YoungPerson
from custody.models import Checklist, CustodyEvent, CustodyImportRow, RowState
from custody.review import services
from safeguarding.audit.models import AuditEvent
from tests.factories.cases import CaseFactory, YoungPersonFactory
from tests.factories.custody import adult_row, arrest_time, born_aged, custody_csv, import_csv, person_row, uk

pytestmark = pytest.mark.django_db


@pytest.fixture
def row(personas) -> CustodyImportRow:
    import_csv(personas.officer_a, custody_csv([person_row()]))
    return CustodyImportRow.objects.get()


def audit_actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# ---------------------------------------------------------------------------
# Safeguard
# ---------------------------------------------------------------------------


def test_safeguard_creates_the_person_the_case_and_the_custody_event(personas, row):
    event = services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a)
    person = event.person
    assert (person.given_name, person.family_name, person.date_of_birth) == ("Jaylen", "Testwood", row.date_of_birth)
    assert person.home_police_force == "North Yorkshire Police"
    assert person.gender == YoungPerson.Gender.MALE
    case = event.case
    assert (case.person, case.owner, case.team) == (person, personas.officer_a, personas.team_a)
    assert case.how_identified == HowIdentified.CUSTODY_REVIEW
    assert (event.custody_number, event.arrested_at, event.source, event.source_row) == (
        "WS/00101/25",
        row.arrested_at,
        CustodyEvent.Source.CUSTODY_REVIEW,
        row,
    )
    row.refresh_from_db()
    assert (row.state, row.person, row.case, row.decided_by) == (RowState.SAFEGUARDED, person, case, personas.officer_a)
    assert audit_actions(row)[-1] == "update"
    assert (
        AuditEvent.objects.filter(object_type="custody.custodyimportrow", detail__decision="safeguarded").count() == 1
    )
    assert audit_actions(event) == ["create"]
    assert audit_actions(case) == ["create"]
    assert audit_actions(person) == ["create"]


def test_safeguard_links_a_known_person_instead_of_creating_one(personas, row):
    person = YoungPersonFactory(
        given_name="Jaylen",
        family_name="Testwood",
        date_of_birth=row.date_of_birth,
        created_by=personas.officer_a,
        created_by_team=personas.team_a,
    )
    event = services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a, person=person)
    assert event.person == person
    assert YoungPerson.objects.count() == 1


def test_safeguard_cannot_use_a_person_outside_the_officers_scope(personas, row):
    other = CaseFactory(owner=personas.officer_b).person
    with pytest.raises(services.DecisionError, match="contact the team"):
        services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a, person=other)
    row.refresh_from_db()
    assert row.state == RowState.TO_REVIEW


def test_a_supervisor_safeguards_for_an_officer_of_their_team(personas, row):
    event = services.custody_row_safeguard(actor=personas.supervisor, row=row, owner=personas.officer_a2)
    assert event.case.owner == personas.officer_a2


def test_the_safeguard_page_opens_the_case_and_lands_on_it(personas, row):
    client = personas.client("officer_b")
    url = reverse("custody:row_safeguard", args=[row.pk])
    page = client.get(url).content.decode()
    assert "create a new record from the custody row" in page
    response = client.post(
        url,
        {"person": "new", "owner": personas.officer_b.pk, "risk_level": "high", "exploitation_types": ["county_lines"]},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert (case.team, case.risk_level, case.exploitation_types) == (personas.team_b, "high", ["county_lines"])
    case_page = client.get(response["Location"]).content.decode()
    assert "Custody events" in case_page and "WS/00101/25" in case_page


def test_safeguarding_a_row_without_a_readable_date_of_birth_asks_for_one(personas):
    import_csv(personas.officer_a, custody_csv([person_row(date_of_birth="unknown")]))
    row = CustodyImportRow.objects.get()
    client = personas.client("officer_a")
    url = reverse("custody:row_safeguard", args=[row.pk])
    response = client.post(url, {"person": "new", "owner": personas.officer_a.pk, "risk_level": "medium"})
    assert response.status_code == 200
    assert "Enter the date of birth or, if it is not known, an estimated age" in response.content.decode()
    response = client.post(
        url, {"person": "new", "owner": personas.officer_a.pk, "risk_level": "medium", "estimated_age": "15"}
    )
    assert response.status_code == 302
    assert YoungPerson.objects.get().estimated_age == 15


def test_a_row_whose_arrest_time_cannot_be_read_cannot_become_an_event(personas):
    import_csv(personas.officer_a, custody_csv([person_row(arrest_datetime="27/10/2024 01:30")]))
    row = CustodyImportRow.objects.get()
    with pytest.raises(services.DecisionError, match="Enter the custody event by hand"):
        services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a)
    assert not Case.objects.exists()  # nothing half-done


# ---------------------------------------------------------------------------
# Already known
# ---------------------------------------------------------------------------


def test_already_known_links_the_existing_case_and_records_the_event_there(personas, row):
    person = YoungPersonFactory(given_name="Jaylen", family_name="Testwood", date_of_birth=row.date_of_birth)
    case = CaseFactory(owner=personas.officer_a, person=person)
    client = personas.client("officer_a")
    url = reverse("custody:row_already_known", args=[row.pk])
    assert case.reference in client.get(url).content.decode()
    response = client.post(url, {"case": case.pk})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.state, row.case, row.person) == (RowState.ALREADY_KNOWN, case, person)
    event = CustodyEvent.objects.get()
    assert event.case == case and event.source_row == row
    assert AuditEvent.objects.filter(object_id=str(row.pk), detail__decision="already_known").exists()
    assert Case.objects.count() == 1


def test_already_known_refuses_a_case_outside_scope(personas, row):
    case = CaseFactory(owner=personas.officer_b)
    with pytest.raises(services.DecisionError):
        services.custody_row_already_known(actor=personas.officer_a, row=row, case=case)


def test_already_known_page_offers_only_cases_in_scope(personas, row):
    person = YoungPersonFactory(given_name="Jaylen", family_name="Testwood", date_of_birth=row.date_of_birth)
    other = CaseFactory(owner=personas.officer_b, person=person)
    page = personas.client("officer_a").get(reverse("custody:row_already_known", args=[row.pk])).content.decode()
    assert other.reference not in page
    assert "There is no open case you can see" in page
    assert "Team B" in page  # who to contact


# ---------------------------------------------------------------------------
# Not at risk
# ---------------------------------------------------------------------------


def test_not_at_risk_needs_a_reason(personas, row):
    with pytest.raises(ValidationError):
        services.custody_row_not_at_risk(actor=personas.officer_a, row=row, reason="  ")
    client = personas.client("officer_a")
    url = reverse("custody:row_not_at_risk", args=[row.pk])
    response = client.post(url, {"reason": ""})
    assert "Give the reason this young person is not at risk" in response.content.decode()


def test_not_at_risk_is_recorded_with_its_reason_and_audited(personas, row):
    client = personas.client("officer_a")
    response = client.post(reverse("custody:row_not_at_risk", args=[row.pk]), {"reason": "Known adult; custody error."})
    assert response.status_code == 302 and response["Location"] == reverse("custody:review")
    row.refresh_from_db()
    assert (row.state, row.decision_reason, row.decided_by) == (
        RowState.NOT_AT_RISK,
        "Known adult; custody error.",
        personas.officer_a,
    )
    audit = AuditEvent.objects.get(object_id=str(row.pk), detail__decision="not_at_risk")
    assert audit.justification == "Known adult; custody error."


# ---------------------------------------------------------------------------
# Once only; read-only roles
# ---------------------------------------------------------------------------


def test_a_row_is_decided_once(personas, row):
    services.custody_row_not_at_risk(actor=personas.officer_a, row=row, reason="Adult.")
    with pytest.raises(services.DecisionError, match="Alice Officer already decided"):
        services.custody_row_safeguard(actor=personas.officer_b, row=row, owner=personas.officer_b)
    response = personas.client("officer_b").get(reverse("custody:row_safeguard", args=[row.pk]))
    assert response.status_code == 302


def test_the_force_lead_cannot_decide(personas, row):
    with pytest.raises(PermissionDenied):
        services.custody_row_not_at_risk(actor=personas.force_lead, row=row, reason="x")
    response = personas.client("force_lead").post(reverse("custody:row_not_at_risk", args=[row.pk]), {"reason": "x"})
    assert response.status_code == 403


def test_an_unflagged_row_can_still_be_safeguarded(personas):
    import_csv(personas.officer_a, custody_csv([adult_row(date_of_birth=born_aged(19).strftime("%d/%m/%Y"))]))
    row = CustodyImportRow.objects.get()
    assert row.state == RowState.NOT_FLAGGED
    event = services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a)
    assert event.case.how_identified == HowIdentified.CUSTODY_REVIEW


# ---------------------------------------------------------------------------
# What follows
# ---------------------------------------------------------------------------


def test_custody_events_appear_in_the_persons_chronology(personas, row):
    event = services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a)
    chronology = chronology_for(person=event.person, user=personas.officer_a)
    custody = [e for e in chronology.entries if e.type == "custody"]
    assert len(custody) == 1 and custody[0].title == "Arrested and taken into custody WS/00101/25"
    assert custody[0].url == event.get_absolute_url()
    assert chronology_for(person=event.person, user=personas.officer_b).entries == []


def test_a_released_event_appears_twice_in_the_chronology(personas):
    arrested = arrest_time()
    import_csv(
        personas.officer_a,
        custody_csv([person_row(arrest_datetime=uk(arrested), release_datetime=uk(arrested + timedelta(hours=8)))]),
    )
    event = services.custody_row_safeguard(
        actor=personas.officer_a, row=CustodyImportRow.objects.get(), owner=personas.officer_a
    )
    types = [e.type for e in chronology_for(person=event.person, user=personas.officer_a).entries]
    assert types.count("custody") == 1 and types.count("custody_release") == 1


def test_the_person_is_found_by_custody_number(personas, row):
    event = services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a)
    results = search.search_people(user=personas.officer_a, reference="ws/00101/25")
    assert [r.person for r in results] == [event.person]
    assert results[0].reasons == ["Custody number"]


def test_safeguarding_a_released_row_starts_the_48_hour_checklist(personas):
    arrested = arrest_time()
    import_csv(
        personas.officer_a,
        custody_csv([person_row(arrest_datetime=uk(arrested), release_datetime=uk(arrested + timedelta(hours=8)))]),
    )
    event = services.custody_row_safeguard(
        actor=personas.officer_a, row=CustodyImportRow.objects.get(), owner=personas.officer_a
    )
    assert Checklist.objects.filter(custody_event=event, case=event.case).count() == 1


def test_safeguarding_a_row_still_in_custody_starts_no_checklist(personas, row):
    services.custody_row_safeguard(actor=personas.officer_a, row=row, owner=personas.officer_a)
    assert not Checklist.objects.exists()


def test_the_safeguard_form_says_when_the_48_hour_clock_starts(personas):
    import_csv(personas.officer_a, custody_csv([person_row(release_datetime=uk(arrest_time() + timedelta(hours=3)))]))
    released = CustodyImportRow.objects.get()
    page = personas.client("officer_a").get(reverse("custody:row_safeguard", args=[released.pk])).content.decode()
    assert "The 48-hour checklist starts <strong>now</strong>" in page
    import_csv(personas.officer_a, custody_csv([person_row(custody_number="WS/7/25")]))
    held = CustodyImportRow.objects.get(custody_number="WS/7/25")
    page = personas.client("officer_a").get(reverse("custody:row_safeguard", args=[held.pk])).content.decode()
    assert "Still in custody: the 48-hour checklist starts when the release is recorded" in page
