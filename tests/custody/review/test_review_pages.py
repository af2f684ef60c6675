"""Roles on every custody review page (writes as well as reads), the queue, the home
panel and navigation. GETs of every URL are in tests/custody/matrix.py."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from custody.models import CustodyImport, CustodyImportRow, RowState
from tests.factories.cases import CaseFactory, YoungPersonFactory
from tests.factories.custody import (
    CustodyEventFactory,
    CustodyImportRowFactory,
    custody_csv,
    import_csv,
    person_row,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("persona", "status"), [("force_lead", 403), ("partner", 403), ("admin", 403)])
def test_only_officers_and_supervisors_upload(personas, persona, status):
    response = personas.client(persona).post(
        reverse("custody:import_upload"), {"file": upload(custody_csv([person_row()]))}
    )
    assert response.status_code == status
    assert not CustodyImport.objects.exists()


@pytest.mark.parametrize("persona", ["officer_a", "officer_b", "supervisor"])
def test_every_officer_and_supervisor_uploads_for_the_force(personas, persona):
    response = personas.client(persona).post(
        reverse("custody:import_upload"), {"file": upload(custody_csv([person_row()]))}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("view", ["row_safeguard", "row_already_known", "row_not_at_risk"])
@pytest.mark.parametrize(("persona", "status"), [("force_lead", 403), ("partner", 403), ("admin", 403)])
def test_read_only_and_outside_roles_cannot_decide(personas, view, persona, status):
    row = CustodyImportRowFactory(batch__uploaded_by=personas.officer_a)
    response = personas.client(persona).post(reverse(f"custody:{view}", args=[row.pk]), {"reason": "x"})
    assert response.status_code == status
    row.refresh_from_db()
    assert row.state == RowState.TO_REVIEW


def test_an_officer_of_another_team_reviews_the_force_wide_list(personas):
    import_csv(personas.officer_a, custody_csv([person_row()]))
    row = CustodyImportRow.objects.get()
    response = personas.client("officer_b").post(reverse("custody:row_not_at_risk", args=[row.pk]), {"reason": "Adult"})
    assert response.status_code == 302


def test_unknown_rows_and_lists_answer_404(personas):
    client = personas.client("officer_a")
    assert client.get(reverse("custody:row_detail", args=[999999])).status_code == 404
    assert client.get(reverse("custody:import_detail", args=[999999])).status_code == 404
    assert client.post(reverse("custody:row_not_at_risk", args=[999999]), {"reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"), [("force_lead", 403), ("partner", 403), ("admin", 403), ("officer_b", 404)]
)
def test_custody_events_are_recorded_only_on_cases_in_scope(personas, persona, status):
    case = CaseFactory(owner=personas.officer_a)
    response = personas.client(persona).post(
        reverse("custody:event_create", args=[case.pk]), {"arrested_at": "2025-01-01T10:00"}
    )
    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), [("force_lead", 403), ("partner", 403), ("officer_b", 404)])
def test_custody_events_are_edited_only_in_scope(personas, persona, status):
    event = CustodyEventFactory(case=CaseFactory(owner=personas.officer_a))
    response = personas.client(persona).post(reverse("custody:event_update", args=[event.pk]), {"notes": "x"})
    assert response.status_code == status


def test_the_force_lead_reads_the_queue_without_decision_buttons(personas):
    import_csv(personas.officer_a, custody_csv([person_row()]))
    row = CustodyImportRow.objects.get()
    client = personas.client("force_lead")
    page = client.get(reverse("custody:review")).content.decode()
    assert "Testwood" in page and "Upload a custody list" not in page
    page = client.get(reverse("custody:row_detail", args=[row.pk])).content.decode()
    assert reverse("custody:row_safeguard", args=[row.pk]) not in page


def test_the_queue_shows_reasons_as_tags_and_hides_other_teams_records(personas):
    person = YoungPersonFactory(given_name="Jaylen", family_name="Testwood")
    CaseFactory(owner=personas.officer_b, person=person)
    import_csv(personas.officer_a, custody_csv([person_row(date_of_birth=person.date_of_birth.isoformat())]))
    row = CustodyImportRow.objects.get()
    assert row.matched_person == person
    page = personas.client("officer_a").get(reverse("custody:review")).content.decode()
    assert f'<strong class="govuk-tag govuk-tag--red">{person.age} (juvenile under PACE)</strong>' in page
    assert "Matches a known young person" in page
    detail = personas.client("officer_a").get(reverse("custody:row_detail", args=[row.pk])).content.decode()
    assert person.reference not in detail  # out of scope: only who to contact
    assert "Team B" in detail
    detail = personas.client("officer_b").get(reverse("custody:row_detail", args=[row.pk])).content.decode()
    assert person.reference in detail


def test_the_queue_lists_in_a_fixed_number_of_queries(personas, django_assert_max_num_queries):
    import_csv(personas.officer_a, custody_csv([person_row(custody_number=f"WS/{i:05d}") for i in range(30)]))
    client = personas.client("officer_a")
    client.get(reverse("custody:review"))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("custody:review")).status_code == 200


def test_the_import_summary_lists_in_a_fixed_number_of_queries(personas, django_assert_max_num_queries):
    batch = import_csv(personas.officer_a, custody_csv([person_row(custody_number=f"WS/{i:05d}") for i in range(30)]))
    client = personas.client("officer_a")
    with django_assert_max_num_queries(25):
        assert client.get(reverse("custody:import_detail", args=[batch.pk])).status_code == 200


def test_the_home_panel_shows_what_is_left_today(personas):
    import_csv(personas.officer_a, custody_csv([person_row(), person_row(custody_number="WS/2", forenames="Kai")]))
    page = personas.client("officer_a").get(reverse("core:home")).content.decode()
    assert "Today&#x27;s custody review" in page or "Today's custody review" in page
    assert "<strong>2</strong> people left to review" in page
    row = CustodyImportRow.objects.first()
    personas.client("officer_a").post(reverse("custody:row_not_at_risk", args=[row.pk]), {"reason": "Adult"})
    page = personas.client("supervisor").get(reverse("core:home")).content.decode()
    assert "<strong>1</strong> person left to review; 1 decided today" in page


def test_navigation_offers_the_custody_review_to_readers_only(personas):
    for persona in ("officer_a", "supervisor", "force_lead"):
        assert 'href="/custody/"' in personas.client(persona).get(reverse("core:home")).content.decode()
    for persona in ("partner", "admin"):
        assert 'href="/custody/"' not in personas.client(persona).get(reverse("core:home")).content.decode()


def test_the_queue_lists_each_reason_tag_as_an_item_of_a_top_aligned_tag_list(personas):
    import re

    import_csv(personas.officer_a, custody_csv([person_row(date_of_birth="unknown")]))
    page = personas.client("officer_a").get(reverse("custody:review")).content.decode()
    (tags,) = re.findall(r'<ul class="govuk-list app-tag-list app-custody-reasons">(.*?)</ul>', page, re.S)
    items = re.findall(r"<li>(.*?)</li>", tags, re.S)
    assert len(items) >= 2  # "Check manually" first, then the reasons, one tag per item
    assert items[0] == '<strong class="govuk-tag govuk-tag--orange">Check manually</strong>'
    assert all(item.count("<strong") == 1 for item in items)
    assert "display-inline-block" not in tags
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    assert re.search(r"\.app-tag-list\{[^}]*display:flex[^}]*align-items:flex-start", css)


def test_the_queue_shows_the_offence_text_beside_the_markers_it_produced(personas):
    import_csv(
        personas.officer_a,
        custody_csv([person_row(offences="Being concerned in the supply of heroin contrary to s.4(3)(b) MDA 1971")]),
    )
    page = personas.client("officer_a").get(reverse("custody:review")).content.decode()
    assert "Being concerned in the supply of heroin contrary to s.4(3)(b) MDA 1971" in page
    assert '<strong class="govuk-tag govuk-tag--blue">Supplying Class A</strong>' in page


def test_each_queue_row_says_release_outcome_and_an_open_case_with_its_officer(personas):
    person = YoungPersonFactory(given_name="Jaylen", family_name="Testwood")
    case = CaseFactory(owner=personas.officer_a, person=person)
    rows = [
        person_row(date_of_birth=person.date_of_birth.isoformat()),
        person_row(custody_number="WS/2/25", surname="Remandee", outcome="Charged and remanded"),
        person_row(custody_number="WS/3/25", surname="Bailee", outcome="Bailed to return"),
    ]
    import_csv(personas.officer_a, custody_csv(rows))
    released = CustodyImportRow.objects.get(custody_number="WS/3/25")
    CustodyImportRow.objects.filter(pk=released.pk).update(released_at=released.arrested_at)
    page = personas.client("officer_a").get(reverse("custody:review")).content.decode()
    assert "Still in custody" in page and "Remanded" in page
    assert "Released " in page and ": Bailed" in page
    assert "Open case <a" in page and case.reference in page and personas.officer_a.full_name in page
