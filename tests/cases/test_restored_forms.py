"""A chronology entry typed when the session ran out is given back after signing in again."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cases.models import ManualChronologyEntry
from safeguarding.core.forms import RESTORED_MESSAGE
from tests.accounts.flows import sign_in
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db


def test_entry_typed_after_the_timeout_comes_back_to_check_and_save(personas):
    with time_machine.travel(datetime.fromisoformat("2025-03-03 09:00:00+00:00"), tick=False) as clock:
        case = CaseFactory(owner=personas.officer_a)
        url = reverse("cases:entry_add", args=[case.pk])
        client = Client()
        sign_in(client, personas.officer_a)
        clock.shift(timedelta(minutes=20))
        typed = {"entry_type": "home_visit", "occurred_at": "2025-03-03T08:30", "text": "Long note typed before lunch."}
        response = client.post(url, typed)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
        assert not ManualChronologyEntry.objects.exists()
        clock.shift(timedelta(seconds=30))
        sign_in(client, personas.officer_a)
        page = client.get(url).content.decode()
        assert RESTORED_MESSAGE in page
        assert "Long note typed before lunch." in page
        assert not ManualChronologyEntry.objects.exists()
        assert client.post(url, typed).status_code == 302
        assert ManualChronologyEntry.objects.get().text == "Long note typed before lunch."
