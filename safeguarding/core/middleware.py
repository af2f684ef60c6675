from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode

from .access import is_signed_in, is_verified
from .models import SavedForm

if TYPE_CHECKING:
    from safeguarding.accounts.models import User

GetResponse = Callable[[HttpRequest], HttpResponse]

# Fields never written to a saved form.
_UNSAVED_FIELDS = {
    "csrfmiddlewaretoken",
    "password",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
    "otp_token",
    "code",
}
SAVED_FORM_SESSION_KEY = "saved_form_id"


def _sign_in_redirect(request: HttpRequest, reason: str, *, form_kept: bool = False) -> HttpResponse:
    if request.headers.get("x-requested-with") == "fetch":
        return JsonResponse({"signed_in": False, "reason": reason}, status=401)
    if request.method == "GET":
        next_path = request.get_full_path()
    elif form_kept:
        # Back to the form's page, where the kept form is given back.
        next_path = request.path
    else:
        # A button that only posts (sign out, mark as read): its URL answers no GET.
        return redirect(settings.LOGIN_URL)
    return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_path})}")


def _csrf_passes(request: HttpRequest) -> bool:
    """Whether this POST carries a valid CSRF token. The session-limit check runs
    before CSRF protection does, and a forged cross-site post must not leave data
    for the user to find in their form later."""

    def view(request: HttpRequest) -> HttpResponseBase:  # pragma: no cover - never called
        return HttpResponse()

    def get_response(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
        return HttpResponse()

    return CsrfViewMiddleware(get_response).process_view(request, view, (), {}) is None


def _keepable_form_data(request: HttpRequest) -> dict[str, list[str]] | None:
    """What the user typed into a form posted after their session ran out, if worth keeping."""
    if request.method != "POST" or request.FILES or request.headers.get("x-requested-with") == "fetch":
        return None
    # NUL characters are dropped: PostgreSQL's JSON cannot hold them, and no form accepts them
    # (Django's fields refuse null characters), so keeping them would only turn a kept form
    # into a server error.
    data = {
        k.replace("\x00", ""): [v.replace("\x00", "") for v in request.POST.getlist(k)]
        for k in request.POST
        if k not in _UNSAVED_FIELDS
    }
    if not any(value.strip() for values in data.values() for value in values):
        return None  # a plain button (sign out, stay signed in): nothing was typed
    if not _csrf_passes(request):
        return None
    return data


def session_time_left(session: SessionBase | Mapping[str, Any], now: float) -> tuple[float, float]:
    """Seconds until the idle timeout and until the absolute limit (<= 0: reached)."""
    idle_left = settings.SESSION_IDLE_TIMEOUT.total_seconds() - (now - session.get("last_seen", now))
    absolute_left = settings.SESSION_ABSOLUTE_LIMIT.total_seconds() - (now - session.get("signed_in_at", now))
    return idle_left, absolute_left


class SessionLimitsMiddleware:
    """Idle timeout and absolute limit for signed-in sessions.

    A POST that arrives after the session ran out is kept (SavedForm) and given
    back to the same user, for them to check and submit again, after they sign in.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if is_signed_in(user):
            now = time.time()
            session = request.session
            last = session.get("last_seen", now)
            idle_left, absolute_left = session_time_left(session, now)
            idle, too_long = idle_left <= 0, absolute_left <= 0
            # The timeout warning's status probe neither counts as activity nor ends
            # the session: it answers 0 seconds left, and the next real request (a
            # reload, or the form the user then sends, which is kept) ends it.
            probe = request.path == reverse("core:session_status")
            if (idle or too_long) and not probe:
                return self._expire(request, user, "idle" if idle else "absolute")
            session.setdefault("signed_in_at", now)
            if not probe and now - last >= 5:
                session["last_seen"] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest, user: User, reason: str) -> HttpResponse:
        saved = None
        data = _keepable_form_data(request)
        if data is not None:
            saved = SavedForm.objects.create(user=user, path=request.path, data=data)
        from safeguarding.accounts.services import sign_out

        sign_out(request=request, reason=f"session_{reason}")
        if saved is not None:
            request.session[SAVED_FORM_SESSION_KEY] = saved.pk
        text = (
            "You were signed out because you had not done anything for "
            f"{int(settings.SESSION_IDLE_TIMEOUT.total_seconds() // 60)} minutes."
            if reason == "idle"
            else f"You were signed out because you had been signed in for {int(settings.SESSION_ABSOLUTE_LIMIT.total_seconds() // 3600)} hours."
        )
        if saved is not None:
            text += " What you had typed has been kept: sign in again to check it and send it."
        messages.info(request, text)
        return _sign_in_redirect(request, reason, form_kept=saved is not None)


class RequireSecondFactorMiddleware:
    """Deny by default: every view needs a verified (password + TOTP) user, unless
    it is marked ``login_not_required`` or ``second_factor_not_required``."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not getattr(view_func, "login_required", True):
            return None
        user = request.user
        if not is_signed_in(user):
            return _sign_in_redirect(request, "anonymous")
        if getattr(view_func, "second_factor_required", True) and not is_verified(user):
            return redirect(reverse("accounts:verify"))
        return None


def restore_saved_form(request: HttpRequest) -> QueryDict | None:
    """The data of a form this same user posted after their session expired, if it
    was posted to this path. Returned once; never submitted on the user's behalf."""
    saved_id = request.session.get(SAVED_FORM_SESSION_KEY)
    if not saved_id or not request.user.is_authenticated:
        return None
    saved = SavedForm.objects.filter(pk=saved_id).first()
    if saved is None or saved.user_id != request.user.pk:
        request.session.pop(SAVED_FORM_SESSION_KEY, None)
        if saved is not None:
            saved.delete()
        return None
    if saved.path != request.path:
        return None
    request.session.pop(SAVED_FORM_SESSION_KEY, None)
    saved.delete()
    data = QueryDict(mutable=True)
    for key, values in saved.data.items():
        data.setlist(key, values)
    return data


class NoStoreMiddleware:
    """Nothing a signed-in user sees may be kept by the browser or a proxy."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response
