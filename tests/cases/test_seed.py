import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, YoungPerson
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_cases_is_idempotent():
    call_command("seed_demo")
    call_command("seed_demo_cases")
    people, cases = YoungPerson.objects.count(), Case.objects.count()
    assert people >= 10 and cases >= 10
    call_command("seed_demo_cases")
    assert (YoungPerson.objects.count(), Case.objects.count()) == (people, cases)


def test_seed_demo_cases_refuses_a_database_with_real_users():
    call_command("seed_demo")
    UserFactory(email="real.person@force.example")
    with pytest.raises(CommandError, match="non-demo users"):
        call_command("seed_demo_cases")
    call_command("seed_demo_cases", "--if-empty")
    assert not YoungPerson.objects.exists()


def test_seed_demo_cases_needs_the_demo_force():
    with pytest.raises(CommandError, match="run `python manage.py seed_demo` first"):
        call_command("seed_demo_cases")
