"""Searching for young people and creating records are rate-limited per user (429 beyond)."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from cases.models import Case, Task, YoungPerson
from tests.factories.cases import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

T0 = datetime.fromisoformat("2025-06-02 09:00:00+00:00")
TOO_MANY = "You have tried this too many times"


@pytest.fixture(autouse=True)
def rates(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "person_search": "3/h", "record_create": "2/h"}


@time_machine.travel(T0, tick=False)
def test_person_search_is_limited_per_user(personas):
    client = personas.client("officer_a")
    url = reverse("cases:search")
    answers = [client.post(url, {"name": "Testwood"}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert TOO_MANY in client.post(url, {"name": "Testwood"}).content.decode()
    assert client.get(url).status_code == 200  # the empty form is not counted
    assert personas.client("officer_a2").post(url, {"name": "Testwood"}).status_code == 200


def _person(n: int) -> dict:
    return {
        "given_name": f"Quill{n}",
        "family_name": f"Zebedee{n}",
        "gender": "not_known",
        "date_of_birth_0": "3",
        "date_of_birth_1": "4",
        "date_of_birth_2": "2010",
        "duplicates_checked": "True",
    }


@time_machine.travel(T0, tick=False)
def test_person_create_is_limited_per_user(personas):
    client = personas.client("officer_a")
    url = reverse("cases:person_create")
    answers = [client.post(url, _person(n)).status_code for n in range(3)]
    assert answers[2] == 429, answers
    assert YoungPerson.objects.filter(given_name__startswith="Quill").count() <= 2


@time_machine.travel(T0, tick=False)
def test_case_create_is_limited_per_user(personas):
    person = YoungPersonFactory(created_by=personas.officer_a, created_by_team=personas.team_a)
    client = personas.client("officer_a")
    url = reverse("cases:case_create", args=[person.pk])
    answers = [client.post(url, {}).status_code for _ in range(3)]
    assert answers[2] == 429
    assert TOO_MANY in client.post(url, {}).content.decode()
    assert not Case.objects.filter(person=person).exists()


@time_machine.travel(T0, tick=False)
@pytest.mark.parametrize("name", ["associate_add", "task_add", "voice_add", "missing_add", "entry_add"])
def test_case_record_creation_is_limited_per_user(personas, name):
    case = CaseFactory(owner=personas.officer_a)
    client = personas.client("officer_a")
    url = reverse(f"cases:{name}", args=[case.pk])
    answers = [client.post(url, {}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert client.get(url).status_code == 200  # opening the form is not counted
    assert not Task.objects.filter(case=case).exists()
