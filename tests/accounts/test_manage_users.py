"""Accounts are created by an admin (no self-registration); admins reset devices, audited."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Invitation, User
from safeguarding.audit.models import AuditEvent
from tests.accounts.flows import field_errors, is_verified
from tests.conftest import verified_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("accounts:manage_user_create")


def action_url(user, action: str) -> str:
    return reverse("accounts:manage_user_action", args=[user.pk, action])


@pytest.fixture
def admin(personas):
    return personas.client("admin")


def new_officer(personas, **overrides) -> dict:
    return {
        "full_name": "Noor Newstarter",
        "email": "Noor.Newstarter@Testshire.example",
        "job_title": "Detective Constable",
        "role": "officer",
        "agency": personas.force.pk,
        "team": personas.team_a.pk,
        **overrides,
    }


def test_admin_creates_an_account_and_the_user_is_emailed_a_link(personas, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(CREATE, new_officer(personas))
    user = User.objects.get(email="noor.newstarter@testshire.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:manage_user_detail", args=[user.pk])
    assert user.team == personas.team_a
    assert not user.has_usable_password()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "/activate/" in mail.outbox[0].body

    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_type="accounts.user")
    assert event.object_id == str(user.pk)
    assert event.actor_id == personas.admin.pk


def test_the_link_is_shown_to_the_admin_once(personas, admin):
    response = admin.post(CREATE, new_officer(personas), follow=True)
    assert b"/activate/" in response.content
    user = User.objects.get(email="noor.newstarter@testshire.example")
    again = admin.get(reverse("accounts:manage_user_detail", args=[user.pk]))
    assert b"/activate/" not in again.content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"team": ""}, "team", "Choose the officer's team"),
        ({"role": "partner", "team": ""}, "agency", "Partner users belong to a partner agency"),
        ({"role": "force_lead"}, "team", "Only officers belong to a team"),
        ({"role": "supervisor", "team": ""}, "supervised_teams", "Choose at least one team"),
        ({"email": "alice@testshire.example"}, "email", "already exists"),
    ],
)
def test_account_rules_are_checked(personas, admin, overrides, field, message):
    response = admin.post(CREATE, new_officer(personas, **overrides))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert not User.objects.filter(email="noor.newstarter@testshire.example").exists()


def test_a_partner_account_belongs_to_a_partner_agency(personas, admin):
    response = admin.post(CREATE, new_officer(personas, role="partner", team="", agency=personas.partner_agency.pk))
    assert response.status_code == 302
    assert User.objects.get(email="noor.newstarter@testshire.example").agency == personas.partner_agency


def test_reset_device_removes_the_authenticator_ends_sessions_and_issues_a_new_link(
    personas, admin, django_capture_on_commit_callbacks
):
    target = personas.officer_b
    old_link, _ = Invitation.issue(user=target, created_by=personas.admin)
    their_client = verified_client(target)
    key = their_client.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(action_url(target, "reset-device"))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not Session.objects.filter(session_key=key).exists()
    assert not is_verified(their_client)
    old_link.refresh_from_db()
    assert old_link.revoked_at is not None
    assert target.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).count() == 1
    assert mail.outbox[-1].to == [target.email]

    summaries = set(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(target.pk)).values_list(
            "summary", flat=True
        )
    )
    assert "Authenticator reset" in summaries


def test_after_a_device_reset_the_password_alone_does_not_get_in(personas, admin):
    admin.post(action_url(personas.officer_b, "reset-device"))
    client = Client()
    client.post(reverse("accounts:sign_in"), {"email": personas.officer_b.email, "password": "a-long-test-password-42"})
    # No authenticator: the code step signs them out again and sends them back.
    response = client.get(reverse("accounts:verify"))
    assert response["Location"] == reverse("accounts:sign_in")
    assert not is_verified(client)


def test_an_admin_cannot_disable_themself(personas, admin):
    response = admin.post(action_url(personas.admin, "disable"), follow=True)
    assert b"You cannot disable your own account" in response.content
    personas.admin.refresh_from_db()
    assert personas.admin.is_active


def test_an_unknown_action_is_404(personas, admin):
    assert admin.post(action_url(personas.officer_b, "promote")).status_code == 404


def test_other_roles_cannot_manage_accounts(personas):
    client = personas.client("supervisor")
    assert client.post(CREATE, new_officer(personas)).status_code == 403
    assert client.post(action_url(personas.officer_b, "disable")).status_code == 403
    personas.officer_b.refresh_from_db()
    assert personas.officer_b.is_active
    assert not User.objects.filter(email="noor.newstarter@testshire.example").exists()


def test_account_list_has_bounded_queries(personas, admin, django_assert_max_num_queries):
    for _ in range(30):
        UserFactory(team=personas.team_a, agency=personas.force)
    with django_assert_max_num_queries(15):
        response = admin.get(reverse("accounts:manage_user_list"))
    assert response.status_code == 200
