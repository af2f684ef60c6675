from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.http import HttpRequest

if TYPE_CHECKING:
    from .access import AuthenticatedRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What base.html needs on every page: navigation by role and the unread count."""
    user = getattr(request, "user", None)
    context: dict[str, Any] = {
        "service_name": "Safeguarding",
        "force_name": settings.FORCE_NAME,
        "session_idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
        "session_warning_seconds": int(settings.SESSION_IDLE_WARNING.total_seconds()),
    }
    if user is not None and user.is_authenticated and user.is_verified():
        from safeguarding.notifications.selectors import unread_count

        from .navigation import navigation_for

        context["nav_items"] = navigation_for(cast("AuthenticatedRequest", request))  # signed in and verified
        context["unread_notifications"] = unread_count(user)
    return context
