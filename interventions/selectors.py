"""Who sees which intervention: the one case rule (cases.selectors.case_scope) through
the record's case, so a list and its detail page can never disagree."""

from __future__ import annotations

from django.db.models import QuerySet

from cases.selectors import case_scope
from safeguarding.accounts.models import Team, User
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404

from .models import CCEPOApplication, CommunityProtection, CPStatus, Handover


def cp_visible_to(user: User) -> QuerySet[CommunityProtection]:
    return CommunityProtection.objects.filter(case_scope(user, "case__"))


def cp_get_or_404(*, request: AuthenticatedRequest, pk: int | str) -> CommunityProtection:
    visible = cp_visible_to(request.user).select_related(
        "case",
        "case__person",
        "case__team",
        "case__owner",
        "warning",
        "created_by",
        "decided_by",
        "issued_by",
        "served_by",
    )
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def cp_awaiting_approval_for(user: User) -> list[CommunityProtection]:
    """The approval queue: warnings and notices of the supervisor's teams waiting for a decision,
    oldest first."""
    if user.role != User.Role.SUPERVISOR:
        return []
    return list(
        CommunityProtection.objects.filter(
            status=CPStatus.AWAITING_APPROVAL, case__team__in=Team.objects.filter(supervisors=user).values("pk")
        )
        .select_related("case", "case__person", "created_by")
        .order_by("submitted_at", "pk")
    )


def cp_for_case(case) -> list[CommunityProtection]:
    return list(
        CommunityProtection.objects.filter(case=case)
        .select_related("warning")
        .prefetch_related("conditions")
        .order_by("-created_at", "-pk")
    )


def ccepo_visible_to(user: User) -> QuerySet[CCEPOApplication]:
    return CCEPOApplication.objects.filter(case_scope(user, "case__"))


def ccepo_get_or_404(*, request: AuthenticatedRequest, pk: int | str) -> CCEPOApplication:
    visible = ccepo_visible_to(request.user).select_related(
        "case", "case__person", "case__team", "respondent", "created_by"
    )
    return get_for_user_or_404(request=request, visible=visible, pk=pk)


def ccepo_register_for(user: User) -> QuerySet[CCEPOApplication]:
    """The register of orders made on cases the user may see, newest first."""
    return (
        ccepo_visible_to(user)
        .filter(made_on__isnull=False)
        .select_related("case", "respondent")
        .order_by("-made_on", "-pk")
    )


def handover_visible_to(user: User) -> QuerySet[Handover]:
    return Handover.objects.filter(case_scope(user, "case__"))


def handover_get_or_404(*, request: AuthenticatedRequest, pk: int | str) -> Handover:
    visible = handover_visible_to(request.user).select_related("case", "case__person", "case__team", "created_by")
    return get_for_user_or_404(request=request, visible=visible, pk=pk)
