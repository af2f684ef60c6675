"""Who sees which referral. Officers: the referrals of the cases they may see. Partners:
the referrals sent to their own agency whose share is live (not revoked, not expired) —
read on every request, so a revoke or an expiry bites on the very next one."""

from __future__ import annotations

from django.db import models
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from cases.selectors import case_scope
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404

from .models import NRMReferral, Referral, ReferralStatus, Urgency
from .models.referrals import awaiting_answer_q


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    if not user.is_authenticated or user.role not in User.Role.case_readers():
        return Referral.objects.none()
    return Referral.objects.filter(case_scope(user, "case__"))


def referrals_shared_with(user: User) -> QuerySet[Referral]:
    if not user.is_authenticated or user.role != User.Role.PARTNER:
        return Referral.objects.none()
    return Referral.objects.filter(
        agency_id=user.agency_id, share_revoked_at__isnull=True, share_expires_at__gt=timezone.now()
    ).exclude(status=ReferralStatus.DRAFT)


def partner_home_list(user: User) -> list[Referral]:
    """Awaiting their answer first, then most urgent, then newest."""
    rank = models.Case(
        When(urgency=Urgency.IMMEDIATE, then=Value(0)),
        When(urgency=Urgency.URGENT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    awaiting = models.Case(
        When(awaiting_answer_q(), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(
        referrals_shared_with(user)
        .select_related("case")
        .annotate(awaiting_rank=awaiting, urgency_rank=rank)
        .order_by("awaiting_rank", "urgency_rank", "-sent_at", "-id")
    )


def referral_get_for_officer_or_404(*, request: AuthenticatedRequest, pk: int | str) -> Referral:
    visible = referrals_visible_to(request.user).select_related(
        "case", "case__person", "case__owner", "agency", "created_by"
    )
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def referral_get_for_partner_or_404(*, request: AuthenticatedRequest, pk: int | str) -> Referral:
    visible = referrals_shared_with(request.user).select_related(
        "case", "case__person", "case__owner", "agency", "created_by"
    )
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def nrm_visible_to(user: User) -> QuerySet[NRMReferral]:
    if not user.is_authenticated or user.role not in User.Role.case_readers():
        return NRMReferral.objects.none()
    return NRMReferral.objects.filter(case_scope(user, "case__"))


def nrm_get_or_404(*, request: AuthenticatedRequest, pk: int | str) -> NRMReferral:
    visible = nrm_visible_to(request.user).select_related(
        "case", "case__person", "case__team", "first_responder", "panel"
    )
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def referral_viewers(referral: Referral) -> QuerySet[AuditEvent]:
    """Who has seen this referral: its disclosure and every later view, newest first."""
    return AuditEvent.objects.filter(
        Q(action=AuditEvent.Action.VIEW) | Q(action=AuditEvent.Action.DISCLOSE),
        object_type="referrals.referral",
        object_id=str(referral.pk),
    ).order_by("-at", "-id")


def awaiting_answer_for_officer(user: User) -> list[Referral]:
    """The officer's sent referrals still waiting for the agency, with their clocks."""
    return list(
        referrals_visible_to(user)
        .filter(awaiting_answer_q(), Q(created_by=user) | Q(case__owner=user))
        .select_related("case", "agency")
        .order_by("response_due_on", "sent_at")
    )
