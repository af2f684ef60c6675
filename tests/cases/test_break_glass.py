"""Break glass: a written justification gives time-limited access, is audited and reviewed."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases.models import BreakGlassAccess
from cases.selectors import cases_visible_to, people_visible_to
from safeguarding.audit.models import AuditEvent
from safeguarding.notifications.models import Notification
from tests.factories import UserFactory
from tests.factories.cases import CaseFactory, break_glass_url

pytestmark = pytest.mark.django_db

REASON = "Arrested overnight in our area; need the safeguarding history before interview."


def test_breaking_glass_gives_audited_time_limited_access(personas):
    case = CaseFactory(owner=personas.officer_a)
    person = case.person
    client = personas.client("officer_b")
    assert client.get(reverse("cases:person_detail", args=[person.pk])).status_code == 404
    page = client.get(break_glass_url(personas.officer_b, person)).content.decode()
    assert person.given_name not in page
    assert "Team A" in page and "Alice Officer" in page
    response = client.post(break_glass_url(personas.officer_b, person), {"justification": REASON})
    assert response.status_code == 302
    assert client.get(reverse("cases:person_detail", args=[person.pk])).status_code == 200
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    event = AuditEvent.objects.get(action="break_glass")
    assert (event.actor_email, event.object_id, event.justification) == (
        personas.officer_b.email,
        str(person.pk),
        REASON,
    )
    access = BreakGlassAccess.objects.get()
    assert access.expires_at - access.granted_at == timedelta(hours=24)
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        assert not people_visible_to(personas.officer_b).filter(pk=person.pk).exists()
        assert not cases_visible_to(personas.officer_b).filter(pk=case.pk).exists()


def test_short_justification_is_refused(personas):
    person = CaseFactory(owner=personas.officer_a).person
    response = personas.client("officer_b").post(
        break_glass_url(personas.officer_b, person), {"justification": "need it"}
    )
    assert "in at least 30 characters" in response.content.decode()
    assert "need it" in response.content.decode()
    assert not BreakGlassAccess.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_supervisors_list_and_review_break_glass(personas):
    person = CaseFactory(owner=personas.officer_a).person
    personas.client("officer_b").post(break_glass_url(personas.officer_b, person), {"justification": REASON})
    client = personas.client("supervisor")
    page = client.get(reverse("cases:break_glass_review")).content.decode()
    assert "Bob Officer" in page and REASON in page
    access = BreakGlassAccess.objects.get()
    response = client.post(reverse("cases:break_glass_reviewed", args=[access.pk]), {"note": "Checked with Bob: fine."})
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.reviewed_by == personas.supervisor and access.review_note == "Checked with Bob: fine."
    assert AuditEvent.objects.filter(action="update", object_type="cases.breakglassaccess").exists()
    home = client.get(reverse("core:home")).content.decode()
    assert "Nothing to review" in home


def test_supervisor_of_the_users_team_is_notified(personas):
    supervisor_b = UserFactory(role="supervisor", team=None, supervises=[personas.team_b])
    person = CaseFactory(owner=personas.officer_a).person
    personas.client("officer_b").post(break_glass_url(personas.officer_b, person), {"justification": REASON})
    assert Notification.objects.filter(user=supervisor_b, kind="break_glass").exists()
    page = personas.client("supervisor").get(reverse("core:home")).content.decode()
    assert "1 to review" in page


def test_unrelated_supervisor_cannot_review(personas):
    other_team_person = CaseFactory(owner=personas.officer_b).person
    outsider = UserFactory(role="officer", team=personas.team_b)
    access = BreakGlassAccess.objects.create(
        user=outsider, person=other_team_person, justification=REASON, expires_at=timezone.now() + timedelta(hours=1)
    )
    response = personas.client("supervisor").post(reverse("cases:break_glass_reviewed", args=[access.pk]))
    assert response.status_code == 404


def test_break_glass_access_shows_in_who_viewed(personas):
    person = CaseFactory(owner=personas.officer_a).person
    personas.client("officer_b").post(break_glass_url(personas.officer_b, person), {"justification": REASON})
    personas.client("officer_b").get(reverse("cases:person_detail", args=[person.pk]))
    page = personas.client("supervisor").get(reverse("cases:person_viewers", args=[person.pk])).content.decode()
    assert "Broke glass" in page and REASON in page and personas.officer_b.email in page


# --- Reached only through a signed, short-lived reference from a search result ----------


def _refused(client, url) -> bool:
    before = AuditEvent.objects.filter(action="access_denied").count()
    response = client.get(url)
    return response.status_code == 404 and AuditEvent.objects.filter(action="access_denied").count() == before + 1


def test_a_bare_record_number_does_not_reach_the_break_glass_page(personas):
    person = CaseFactory(owner=personas.officer_a).person
    client = personas.client("officer_b")
    assert _refused(client, f"/people/break-glass/{person.pk}/")
    page = client.get(f"/people/break-glass/{person.pk}/").content.decode()
    assert "Team A" not in page and "Alice Officer" not in page


def test_a_forged_or_altered_reference_is_not_found(personas):
    from django.core import signing

    person = CaseFactory(owner=personas.officer_a).person
    client = personas.client("officer_b")
    good = break_glass_url(personas.officer_b, person)
    assert _refused(client, good[:-3] + "xx/")
    forged = signing.dumps([person.pk, personas.officer_b.pk], salt="something else")
    assert _refused(client, reverse("cases:break_glass", args=[forged]))


def test_a_reference_issued_to_someone_else_is_not_found(personas):
    person = CaseFactory(owner=personas.officer_a).person
    someone_else = UserFactory(role="officer", team=personas.team_b)
    from tests.conftest import verified_client

    assert _refused(verified_client(someone_else), break_glass_url(personas.officer_b, person))


def test_a_reference_expires(personas, settings):
    settings.BREAK_GLASS_REFERENCE_MINUTES = 30
    person = CaseFactory(owner=personas.officer_a).person
    url = break_glass_url(personas.officer_b, person)
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert personas.client("officer_b").get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        client = personas.client("officer_b")
        assert _refused(client, url)
        assert client.post(url, {"justification": REASON}).status_code == 404
    assert not BreakGlassAccess.objects.exists()


def test_every_view_of_the_break_glass_page_is_audited(personas):
    person = CaseFactory(owner=personas.officer_a).person
    client = personas.client("officer_b")
    url = break_glass_url(personas.officer_b, person)
    for _ in range(2):
        assert client.get(url).status_code == 200
    views = AuditEvent.objects.filter(action="view", object_id=str(person.pk), actor_email=personas.officer_b.email)
    assert views.count() == 2
    assert all("Break-glass page" in e.summary for e in views)


# --- Break glass grants reading only ------------------------------------------------------


@pytest.fixture
def broken_into(personas):
    """officer_b has broken glass to a young person and case of officer_a's team."""
    from tests.factories.cases import AliasFactory, MissingEpisodeFactory, TaskFactory

    case = CaseFactory(owner=personas.officer_a)
    person = case.person
    personas.client("officer_b").post(break_glass_url(personas.officer_b, person), {"justification": REASON})
    assert BreakGlassAccess.objects.filter(user=personas.officer_b, person=person).exists()
    return {
        "person": person,
        "case": case,
        "alias": AliasFactory(person=person),
        "task": TaskFactory(case=case),
        "episode": MissingEpisodeFactory(case=case),
    }


EDITS = [
    ("cases:person_edit", "person"),
    ("cases:philomena_edit", "person"),
    ("cases:case_create", "person"),
    ("cases:case_edit", "case"),
    ("cases:case_status", "case"),
    ("cases:case_links", "case"),
    ("cases:associate_add", "case"),
    ("cases:task_add", "case"),
    ("cases:voice_add", "case"),
    ("cases:missing_add", "case"),
    ("cases:entry_add", "case"),
    ("cases:missing_edit", "episode"),
]


@pytest.mark.parametrize("name,on", EDITS)
def test_break_glass_does_not_open_an_edit_form_or_accept_one(personas, broken_into, name, on):
    client = personas.client("officer_b")
    url = reverse(name, args=[broken_into[on].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"given_name": "Changed", "text": "Changed", "reason": "Changed"}).status_code == 403
    # Their own team's officer still can.
    assert personas.client("officer_a").get(url).status_code == 200


@pytest.mark.parametrize("name,on", [("cases:alias_remove", "alias"), ("cases:task_complete", "task")])
def test_break_glass_cannot_remove_a_name_or_complete_a_task(personas, broken_into, name, on):
    assert personas.client("officer_b").post(reverse(name, args=[broken_into[on].pk])).status_code == 403
    broken_into["alias"].refresh_from_db()
    broken_into["task"].refresh_from_db()
    assert broken_into["task"].completed_at is None


def test_break_glass_shows_names_without_the_add_a_name_form(personas, broken_into):
    client = personas.client("officer_b")
    url = reverse("cases:person_aliases", args=[broken_into["person"].pk])
    response = client.get(url)
    assert response.status_code == 200 and response.context["form"] is None
    assert client.post(url, {"name": "New name", "kind": "nickname"}).status_code == 403
    assert personas.client("officer_a").get(url).context["form"] is not None


def test_pages_reached_through_break_glass_offer_no_changes(personas, broken_into):
    person, case = broken_into["person"], broken_into["case"]
    client = personas.client("officer_b")
    person_page = client.get(reverse("cases:person_detail", args=[person.pk]))
    case_page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert person_page.context["can_edit"] is False
    assert case_page.context["can_edit"] is False and case_page.context["transitions"] == []
    assert reverse("cases:person_edit", args=[person.pk]) not in person_page.content.decode()
    assert reverse("cases:case_edit", args=[case.pk]) not in case_page.content.decode()
    assert personas.client("officer_a").get(reverse("cases:case_detail", args=[case.pk])).context["can_edit"]
