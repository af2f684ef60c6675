"""Break glass: time-limited, justified access to a person outside one's scope, and its review."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.core.time import add_elapsed
from safeguarding.notifications.services import notification_send

from ..models import (
    BreakGlassAccess,
    YoungPerson,
)
from ._common import Action


@transaction.atomic
def break_glass_grant(
    *, actor: User, person: YoungPerson, justification: str, request: HttpRequest | None = None
) -> BreakGlassAccess:
    """Time-limited access to a person outside the actor's scope, with a written reason;
    audited as break_glass and listed for supervisors to review."""
    require_editor(actor)
    justification = (justification or "").strip()
    minimum = settings.BREAK_GLASS_MIN_JUSTIFICATION
    if len(justification) < minimum:
        raise ValidationError({"justification": f"Explain why you need access in at least {minimum} characters."})
    if person.is_merged:
        person = cast(YoungPerson, person.merged_into)  # is_merged: merged_into is set
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        user=actor,
        person=person,
        justification=justification,
        granted_at=now,
        expires_at=add_elapsed(now, timedelta(hours=settings.BREAK_GLASS_HOURS)),
    )
    audit_record(
        action=Action.BREAK_GLASS,
        actor=actor,
        request=request,
        obj=person,
        summary=f"Broke glass to {person.reference} until {timezone.localtime(access.expires_at):%d/%m/%Y %H:%M}",
        justification=justification,
        detail={"access": access.pk},
    )
    review_url = reverse("cases:break_glass_review")
    for supervisor in actor.team.supervisors.filter(is_active=True) if actor.team is not None else []:
        notification_send(
            user=supervisor,
            subject=f"{actor.full_name} used break-glass access to {person.reference}",
            url=review_url,
            kind="break_glass",
        )
    return access


@transaction.atomic
def break_glass_review(
    *, actor: User, access: BreakGlassAccess, note: str = "", request: HttpRequest | None = None
) -> BreakGlassAccess:
    if actor.role != User.Role.SUPERVISOR:
        raise PermissionDenied("Only supervisors review break-glass access.")
    current = BreakGlassAccess.objects.select_for_update().get(pk=access.pk)
    if current.reviewed_at is not None:
        raise ValidationError("This access has already been reviewed.")
    current.reviewed_at = timezone.now()
    current.reviewed_by = actor
    current.review_note = note.strip()
    current.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        request=request,
        obj=current,
        summary=f"Break-glass access to {current.person.reference} reviewed",
        detail={"person": current.person_id, "user": current.user_id},
    )
    return current
