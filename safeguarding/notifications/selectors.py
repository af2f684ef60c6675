from django.db.models import QuerySet

from safeguarding.accounts.models import User

from .models import Notification


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def preferences_for(user: User, keys: list[str]) -> dict[str, bool]:
    """Whether the user has each kind by email: their choice, else the kind's default."""
    from .kinds import default_by_email
    from .models import NotificationPreference

    chosen = dict(NotificationPreference.objects.filter(user=user, kind__in=keys).values_list("kind", "by_email"))
    return {key: chosen.get(key, default_by_email(key)) for key in keys}
