from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from safeguarding.accounts.models import User

from .models import Notification


def notification_send(
    *, user: User, subject: str, body: str = "", url: str = "", kind: str = "general", dedupe_key: str | None = None
) -> Notification | None:
    """Create an in-app notification. With a dedupe_key, a second call with the same
    key creates nothing and returns None (exactly-once for reminders)."""
    if dedupe_key is None:
        return Notification.objects.create(user=user, subject=subject, body=body, url=url, kind=kind)
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, subject=subject, body=body, url=url, kind=kind, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(*, actor: User, by_email: dict[str, bool]) -> None:
    """Record the user's choice for each kind (email as well, or in the service only)."""
    from safeguarding.audit.models import AuditEvent
    from safeguarding.audit.services import audit_record

    from .models import NotificationPreference

    now = timezone.now()
    for kind, email in by_email.items():
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"by_email": email, "updated_at": now}
        )
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        object_type="notifications.notificationpreference",
        object_id=actor.pk,
        summary="Notification settings changed",
        detail={
            "by_email": sorted(k for k, v in by_email.items() if v),
            "in_app_only": sorted(k for k, v in by_email.items() if not v),
        },
    )
