"""Sign-in, sign-out and failed sign-in are written to the audit log (DPA s62)."""

import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record

from .models import UserSession


@receiver(user_logged_in)
def on_signed_in(sender, request, user, **kwargs) -> None:
    now = time.time()
    request.session["signed_in_at"] = now
    request.session["last_seen"] = now
    if request.session.session_key is None:
        request.session.save()
    UserSession.objects.get_or_create(session_key=request.session.session_key, defaults={"user": user})
    audit_record(action=AuditEvent.Action.SIGN_IN, actor=user, request=request, summary="Password accepted")


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    email = (credentials.get("email") or credentials.get("username") or "").strip().lower()
    audit_record(
        action=AuditEvent.Action.SIGN_IN_FAILED,
        request=request,
        actor_email=email[:254],
        summary="Wrong email or password, or locked out",
    )
