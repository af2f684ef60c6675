"""Every view, list, search, create and update writes its audit row; supervisors see who viewed."""

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db


def _rows(**filters):
    return AuditEvent.objects.filter(**filters)


def test_reads_are_audited(personas):
    case = CaseFactory(owner=personas.officer_a)
    client = personas.client("officer_a")
    client.get(reverse("cases:person_detail", args=[case.person.pk]))
    client.get(reverse("cases:case_detail", args=[case.pk]))
    client.get(reverse("cases:case_list"))
    client.get(reverse("cases:person_changes", args=[case.person.pk]))
    assert _rows(action="view", object_type="cases.youngperson", object_id=str(case.person.pk)).count() == 2
    assert _rows(action="view", object_type="cases.case", object_id=str(case.pk)).exists()
    assert _rows(action="list", object_type="cases.case", actor_email=personas.officer_a.email).exists()


def test_search_create_and_update_are_audited(personas):
    client = personas.client("officer_a")
    client.post(reverse("cases:search"), {"name": "Nobody Atall"})
    assert _rows(action="search", detail__name="Nobody Atall").exists()
    response = client.post(
        reverse("cases:person_create"),
        {
            "given_name": "Audit",
            "family_name": "Testperson",
            "estimated_age": "15",
            "gender": "male",
            "looked_after_status": "not_known",
            "education_status": "not_known",
            "duplicates_checked": "True",
        },
    )
    person_id = response["Location"].rstrip("/").split("/")[-1]
    assert _rows(action="create", object_type="cases.youngperson", object_id=person_id).exists()
    response = client.post(
        reverse("cases:case_create", args=[person_id]),
        {
            "owner": personas.officer_a.pk,
            "exploitation_types": ["cce"],
            "risk_level": "medium",
            "risk_rationale": "Found with a bag of phones.",
            "how_identified": "custody_review",
        },
    )
    case_id = response["Location"].rstrip("/").split("/")[-1]
    assert _rows(action="create", object_type="cases.case", object_id=case_id).exists()
    client.post(
        reverse("cases:case_edit", args=[case_id]),
        {
            "exploitation_types": ["cce", "county_lines"],
            "risk_level": "medium",
            "risk_rationale": "Found with a bag of phones.",
            "how_identified": "custody_review",
            "version": "1",
        },
    )
    update = _rows(action="update", object_type="cases.case", object_id=case_id).get()
    assert update.detail["fields"] == ["exploitation_types"]


def test_supervisor_sees_who_viewed_the_record(personas):
    case = CaseFactory(owner=personas.officer_a)
    personas.client("officer_a2").get(reverse("cases:case_detail", args=[case.pk]))
    personas.client("officer_b").get(reverse("cases:person_detail", args=[case.person.pk]))  # refused: 404
    page = personas.client("supervisor").get(reverse("cases:person_viewers", args=[case.person.pk])).content.decode()
    assert personas.officer_a2.email in page
    assert personas.officer_b.email in page and "Refused" in page
    assert personas.client("officer_a").get(reverse("cases:person_viewers", args=[case.person.pk])).status_code == 403


def test_the_home_page_writes_one_row_naming_the_cases_and_tasks_it_lists(personas):
    from tests.factories.cases import TaskFactory

    mine = CaseFactory(owner=personas.officer_a)
    task = TaskFactory(case=mine)
    CaseFactory(owner=personas.officer_b)  # not on officer_a's home page
    personas.client("officer_a").get(reverse("core:home"))
    [row] = _rows(action="list", object_type="core.home", actor_email=personas.officer_a.email)
    assert row.detail["shown"] == {"cases.case": [mine.pk], "cases.task": [task.pk]}


def test_a_home_page_with_nothing_listed_writes_no_row(personas):
    personas.client("officer_a").get(reverse("core:home"))
    assert not _rows(object_type="core.home").exists()


def test_the_merge_page_names_what_it_showed(personas):
    person = CaseFactory(owner=personas.officer_a).person
    personas.client("supervisor").get(reverse("cases:person_merge", args=[person.pk]))
    row = _rows(action="view", object_id=str(person.pk), actor_email=personas.supervisor.email).get()
    assert "opened to merge" in row.summary and row.detail == {"suggested": []}
