from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import SavedForm, WorkerHeartbeat


@transaction.atomic
def heartbeat_record(*, name: str) -> WorkerHeartbeat:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(name=name).update(last_seen=now, beats=F("beats") + 1)
    if not updated:
        WorkerHeartbeat.objects.get_or_create(name=name, defaults={"last_seen": now, "beats": 1})
    return WorkerHeartbeat.objects.get(name=name)


@transaction.atomic
def housekeeping_run() -> dict[str, int]:
    """Delete expired sessions, session-tracking rows whose session is gone, and
    saved forms nobody came back for within the absolute session limit (they may
    hold personal data typed before a session ran out)."""
    from django.conf import settings
    from django.contrib.sessions.models import Session

    from safeguarding.accounts.models import UserSession

    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    tracked, _ = UserSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
    forms, _ = SavedForm.objects.filter(created_at__lt=now - settings.SESSION_ABSOLUTE_LIMIT).delete()
    return {"sessions": sessions, "session_tracking": tracked, "saved_forms": forms}
