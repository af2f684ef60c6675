"""Writes about accounts. Each is atomic and writes its audit row in the same transaction."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.notifications.emails import email_render

from .models import Agency, Invitation, Team, User, UserSession

Action = AuditEvent.Action


def activation_url(token: str) -> str:
    return settings.SITE_URL + reverse("accounts:activate", args=[token])


def sessions_end_for_user(*, user: User) -> int:
    """End every session of this user at once (disable, password reset, device reset)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return deleted


def _send_invitation_email(*, user: User, token: str) -> None:
    email = email_render(
        "invitation", {"user": user, "url": activation_url(token), "hours": settings.ACCOUNT_ACTIVATION_HOURS}
    )
    send_mail(subject=email.subject, message=email.body, from_email=None, recipient_list=[user.email])


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str,
    agency: Agency,
    team: Team | None = None,
    supervised_teams: list[Team] | None = None,
    job_title: str = "",
    request: HttpRequest | None = None,
    is_demo: bool = False,
) -> tuple[User, str]:
    """Create an account (no password yet) and a single-use activation link.
    Returns the user and the link's token, which is shown once and emailed."""
    user = User.objects.create_user(
        email=email,
        full_name=full_name,
        role=role,
        agency=agency,
        team=team if role == User.Role.OFFICER else None,
        job_title=job_title,
        is_staff=role == User.Role.ADMIN,
        is_demo=is_demo,
    )
    if role == User.Role.SUPERVISOR and supervised_teams:
        user.supervised_teams.set(supervised_teams)
    _, token = Invitation.issue(user=user, created_by=actor)
    audit_record(
        action=Action.CREATE,
        actor=actor,
        request=request,
        obj=user,
        summary=f"Account created ({user.get_role_display()})",
    )
    transaction.on_commit(lambda: _send_invitation_email(user=user, token=token))
    return user, token


@transaction.atomic
def invitation_reissue(*, actor: User, user: User, request: HttpRequest | None = None) -> str:
    now = timezone.now()
    user.invitations.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    _, token = Invitation.issue(user=user, created_by=actor)
    audit_record(action=Action.UPDATE, actor=actor, request=request, obj=user, summary="New activation link issued")
    transaction.on_commit(lambda: _send_invitation_email(user=user, token=token))
    return token


@transaction.atomic
def account_activate(*, invitation: Invitation, password: str, device: TOTPDevice, request: HttpRequest) -> User:
    """Complete activation: the link is spent, the password set, the device confirmed.
    The user is not signed in by this; they sign in with both factors next."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise ValueError("This activation link has already been used or has expired.")
    user = locked.user
    user.set_password(password)
    user.activated_at = timezone.now()
    user.save(update_fields=["password", "activated_at"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed", "last_t"])
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    sessions_end_for_user(user=user)
    audit_record(
        action=Action.UPDATE, actor=user, request=request, obj=user, summary="Account activated, authenticator enrolled"
    )
    return user


def pending_device_for(invitation: Invitation) -> TOTPDevice:
    """The unconfirmed authenticator shown on the activation page (stable across reloads)."""
    name = f"activation-{invitation.pk}"
    device = TOTPDevice.objects.filter(user=invitation.user, name=name, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=invitation.user, name=name, confirmed=False)
    return device


@transaction.atomic
def user_set_active(*, actor: User, user: User, active: bool, request: HttpRequest | None = None) -> User:
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        sessions_end_for_user(user=user)
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=user,
        summary="Account enabled" if active else "Account disabled",
    )
    return user


@transaction.atomic
def user_device_reset(*, actor: User, user: User, request: HttpRequest | None = None) -> str:
    """Remove the user's authenticators, end their sessions and issue a new
    single-use link with which they set a password and enrol a new one."""
    TOTPDevice.objects.filter(user=user).delete()
    sessions_end_for_user(user=user)
    audit_record(action=Action.UPDATE, actor=actor, request=request, obj=user, summary="Authenticator reset")
    return invitation_reissue(actor=actor, user=user, request=request)


@transaction.atomic
def password_reset_complete(*, user: User, request: HttpRequest) -> None:
    """After a password reset by email: MFA stays as it is; every session ends."""
    sessions_end_for_user(user=user)
    audit_record(action=Action.UPDATE, actor=user, request=request, obj=user, summary="Password reset by email link")


@transaction.atomic
def second_factor_verify(*, request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    # The key issued after the password step would otherwise become the fully
    # signed-in session: whoever learnt it between the two steps must not inherit it.
    old_key = request.session.session_key
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old_key).delete()
    UserSession.objects.get_or_create(session_key=request.session.session_key, defaults={"user": request.user})
    audit_record(action=Action.SIGN_IN, request=request, summary="Second factor accepted")


def second_factor_failed(*, request: HttpRequest) -> None:
    """A wrong, reused or throttled code is a failed sign-in (DPA s62), like a wrong password."""
    audit_record(action=Action.SIGN_IN_FAILED, request=request, summary="Second factor refused")


def sign_out(*, request: HttpRequest, reason: str = "user") -> None:
    user = request.user
    if user.is_authenticated:
        audit_record(action=Action.SIGN_OUT, actor=user, request=request, summary=reason)
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    logout(request)
