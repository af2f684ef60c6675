from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.access import AuthenticatedRequest, is_signed_in, is_verified, second_factor_not_required
from safeguarding.core.forms import gov_helper, govuk_error_messages
from safeguarding.core.ratelimits import post_field, rate_limit

from . import services
from .forms import SetPasswordAndEnrolForm, SignInForm, TokenForm
from .models import Invitation


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
@sensitive_post_parameters("password")
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if is_signed_in(request.user) and is_verified(request.user):
        return redirect(_safe_next(request))
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        # Keep the pending saved form (if any) across the session key change.
        saved_form = request.session.get("saved_form_id")
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        if saved_form:
            request.session["saved_form_id"] = saved_form
        request.session["next_after_verify"] = _safe_next(request)
        return redirect("accounts:verify")
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


def locked_out(request: HttpRequest, credentials: dict | None = None, *args, **kwargs) -> HttpResponse:
    """django-axes' lockout answer: the same page, status and words as a wrong password."""
    form = SignInForm(request.POST, request=request, locked_out=True)
    form.is_valid()
    return render(request, "accounts/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


@second_factor_not_required
@sensitive_post_parameters("code")
@never_cache
def verify(request: AuthenticatedRequest) -> HttpResponse:
    if is_verified(request.user):
        return redirect(settings.LOGIN_REDIRECT_URL)
    devices = list(TOTPDevice.objects.devices_for_user(request.user, confirmed=True))
    if not devices:
        services.sign_out(request=request, reason="no_authenticator")
        messages.error(
            request, "Your account has no authenticator. Ask your system administrator for a new activation link."
        )
        return redirect("accounts:sign_in")
    form = TokenForm(request.POST or None, devices=devices)
    if request.method == "POST" and form.is_valid():
        services.second_factor_verify(request=request, device=form.device)
        next_url = request.session.pop("next_after_verify", None) or reverse(settings.LOGIN_REDIRECT_URL)
        return redirect(next_url)
    if request.method == "POST":
        services.second_factor_failed(request=request)
    return render(request, "accounts/verify.html", {"form": form})


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request, reason="user")
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign_in")


# The activation token travels in the session once its link has been opened, so that
# the addresses in web and proxy logs after the first request carry no token.
ACTIVATION_TOKEN_SESSION_KEY = "activation_token"  # noqa: S105 - a session key name, not a secret


def _activation_invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/activation_invalid.html", status=404)


@login_not_required
@never_cache
def activate(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: keeps the token in the session and moves to a token-free address."""
    if Invitation.find_usable(token) is None:
        return _activation_invalid(request)
    if request.user.is_authenticated:
        services.sign_out(request=request, reason="activation_started")
    request.session[ACTIVATION_TOKEN_SESSION_KEY] = token
    return redirect("accounts:activation")


@login_not_required
@sensitive_post_parameters("new_password1", "new_password2", "code")
@never_cache
def activation(request: HttpRequest) -> HttpResponse:
    token = request.session.get(ACTIVATION_TOKEN_SESSION_KEY) or ""
    invitation = Invitation.find_usable(token) if token else None
    if invitation is None:
        request.session.pop(ACTIVATION_TOKEN_SESSION_KEY, None)
        return _activation_invalid(request)
    if request.user.is_authenticated:
        # Someone signed in on this browser after the link was opened.
        services.sign_out(request=request, reason="activation_started")
        request.session[ACTIVATION_TOKEN_SESSION_KEY] = token
    device = services.pending_device_for(invitation)
    form = SetPasswordAndEnrolForm(request.POST or None, user=invitation.user, device=device)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_activate(
                invitation=invitation, password=form.cleaned_data["new_password1"], device=device, request=request
            )
        except ValueError:
            return _activation_invalid(request)
        request.session.pop(ACTIVATION_TOKEN_SESSION_KEY, None)
        messages.success(
            request, "Your account is ready. Sign in with your email address, your password and a code from your app."
        )
        return redirect("accounts:sign_in")
    uri = device.config_url
    qr_svg = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    secret = _base32(device)
    return render(
        request,
        "accounts/activate.html",
        {
            "form": form,
            "invitation": invitation,
            "qr_svg": qr_svg,
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        },
    )


def _base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode().rstrip("=")


# Each reset sends an email: limited per client address and per address asked for, so
# that nobody can flood a mailbox or the mail relay.
@method_decorator(login_not_required, name="dispatch")
@method_decorator(rate_limit("password_reset_ip", key="ip", method="POST"), name="dispatch")
@method_decorator(rate_limit("password_reset_address", key=post_field("email"), method="POST"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password-reset-body.txt"
    subject_template_name = "emails/password-reset-subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["email"].error_messages["required"] = "Enter your email address"
        govuk_error_messages(form)
        form.helper = gov_helper(form)
        return form


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Sets a new password only. It never signs the user in and never touches
    their authenticator; every session they had is ended."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["new_password1"].error_messages["required"] = "Enter a new password"
        form.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        govuk_error_messages(form)
        form.helper = gov_helper(form)
        return form

    @transaction.atomic
    def form_valid(self, form):
        # The new password, the end of every session and the audit row stand or fall together.
        response = super().form_valid(form)
        services.password_reset_complete(user=form.user, request=self.request)
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
