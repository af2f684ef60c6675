"""The partner portal: the referrals shared with the user's agency, and their answers.

Every page reads the share afresh (selectors.referrals_shared_with), so a revoke or an
expiry removes access on the very next request; anything not shared answers 404.
Every view of a referral is audited, with the agency as the recipient.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, role_required
from safeguarding.core.forms import apply_service_errors

from .. import services
from ..content import chronology_range_label, shared_content
from ..forms import DeclineForm, MessageForm
from ..models import MessageKind, ReferralStatus
from ..selectors import partner_home_list, referral_get_for_partner_or_404

PARTNER = User.Role.PARTNER
LABELS = {"question": "Ask the officer a question", "update": "Post an update"}


@role_required(PARTNER)
def partner_list(request: AuthenticatedRequest) -> HttpResponse:
    referrals = partner_home_list(request.user)
    audit_record(
        action=AuditEvent.Action.LIST,
        request=request,
        object_type="referrals.referral",
        summary=f"Referrals shared with {request.user.agency.name} listed ({len(referrals)})",
        detail={"ids": [r.pk for r in referrals]},
    )
    return render(request, "referrals/partner_list.html", {"referrals": referrals})


def _page(request: AuthenticatedRequest, referral, *, forms: dict | None = None, status: int = 200) -> HttpResponse:
    forms = forms or {}
    return render(
        request,
        "referrals/partner_detail.html",
        {
            "referral": referral,
            "content": shared_content(referral),
            "range_label": chronology_range_label(referral),
            "thread": referral.messages.select_related("author"),
            "decline_form": forms.get("decline") or DeclineForm(),
            "question_form": forms.get("question") or MessageForm(prefix="question", label=LABELS["question"]),
            "update_form": forms.get("update") or MessageForm(prefix="update", label=LABELS["update"]),
            "Status": ReferralStatus,
            "error_form": next(iter(forms.values()), None),
        },
        status=status,
    )


@role_required(PARTNER)
def partner_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = referral_get_for_partner_or_404(request=request, pk=pk)
    audit_record(
        action=AuditEvent.Action.VIEW,
        request=request,
        obj=referral,
        summary=f"Referral {referral.reference} viewed by {request.user.agency.name}",
        recipient=request.user.agency.name,
        detail={"sections": referral.sections},
    )
    return _page(request, referral)


ACTIONS = ("acknowledge", "accept", "decline", "question", "update")


@require_POST
@role_required(PARTNER)
def partner_act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    referral = referral_get_for_partner_or_404(request=request, pk=pk)
    form: forms.Form | None = None
    try:
        if action in ("question", "update"):
            form = MessageForm(request.POST, prefix=action, label=LABELS[action])
            if form.is_valid():
                services.referral_message_add(
                    actor=request.user,
                    referral=referral,
                    kind=MessageKind(action),
                    text=form.cleaned_data["text"],
                    request=request,
                )
        else:
            form = DeclineForm(request.POST) if action == "decline" else None
            if form is None or form.is_valid():
                reason = form.cleaned_data["reason"] if form is not None else ""
                services.referral_partner_decide(
                    actor=request.user, referral=referral, action=action, reason=reason, request=request
                )
    except services.ReferralError as error:
        messages.error(request, str(error))
        return redirect(referral.get_partner_url())
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
        else:
            apply_service_errors(form, error)
    if form is not None and form.errors:
        return _page(request, referral, forms={action: form})
    done = {
        "acknowledge": "You acknowledged the referral.",
        "accept": "You accepted the referral.",
        "decline": "You declined the referral.",
        "question": "Your question was sent to the officer.",
        "update": "Your update was sent to the officer.",
    }
    messages.success(request, done[action])
    return redirect(referral.get_partner_url())
