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
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db

REASON = "Arrested overnight in our area; need the safeguarding history before interview."


def test_breaking_glass_gives_audited_time_limited_access(personas):
    case = CaseFactory(owner=personas.officer_a)
    person = case.person
    client = personas.client("officer_b")
    assert client.get(reverse("cases:person_detail", args=[person.pk])).status_code == 404
    page = client.get(reverse("cases:break_glass", args=[person.pk])).content.decode()
    assert person.given_name not in page
    assert "Team A" in page and "Alice Officer" in page
    response = client.post(reverse("cases:break_glass", args=[person.pk]), {"justification": REASON})
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
        reverse("cases:break_glass", args=[person.pk]), {"justification": "need it"}
    )
    assert "in at least 30 characters" in response.content.decode()
    assert "need it" in response.content.decode()
    assert not BreakGlassAccess.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_supervisors_list_and_review_break_glass(personas):
    person = CaseFactory(owner=personas.officer_a).person
    personas.client("officer_b").post(reverse("cases:break_glass", args=[person.pk]), {"justification": REASON})
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
    personas.client("officer_b").post(reverse("cases:break_glass", args=[person.pk]), {"justification": REASON})
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
    personas.client("officer_b").post(reverse("cases:break_glass", args=[person.pk]), {"justification": REASON})
    personas.client("officer_b").get(reverse("cases:person_detail", args=[person.pk]))
    page = personas.client("supervisor").get(reverse("cases:person_viewers", args=[person.pk])).content.decode()
    assert "Broke glass" in page and REASON in page and personas.officer_b.email in page
