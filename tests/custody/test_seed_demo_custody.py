import pytest
from django.core.management import CommandError, call_command

from custody.models import Checklist, CustodyEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_demo", stdout=None)
    call_command("seed_demo_cases")
    call_command("seed_demo_custody")


def test_demo_custody_events_start_running_clocks_once(capsys):
    seed()
    assert CustodyEvent.objects.count() == 3
    running = Checklist.objects.filter(status=Checklist.Status.RUNNING)
    # Released this morning and yesterday: running; remanded: clock not started.
    assert running.count() == 2
    assert not Checklist.objects.filter(custody_event__custody_number="WS/D0003/26").exists()

    call_command("seed_demo_custody")
    assert CustodyEvent.objects.count() == 3
    assert Checklist.objects.count() == 2


def test_demo_custody_refuses_a_database_with_real_users():
    UserFactory(is_demo=False)
    with pytest.raises(CommandError):
        call_command("seed_demo_custody")
    call_command("seed_demo_custody", if_empty=True)
    assert not CustodyEvent.objects.exists()
