"""Reassignment, tasks, the young person's voice, missing episodes, associates, lines and groups."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseAssignment, DealLine, MissingEpisode, PhilomenaProfile, Task
from cases.signals import case_reassigned
from safeguarding.audit.models import AuditEvent
from safeguarding.notifications.models import Notification
from tests.factories.cases import CaseFactory, DealLineFactory, TaskFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def test_supervisor_reassigns_a_case_and_the_new_owner_is_notified(personas):
    case = CaseFactory(owner=personas.officer_a)
    task = TaskFactory(case=case)
    received = []
    case_reassigned.connect(lambda **kw: received.append(kw), weak=False, dispatch_uid="test-reassign")
    try:
        response = personas.client("supervisor").post(
            reverse("cases:case_reassign", args=[case.pk]),
            {"new_owner": personas.officer_a2.pk, "reason": "Alice on leave."},
        )
    finally:
        case_reassigned.disconnect(dispatch_uid="test-reassign")
    assert response.status_code == 302
    case.refresh_from_db()
    task.refresh_from_db()
    assert case.owner == personas.officer_a2 and task.assignee == personas.officer_a2
    assignment = CaseAssignment.objects.get()
    assert (assignment.from_owner, assignment.to_owner, assignment.by) == (
        personas.officer_a,
        personas.officer_a2,
        personas.supervisor,
    )
    note = Notification.objects.get(user=personas.officer_a2, kind="case_assigned")
    assert note.url == case.get_absolute_url() and note.body == "Alice on leave."
    assert AuditEvent.objects.filter(action="update", summary__contains="reassigned").exists()
    assert received and received[0]["to_owner"] == personas.officer_a2


def test_officers_cannot_reassign(personas):
    case = CaseFactory(owner=personas.officer_a)
    response = personas.client("officer_a").post(
        reverse("cases:case_reassign", args=[case.pk]), {"new_owner": personas.officer_a2.pk}
    )
    assert response.status_code == 403


def test_tasks_overdue_stand_out_on_the_officers_home(personas):
    case = CaseFactory(owner=personas.officer_a)
    TaskFactory(case=case, title="Chase the school", due_at=timezone.now() - timedelta(hours=2))
    TaskFactory(case=case, title="Home visit", due_at=timezone.now() + timedelta(days=2))
    page = personas.client("officer_a").get(reverse("core:home")).content.decode()
    assert "1 overdue task" in page
    assert page.index("Chase the school") < page.index("Home visit")
    assert case.reference in page  # My cases


def test_adding_and_completing_a_task(personas):
    case = CaseFactory(owner=personas.officer_a)
    client = personas.client("officer_a")
    response = client.post(
        reverse("cases:task_add", args=[case.pk]),
        {"title": "Ring the social worker", "assignee": personas.officer_a2.pk, "due_at": "2030-01-01T09:00"},
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert Notification.objects.filter(user=personas.officer_a2, kind="case_task").exists()
    client.post(reverse("cases:task_complete", args=[task.pk]), {"note": "Done."})
    task.refresh_from_db()
    assert task.completed_by == personas.officer_a and task.completion_note == "Done."


def test_voice_missing_episode_and_associate_are_recorded(personas):
    case = CaseFactory(owner=personas.officer_a)
    client = personas.client("officer_a")
    today = timezone.localdate()
    client.post(
        reverse("cases:voice_add", args=[case.pk]),
        {
            "spoken_on_0": today.day,
            "spoken_on_1": today.month,
            "spoken_on_2": today.year,
            "account": "They made me hold it.",
            "wishes": "Move school.",
        },
    )
    client.post(
        reverse("cases:missing_add", args=[case.pk]),
        {
            "reported_missing_at": "2025-01-10T22:00",
            "missing_from": "Home",
            "reported_by": "Mother",
            "risk_grade": "high",
        },
    )
    client.post(
        reverse("cases:associate_add", args=[case.pk]),
        {"name": "'Bigs'", "relationship": "suspected_exploiter", "details": "Older male in a grey car."},
    )
    episode = MissingEpisode.objects.get()
    client.post(
        reverse("cases:missing_edit", args=[episode.pk]),
        {
            "reported_missing_at": "2025-01-10T22:00",
            "missing_from": "Home",
            "reported_by": "Mother",
            "risk_grade": "high",
            "found_at": "2025-01-11T08:30",
            "found_where": "Eastmere bus station",
            "found_by": "Eastmere patrol",
        },
    )
    episode.refresh_from_db()
    assert episode.found_where == "Eastmere bus station"
    page = client.get(reverse("cases:person_detail", args=[case.person.pk])).content.decode()
    assert "They made me hold it." in page and "Move school." in page
    assert "&#x27;Bigs&#x27;" in page
    case_page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "Eastmere bus station" in case_page


def test_other_young_people_on_the_same_line_are_shown_only_if_visible(personas):
    line = DealLineFactory(name="Blade line")
    mine = CaseFactory(owner=personas.officer_a)
    teammate = CaseFactory(
        owner=personas.officer_a2, person=YoungPersonFactory(given_name="Visible", family_name="Peer")
    )
    outsider = CaseFactory(owner=personas.officer_b, person=YoungPersonFactory(given_name="Hidden", family_name="Peer"))
    for case in (mine, teammate, outsider):
        case.deal_lines.add(line)
    page = personas.client("officer_a").get(reverse("cases:case_detail", args=[mine.pk])).content.decode()
    assert "Blade line" in page
    assert "Visible Peer" in page
    assert "Hidden" not in page
    assert "Other records held — contact Team B" in page


def test_linking_a_new_line_and_group(personas):
    case = CaseFactory(owner=personas.officer_a)
    personas.client("officer_a").post(
        reverse("cases:case_links", args=[case.pk]),
        {
            "new_deal_line_name": "Sunny line",
            "new_deal_line_phone": "07700 900202",
            "new_crime_group_name": "Eastmere Boys",
        },
    )
    line = DealLine.objects.get(name="Sunny line")
    assert line.crime_group.name == "Eastmere Boys"
    assert list(case.deal_lines.all()) == [line]
    assert list(case.crime_groups.values_list("name", flat=True)) == ["Eastmere Boys"]


def test_philomena_profile_is_kept(personas):
    case = CaseFactory(owner=personas.officer_a, person=YoungPersonFactory(looked_after_status="care_order"))
    client = personas.client("officer_a")
    page = client.get(reverse("cases:person_detail", args=[case.person.pk])).content.decode()
    assert "has no Philomena profile yet" in page
    client.post(
        reverse("cases:philomena_edit", args=[case.person.pk]),
        {"physical_description": "Tall; red coat.", "phone_numbers": "07700 900999"},
    )
    assert PhilomenaProfile.objects.get(person=case.person).phone_numbers == "07700 900999"
    assert "Tall; red coat." in client.get(reverse("cases:person_detail", args=[case.person.pk])).content.decode()


def test_aliases_added_and_removed(personas):
    case = CaseFactory(owner=personas.officer_a)
    client = personas.client("officer_a")
    client.post(reverse("cases:person_aliases", args=[case.person.pk]), {"name": "Smokey", "kind": "street_name"})
    alias = case.person.aliases.get()
    assert alias.name == "Smokey"
    client.post(reverse("cases:alias_remove", args=[alias.pk]))
    assert not case.person.aliases.exists()
    assert AuditEvent.objects.filter(action="update", detail__alias_removed=alias.pk).exists()


def test_associate_linked_to_a_young_person_on_the_system(personas):
    case = CaseFactory(owner=personas.officer_a)
    peer = CaseFactory(owner=personas.officer_a2).person
    outsider = CaseFactory(owner=personas.officer_b).person
    client = personas.client("officer_a")
    url = reverse("cases:associate_add", args=[case.pk])
    refused = client.post(url, {"name": "Someone", "relationship": "peer", "linked_reference": outsider.reference})
    assert "You cannot see a live record with that number" in refused.content.decode()
    assert (
        client.post(
            url, {"name": peer.full_name, "relationship": "peer", "linked_reference": peer.reference}
        ).status_code
        == 302
    )
    associate = case.associates.get()
    assert associate.linked_person == peer
    page = client.get(reverse("cases:person_detail", args=[case.person.pk])).content.decode()
    assert reverse("cases:person_detail", args=[peer.pk]) in page


def test_opening_a_form_page_is_audited(personas):
    case = CaseFactory(owner=personas.officer_a)
    personas.client("officer_a").get(reverse("cases:task_add", args=[case.pk]))
    assert AuditEvent.objects.filter(
        action="view", object_id=str(case.pk), summary__contains="add a task opened"
    ).exists()
