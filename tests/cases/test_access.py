"""Per role, for every cases view: the owner and their team succeed, another team gets 404,
the supervisor of the team succeeds, the force lead reads but cannot change, partners and
admins see nothing (404 for records, 403 for pages)."""

import pytest
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from tests.cases.matrix import MATRIX, url_kwargs
from tests.factories.cases import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["officer_a", "officer_b", "supervisor", "force_lead", "partner", "admin"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_cases_url_answers_as_declared(personas, persona):
    kwargs = url_kwargs(personas)
    client = personas.client(persona)
    failures = []
    for name, expected in MATRIX.items():
        url = reverse(name, kwargs=kwargs.get(name, {}))
        status = client.get(url).status_code
        if status != expected[persona]:
            failures.append(f"{name} {url}: expected {expected[persona]}, got {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", ["anonymous", "unverified"])
def test_signed_out_and_unverified_users_are_sent_to_sign_in(personas, persona):
    kwargs = url_kwargs(personas)
    client = personas.client(persona)
    for name in MATRIX:
        assert client.get(reverse(name, kwargs=kwargs.get(name, {}))).status_code == 302, name


def test_same_team_officer_who_does_not_own_the_case_can_read_and_change_it(personas):
    kwargs = url_kwargs(personas)
    client = personas.client("officer_a2")
    for name, expected in MATRIX.items():
        if expected["officer_a"] in (200, 302) and name not in ("cases:person_create",):
            url = reverse(name, kwargs=kwargs.get(name, {}))
            assert client.get(url).status_code == expected["officer_a"], name


def test_officer_sees_a_case_assigned_to_them_in_another_team(personas):
    case = CaseFactory(owner=personas.officer_b)
    case.owner = personas.officer_a
    case.save()
    client = personas.client("officer_a")
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:person_detail", args=[case.person.pk])).status_code == 200


def test_out_of_scope_record_answers_404_and_is_audited_as_access_denied(personas):
    case = CaseFactory(owner=personas.officer_a)
    response = personas.client("officer_b").get(reverse("cases:case_detail", args=[case.pk]))
    assert response.status_code == 404
    denied = AuditEvent.objects.get(action="access_denied", object_type="cases.case")
    assert denied.object_id == str(case.pk)
    assert denied.actor_email == personas.officer_b.email


def test_person_without_a_case_is_visible_to_the_creating_team_only(personas):
    person = YoungPersonFactory(created_by=personas.officer_a, created_by_team=personas.team_a)
    url = reverse("cases:person_detail", args=[person.pk])
    assert personas.client("officer_a2").get(url).status_code == 200
    assert personas.client("supervisor").get(url).status_code == 200
    assert personas.client("officer_b").get(url).status_code == 404


def test_once_another_team_opens_a_case_the_creating_team_no_longer_sees_the_person(personas):
    person = YoungPersonFactory(created_by=personas.officer_a, created_by_team=personas.team_a)
    CaseFactory(person=person, owner=personas.officer_b)
    assert personas.client("officer_a").get(reverse("cases:person_detail", args=[person.pk])).status_code == 404
    assert personas.client("officer_b").get(reverse("cases:person_detail", args=[person.pk])).status_code == 200


def test_force_lead_cannot_post_changes(personas):
    case = CaseFactory(owner=personas.officer_a)
    client = personas.client("force_lead")
    response = client.post(reverse("cases:entry_add", args=[case.pk]), {"entry_type": "note", "text": "x"})
    assert response.status_code == 403
    response = client.post(reverse("cases:case_status", args=[case.pk]), {"to": "active"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "identified"
