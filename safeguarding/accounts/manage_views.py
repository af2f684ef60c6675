"""Account administration for system administrators (no case content)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404, role_required
from safeguarding.core.forms import form_data

from . import services
from .forms import UserCreateForm
from .models import User
from .selectors import users_visible_to

ADMIN = User.Role.ADMIN


@role_required(ADMIN)
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(users_visible_to(request.user).order_by("full_name"), 50).get_page(request.GET.get("page"))
    audit_record(action=AuditEvent.Action.LIST, request=request, object_type="accounts.user", summary="Accounts listed")
    return render(request, "accounts/manage/user_list.html", {"page": page})


@role_required(ADMIN)
def user_create(request: AuthenticatedRequest) -> HttpResponse:
    form = UserCreateForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, token = services.user_create(
            actor=request.user,
            email=data["email"],
            full_name=data["full_name"],
            role=data["role"],
            agency=data["agency"],
            team=data.get("team"),
            supervised_teams=list(data.get("supervised_teams") or []),
            job_title=data.get("job_title", ""),
            request=request,
        )
        request.session["shown_activation_url"] = services.activation_url(token)
        messages.success(request, f"Account created for {user.full_name}. We have emailed them the set-up link.")
        return redirect("accounts:manage_user_detail", pk=user.pk)
    return render(request, "accounts/manage/user_form.html", {"form": form})


@role_required(ADMIN)
def user_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = get_for_user_or_404(request=request, visible=users_visible_to(request.user), pk=pk)
    audit_record(action=AuditEvent.Action.VIEW, request=request, obj=account, summary="Account viewed")
    return render(
        request,
        "accounts/manage/user_detail.html",
        {
            "account": account,
            "has_device": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
            "activation_url": request.session.pop("shown_activation_url", None),
            "invitation": account.invitations.all()[:1][0] if account.invitations.all() else None,
        },
    )


@role_required(ADMIN)
@require_POST
def user_action(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    account = get_for_user_or_404(request=request, visible=users_visible_to(request.user), pk=pk)
    if account.pk == request.user.pk and action in ("disable", "reset-device"):
        messages.error(
            request, "You cannot disable your own account or reset your own authenticator. Ask another administrator."
        )
        return redirect("accounts:manage_user_detail", pk=pk)
    if action == "disable":
        services.user_set_active(actor=request.user, user=account, active=False, request=request)
        messages.success(request, f"{account.full_name}'s account is disabled and every session of theirs has ended.")
    elif action == "enable":
        services.user_set_active(actor=request.user, user=account, active=True, request=request)
        messages.success(request, f"{account.full_name}'s account is enabled.")
    elif action == "reset-device":
        token = services.user_device_reset(actor=request.user, user=account, request=request)
        request.session["shown_activation_url"] = services.activation_url(token)
        messages.success(
            request, f"{account.full_name}'s authenticator was removed. We have emailed them a new set-up link."
        )
    elif action == "reissue":
        token = services.invitation_reissue(actor=request.user, user=account, request=request)
        request.session["shown_activation_url"] = services.activation_url(token)
        messages.success(request, "A new set-up link was issued and emailed. Earlier links no longer work.")
    else:
        from django.http import Http404

        raise Http404
    return redirect("accounts:manage_user_detail", pk=pk)
