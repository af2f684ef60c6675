"""Writing the audit log. Call inside the transaction of the action being recorded."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest

from .models import AuditEvent

Action = AuditEvent.Action


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def object_label(obj: models.Model | type[models.Model] | str) -> str:
    if isinstance(obj, str):
        return obj
    return obj._meta.label_lower


def audit_record(
    *,
    action: str,
    actor: Any = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    summary: str = "",
    recipient: str = "",
    justification: str = "",
    detail: dict | None = None,
    actor_email: str = "",
) -> AuditEvent:
    """Append one row to the s62 log. Raises if the row cannot be written, so the
    caller's transaction (and with it the action) fails too."""
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or object_label(obj)
        object_id = object_id or obj.pk
    return AuditEvent.objects.create(
        actor_id=actor.pk if actor else None,
        actor_email=actor.email if actor else actor_email,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id not in (None, "") else "",
        summary=summary[:255],
        recipient=recipient[:255],
        justification=justification,
        ip_address=client_ip(request),
        detail=detail or {},
    )
