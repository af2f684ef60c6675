from django.conf import settings
from django.http import HttpRequest


def shell(request: HttpRequest) -> dict:
    """What base.html needs on every page: navigation by role and the unread count."""
    user = getattr(request, "user", None)
    context = {
        "service_name": "Safeguarding",
        "force_name": settings.FORCE_NAME,
        "session_idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
        "session_warning_seconds": int(settings.SESSION_IDLE_WARNING.total_seconds()),
    }
    if user is not None and user.is_authenticated and user.is_verified():
        from safeguarding.notifications.selectors import unread_count

        from .navigation import navigation_for

        context["nav_items"] = navigation_for(request)
        context["unread_notifications"] = unread_count(user)
    return context
