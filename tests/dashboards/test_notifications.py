"""Notification preferences (email, or in the service only) and the supervisors' daily
digest: once per UK day per user, exactly once with two senders at the same time, no
personal data in the email, and each user's choice honoured."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse

from safeguarding.audit.models import AuditEvent
from safeguarding.notifications import digest
from safeguarding.notifications.models import DigestOutbox, Notification, NotificationPreference
from tests.conftest import make_personas
from tests.custody.clock.helpers import make_case, start_checklist

LONDON = ZoneInfo("Europe/London")
# A morning in summer time: 07:00 in London is 06:00 UTC.
MORNING = datetime(2026, 6, 10, 7, 0, tzinfo=LONDON)


def overdue_work(personas) -> None:
    case = make_case(owner=personas.officer_a)
    start_checklist(case=case, by=personas.officer_a, released_at=MORNING - timedelta(days=3))


def digests_to(user) -> list:
    return [m for m in mail.outbox if user.email in m.to and "Daily digest" in m.subject]


@pytest.mark.django_db
def test_the_digest_goes_once_per_uk_day_after_its_hour(personas):
    with time_machine.travel(MORNING - timedelta(days=4), tick=False):
        overdue_work(personas)
    supervisor = personas.supervisor
    with time_machine.travel(MORNING - timedelta(minutes=1), tick=False):
        digest.digest_send()
    assert not digests_to(supervisor)
    for minutes in (0, 5, 600):
        with time_machine.travel(MORNING + timedelta(minutes=minutes), tick=False):
            digest.digest_send()
    assert len(digests_to(supervisor)) == 1
    # Just after midnight UK time (23:05 UTC the day before), it is a new day, but not yet 07:00.
    with time_machine.travel(datetime(2026, 6, 11, 0, 5, tzinfo=LONDON), tick=False):
        digest.digest_send()
    assert len(digests_to(supervisor)) == 1
    with time_machine.travel(MORNING + timedelta(days=1), tick=False):
        digest.digest_send()
    assert len(digests_to(supervisor)) == 2
    assert Notification.objects.filter(user=supervisor, kind="daily_digest").count() == 2


@pytest.mark.django_db
def test_the_digest_counts_the_supervisors_teams_and_names_nobody(personas):
    with time_machine.travel(MORNING - timedelta(days=4), tick=False):
        overdue_work(personas)
        other = make_case(owner=personas.officer_b, given="Other")
        start_checklist(case=other, by=personas.officer_b, released_at=MORNING - timedelta(days=3))
    with time_machine.travel(MORNING, tick=False):
        lines = {line["label"]: line["count"] for line in digest.digest_lines(personas.supervisor, MORNING)}
        digest.digest_send()
    (message,) = digests_to(personas.supervisor)
    items = lines["48-hour checklist items overdue"]
    assert items > 0
    # Team B's overdue items are not counted: as many as one checklist of team A has.
    from custody.models import ChecklistItem

    team_a_overdue = ChecklistItem.objects.filter(
        checklist__case__team=personas.team_a, status="pending", due_at__lt=MORNING
    ).count()
    assert items == team_a_overdue
    assert f"48-hour checklist items overdue: {items}" in message.body
    for personal in ("Testwood", "Other", personas.officer_a.full_name):
        assert personal not in message.body and personal not in message.subject
    assert "/custody/clocks/" in message.body


@pytest.mark.django_db
def test_nothing_overdue_sends_no_digest(personas):
    with time_machine.travel(MORNING, tick=False):
        digest.digest_send()
    assert not digests_to(personas.supervisor)
    assert DigestOutbox.objects.get(user=personas.supervisor).skipped_reason == "Nothing overdue."


@pytest.mark.django_db
def test_in_the_service_only_keeps_the_digest_out_of_email(personas):
    with time_machine.travel(MORNING - timedelta(days=4), tick=False):
        overdue_work(personas)
    NotificationPreference.objects.create(user=personas.supervisor, kind="daily_digest", by_email=False)
    with time_machine.travel(MORNING, tick=False):
        digest.digest_send()
    assert not digests_to(personas.supervisor)
    assert Notification.objects.filter(user=personas.supervisor, kind="daily_digest").count() == 1


@pytest.mark.django_db
def test_the_preferences_page_saves_each_choice_and_audits_it(personas):
    client = personas.client("supervisor")
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    for label in ("48-hour checklist escalations", "Daily digest", "Overdue NRM Reasonable Grounds decisions"):
        assert label in page
    choices = {"checklist_reminder": "email", "checklist_escalation": "in_app", "nrm_rg_overdue": "email"}
    assert client.post(url, {**choices, "daily_digest": ""}).status_code == 200  # one unanswered: nothing saved
    assert not NotificationPreference.objects.exists()
    response = client.post(url, {**choices, "daily_digest": "in_app"})
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=personas.supervisor).values_list("kind", "by_email"))
    assert saved == {
        "checklist_reminder": True,
        "checklist_escalation": False,
        "nrm_rg_overdue": True,
        "daily_digest": False,
    }
    event = AuditEvent.objects.get(object_type="notifications.notificationpreference")
    assert event.detail["in_app_only"] == ["checklist_escalation", "daily_digest"]


@pytest.mark.django_db
def test_a_partner_has_nothing_to_choose(personas):
    page = personas.client("partner").get(reverse("notifications:preferences")).content.decode()
    assert "nothing to choose" in page


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_digest_exactly_once():
    personas = make_personas()
    with time_machine.travel(MORNING - timedelta(days=4), tick=False):
        overdue_work(personas)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def send() -> None:
        try:
            with time_machine.travel(MORNING, tick=False):
                barrier.wait(timeout=10)
                digest.digest_send()
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    assert len(digests_to(personas.supervisor)) == 1
    assert DigestOutbox.objects.filter(user=personas.supervisor).count() == 1
    assert Notification.objects.filter(user=personas.supervisor, kind="daily_digest").count() == 1
