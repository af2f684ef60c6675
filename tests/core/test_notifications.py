"""In-app notifications: sent by later features, counted in the header."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from safeguarding.notifications.models import Notification
from safeguarding.notifications.services import notification_send, notifications_mark_read

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def header_count(response) -> int | None:
    match = re.search(
        rb'<span class="app-header-count">(\d+)<span class="govuk-visually-hidden"> unread', response.content
    )
    return int(match.group(1)) if match else None


def test_send_with_a_dedupe_key_sends_once(personas):
    first = notification_send(user=personas.officer_a, subject="Checklist item due", dedupe_key="checklist:1:due")
    second = notification_send(user=personas.officer_a, subject="Checklist item due", dedupe_key="checklist:1:due")
    assert first is not None
    assert second is None
    assert Notification.objects.filter(user=personas.officer_a).count() == 1


def test_send_without_a_key_sends_every_time(personas):
    notification_send(user=personas.officer_a, subject="One")
    notification_send(user=personas.officer_a, subject="One")
    assert Notification.objects.filter(user=personas.officer_a).count() == 2


def test_a_duplicate_key_does_not_break_the_callers_transaction(personas):
    from django.db import transaction

    with transaction.atomic():
        notification_send(user=personas.officer_a, subject="A", dedupe_key="k")
        notification_send(user=personas.officer_a, subject="A", dedupe_key="k")
        notification_send(user=personas.officer_a, subject="B")
    assert Notification.objects.count() == 2


def test_unread_count_appears_in_the_header(personas):
    client = personas.client("officer_a")
    assert header_count(client.get(reverse("core:home"))) is None
    for i in range(3):
        notification_send(user=personas.officer_a, subject=f"Note {i}")
    assert header_count(client.get(reverse("core:home"))) == 3


def test_mark_all_read_clears_the_count(personas):
    for i in range(2):
        notification_send(user=personas.officer_a, subject=f"Note {i}")
    client = personas.client("officer_a")
    response = client.post(reverse("notifications:mark_read"))
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not Notification.objects.filter(user=personas.officer_a, read_at__isnull=True).exists()
    page = client.get(LIST)
    assert header_count(page) is None
    assert b"2 notifications marked as read." in page.content


def test_mark_all_read_leaves_other_users_notifications_alone(personas):
    notification_send(user=personas.officer_a, subject="Mine")
    theirs = notification_send(user=personas.officer_b, subject="Theirs")
    personas.client("officer_a").post(reverse("notifications:mark_read"))
    theirs.refresh_from_db()
    assert theirs.is_unread


def test_a_user_never_sees_another_users_notifications(personas):
    notification_send(user=personas.officer_a, subject="For Alice only: case 42 update")
    notification_send(user=personas.officer_b, subject="For Bob")
    client = personas.client("officer_b")
    page = client.get(LIST)
    assert b"For Bob" in page.content
    assert b"For Alice only" not in page.content
    assert header_count(page) == 1


def test_the_list_shows_newest_first_and_marks_unread(personas):
    notification_send(user=personas.officer_a, subject="Older")
    notification_send(user=personas.officer_a, subject="Newer")
    notifications_mark_read(user=personas.officer_a, ids=[Notification.objects.get(subject="Older").pk])
    html = personas.client("officer_a").get(LIST).content.decode()
    assert html.index("Newer") < html.index("Older")
    assert html.count(">Unread<") == 1


def test_the_list_has_bounded_queries(personas, django_assert_max_num_queries):
    for i in range(40):
        notification_send(user=personas.officer_a, subject=f"Note {i}")
    client = personas.client("officer_a")
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 25
