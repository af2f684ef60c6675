"""A request for a record outside one's scope answers 404 and writes `access_denied`."""

from __future__ import annotations

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.core.access import get_for_user_or_404

pytestmark = pytest.mark.django_db

DENIED = AuditEvent.Action.ACCESS_DENIED


def request_by(user, ip: str = "198.51.100.4"):
    request = RequestFactory().get("/anything/", REMOTE_ADDR=ip)
    SessionMiddleware(lambda r: None).process_request(request)
    request.user = user
    return request


def test_an_existing_record_outside_the_visible_set_is_404_and_audited(personas):
    visible = User.objects.filter(team=personas.team_a)
    with pytest.raises(Http404):
        get_for_user_or_404(request=request_by(personas.officer_a), visible=visible, pk=personas.officer_b.pk)

    event = AuditEvent.objects.get(action=DENIED)
    assert event.actor_id == personas.officer_a.pk
    assert event.actor_email == personas.officer_a.email
    assert event.object_type == "accounts.user"
    assert event.object_id == str(personas.officer_b.pk)
    assert event.ip_address == "198.51.100.4"


def test_a_record_that_does_not_exist_is_404_without_an_audit_row(personas):
    missing_pk = User.objects.order_by("-pk").first().pk + 1000
    with pytest.raises(Http404):
        get_for_user_or_404(request=request_by(personas.officer_a), visible=User.objects.all(), pk=missing_pk)
    assert not AuditEvent.objects.filter(action=DENIED).exists()


@pytest.mark.parametrize("pk", ["not-a-number", None, ""])
def test_a_malformed_id_is_404_without_an_audit_row(personas, pk):
    with pytest.raises(Http404):
        get_for_user_or_404(request=request_by(personas.officer_a), visible=User.objects.all(), pk=pk)
    assert not AuditEvent.objects.filter(action=DENIED).exists()


def test_a_visible_record_is_returned_without_a_refusal(personas):
    visible = User.objects.filter(team=personas.team_a)
    found = get_for_user_or_404(request=request_by(personas.officer_a), visible=visible, pk=personas.officer_a2.pk)
    assert found == personas.officer_a2
    assert not AuditEvent.objects.filter(action=DENIED).exists()


def test_a_missing_record_answers_the_service_404_page(personas):
    """The same page an out-of-scope record gets (Http404 from get_for_user_or_404)."""
    missing = personas.client("admin").get(reverse("accounts:manage_user_detail", args=[10**9]))
    assert missing.status_code == 404
    assert b'<h1 class="govuk-heading-xl">Page not found</h1>' in missing.content


def test_account_page_in_scope_for_an_admin_is_shown_and_logged_as_a_view(personas):
    response = personas.client("admin").get(reverse("accounts:manage_user_detail", args=[personas.officer_b.pk]))
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=DENIED).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_type="accounts.user")
    assert event.object_id == str(personas.officer_b.pk)
    assert event.actor_id == personas.admin.pk


def test_account_page_for_a_missing_account_is_404_without_a_refusal_row(personas):
    response = personas.client("admin").get(reverse("accounts:manage_user_detail", args=[10**9]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=DENIED).exists()


def test_account_page_is_refused_to_other_roles(personas):
    response = personas.client("officer_a").get(reverse("accounts:manage_user_detail", args=[personas.officer_b.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()
