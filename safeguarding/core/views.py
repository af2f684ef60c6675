from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from safeguarding.accounts.models import User

from . import home
from .access import AuthenticatedRequest, role_required
from .middleware import session_time_left
from .models import WorkerHeartbeat


def home_page(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    panels = home.panels_for(request)
    home.audit_shown(request, panels)
    return render(request, "core/home.html", {"panels": panels, "role_template": f"core/home_{user.role}.html"})


def _remaining(request: HttpRequest) -> int:
    idle_left, absolute_left = session_time_left(request.session, time.time())
    # Rounded up: 0 means the middleware will end the session on the next request.
    return max(0, math.ceil(min(idle_left, absolute_left)))


@require_POST
def session_keepalive(request: HttpRequest) -> JsonResponse:
    """'Stay signed in': the middleware has already counted this request as activity."""
    request.session["last_seen"] = time.time()
    return JsonResponse({"remaining_seconds": _remaining(request)})


@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long until the idle timeout; does not itself count as activity."""
    return JsonResponse({"remaining_seconds": _remaining(request)})


@role_required(User.Role.ADMIN)
def system_status(request: AuthenticatedRequest) -> HttpResponse:
    heartbeats = list(WorkerHeartbeat.objects.order_by("name"))
    stale_after = settings.HEARTBEAT_INTERVAL_SECONDS * 3
    now = timezone.now()
    for hb in heartbeats:
        hb.is_stale = (now - hb.last_seen).total_seconds() > stale_after
    return render(request, "core/system_status.html", {"heartbeats": heartbeats, "stale_after": stale_after})


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)


@login_not_required
def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
