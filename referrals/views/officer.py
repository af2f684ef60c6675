"""The officer's referral pages: make one (the children's services referral prefilled
from the case), send, revoke, close, answer, and the referral with "who has seen this"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.selectors import case_get_for_user_or_404, require_own_scope
from safeguarding.accounts.models import Agency, User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, require_editor, role_required
from safeguarding.core.forms import apply_service_errors, form_data

from .. import services
from ..content import chronology_range_label, shared_content
from ..forms import MessageForm, ReferralForm
from ..models import MessageKind, ReferralType, Section, Urgency
from ..selectors import referral_get_for_officer_or_404, referral_viewers
from ..wiring import referral_rows

READERS = User.Role.case_readers()


def childrens_prefill(case) -> dict:
    """The children's services referral from what the case already holds: nothing typed again."""
    person = case.person
    exploitation = ", ".join(case.get_exploitation_types_display()) or "exploitation"
    reason = (
        f"{person.full_name} (age {person.age_display}) is known to the police as at "
        f"{case.get_risk_level_display().lower()} risk of {exploitation}."
    )
    if case.risk_rationale:
        reason += f"\n\n{case.risk_rationale}"
    agency = Agency.objects.filter(kind=Agency.Kind.CHILDRENS_SERVICES, is_active=True).order_by("name").first()
    return {
        "referral_type": ReferralType.CHILDRENS_SERVICES,
        "agency": agency.pk if agency else None,
        "urgency": Urgency.URGENT,
        "reason": reason,
        "ask": "Decide whether a strategy discussion and child protection enquiries (Children Act 1989 s47) are needed, "
        "and tell us the outcome.",
        "sections": [Section.PERSON, Section.RISK, Section.CUSTODY, Section.CONTACTS],
    }


@role_required(*User.Role.case_editors())
def referral_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=case)  # break glass reads, never refers
    data = form_data(request)
    if data is None:
        initial = {"urgency": Urgency.ROUTINE, "share_expires_on": services.default_share_expiry_date()}
        if request.GET.get("type") == ReferralType.CHILDRENS_SERVICES:
            initial.update(childrens_prefill(case))
        form = ReferralForm(initial=initial)
    else:
        form = ReferralForm(data)
    if request.method == "POST" and form.is_valid():
        send = request.POST.get("action") == "send"
        try:
            referral = services.referral_create(
                actor=request.user, case=case, data=form.cleaned_data, send=send, request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} {'sent' if send else 'saved as a draft'}.")
            return redirect(referral.get_absolute_url())
    if request.method == "GET":
        audit_record(
            action=AuditEvent.Action.VIEW, request=request, obj=case, summary=f"{case.reference}: referral form opened"
        )
    return render(request, "referrals/referral_form.html", {"form": form, "case": case, "person": case.person})


def _detail(request: AuthenticatedRequest, referral, *, answer_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "case": referral.case,
            "person": referral.case.person,
            "row": referral_rows([referral])[0],
            "content": shared_content(referral),
            "range_label": chronology_range_label(referral),
            "thread": referral.messages.select_related("author"),
            "viewers": referral_viewers(referral)[:200],
            "answer_form": answer_form or MessageForm(label="Answer the agency"),
            "can_edit": request.user.role in User.Role.case_editors(),
        },
        status=status,
    )


@role_required(*READERS)
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = referral_get_for_officer_or_404(request=request, pk=pk)
    audit_record(
        action=AuditEvent.Action.VIEW,
        request=request,
        obj=referral,
        summary=f"Referral {referral.reference} on {referral.case.reference} viewed",
    )
    return _detail(request, referral)


def _officer_write(request: AuthenticatedRequest, pk: int, write, done: str) -> HttpResponse:
    referral = referral_get_for_officer_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=referral.case)
    try:
        write(actor=request.user, referral=referral, request=request)
    except services.ReferralError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, done)
    return redirect(referral.get_absolute_url())


@require_POST
@role_required(*User.Role.case_editors())
def referral_send(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _officer_write(request, pk, services.referral_send, "Referral sent.")


@require_POST
@role_required(*User.Role.case_editors())
def referral_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _officer_write(request, pk, services.referral_revoke, "The agency can no longer see this referral.")


@require_POST
@role_required(*User.Role.case_editors())
def referral_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _officer_write(request, pk, services.referral_close, "Referral closed.")


@require_POST
@role_required(*User.Role.case_editors())
def referral_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = referral_get_for_officer_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=referral.case)
    form = MessageForm(request.POST, label="Answer the agency")
    if form.is_valid():
        try:
            services.referral_message_add(
                actor=request.user,
                referral=referral,
                kind=MessageKind.ANSWER,
                text=form.cleaned_data["text"],
                request=request,
            )
        except services.ReferralError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Answer sent to the agency.")
            return redirect(referral.get_absolute_url())
    return _detail(request, referral, answer_form=form)
