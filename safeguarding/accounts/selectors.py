from django.db.models import Prefetch, QuerySet

from .models import Invitation, Team, User


def users_visible_to(user: User) -> QuerySet[User]:
    """Account administration is for admins only; other roles see no accounts here."""
    if user.role != User.Role.ADMIN:
        return User.objects.none()
    return User.objects.select_related("agency", "team").prefetch_related(
        Prefetch("supervised_teams", queryset=Team.objects.only("id", "name")),
        Prefetch("invitations", queryset=Invitation.objects.order_by("-created_at")),
    )


def teams_supervised_by(user: User) -> QuerySet[Team]:
    return Team.objects.filter(supervisors=user, is_active=True)
