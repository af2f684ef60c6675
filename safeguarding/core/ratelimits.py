"""Rate limits on expensive or abusable endpoints (django-ratelimit).

Counters live in the cache: Redis when REDIS_URL is set (shared by every web process),
local memory otherwise (the embedded demo). Rates are settings (RATE_LIMITS, "count/period",
e.g. "20/h" or "30/10m"). A request over its limit is answered 429 with a page saying
when to try again; the view is not run.

    @rate_limit("record_create", method="POST")                  # per signed-in user, else per address
    @rate_limit("password_reset_ip", key="ip", method="POST")    # per client address
    @rate_limit("password_reset_address", key=post_field("email"), method="POST")
    @rate_limit("person_search", method="POST", when=lambda request: "name" in request.POST)

Put it under the view's role check, so that a refused role is not counted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage

ALL = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
View = TypeVar("View", bound=Callable[..., HttpResponseBase])
# django-ratelimit's key: one of its names ("user_or_ip", "ip", ...) or a callable(group, request).
Key = str | Callable[[str, HttpRequest], str]


def client_ip(request: HttpRequest) -> str:
    """The client address as the rest of the service sees it (PROXY_COUNT aware)."""
    from safeguarding.audit.services import client_ip as audit_client_ip

    return audit_client_ip(request) or request.META.get("REMOTE_ADDR", "") or "unknown"


def post_field(name: str) -> Callable[[str, HttpRequest], str]:
    """Key by a posted field (an email address), compared without case or spaces."""

    def key(group: str, request: HttpRequest) -> str:
        return (request.POST.get(name) or "").strip().lower()

    return key


def too_many_requests(request: HttpRequest, seconds_left: int) -> HttpResponse:
    seconds_left = max(int(seconds_left), 1)
    minutes = -(-seconds_left // 60)
    response = render(
        request,
        "429.html",
        {"minutes": minutes, "retry_at": timezone.localtime() + timedelta(seconds=seconds_left)},
        status=429,
    )
    response["Retry-After"] = str(seconds_left)
    return response


def over_limit(
    request: HttpRequest, group: str, *, key: Key = "user_or_ip", method: str | tuple[str, ...] = ALL
) -> HttpResponse | None:
    """Count this request against the group's limit; the 429 answer if it is over."""
    usage = get_usage(request, group=group, key=key, rate=settings.RATE_LIMITS[group], method=method, increment=True)
    if usage and usage["should_limit"]:
        return too_many_requests(request, usage["time_left"])
    return None


def rate_limit(
    group: str,
    *,
    key: Key = "user_or_ip",
    method: str | tuple[str, ...] = ALL,
    when: Callable[[HttpRequest], bool] | None = None,
) -> Callable[[View], View]:
    """Refuse the view with 429 beyond settings.RATE_LIMITS[group] (checked at import)."""
    if group not in settings.RATE_LIMITS:
        raise KeyError(f"no rate in settings.RATE_LIMITS for {group!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if when is None or when(request):
                refusal = over_limit(request, group, key=key, method=method)
                if refusal is not None:
                    return refusal
            return view(request, *args, **kwargs)

        wrapped.rate_limits = (*getattr(view, "rate_limits", ()), group)  # type: ignore[attr-defined]  # a marker tests read
        return cast(View, wrapped)

    return decorator
