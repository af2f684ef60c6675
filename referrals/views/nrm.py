"""NRM pages: record the referral, its page with the Reasonable Grounds working-day
clock, the prefilled summary (copy per section, print view), decisions and reconsiderations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cases.selectors import case_get_for_user_or_404, require_own_scope
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404, require_editor, role_required
from safeguarding.core.forms import apply_service_errors, form_data

from .. import services
from ..forms import NRMDecisionForm, NRMForm, ReconsiderationForm, ReconsiderationOutcomeForm
from ..models import NRMReconsideration
from ..nrm_summary import nrm_summary_sections
from ..selectors import nrm_get_or_404, nrm_visible_to
from ..wiring import nrm_rows

READERS = User.Role.case_readers()
EDITORS = User.Role.case_editors()


@role_required(*EDITORS)
def nrm_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=case)  # break glass reads, never records
    data = form_data(request)
    form = (
        NRMForm(data)
        if data is not None
        else NRMForm(initial={"first_responder_organisation": request.user.agency.name})
    )
    if request.method == "POST" and form.is_valid():
        try:
            nrm = services.nrm_create(actor=request.user, case=case, data=form.cleaned_data, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"NRM referral {nrm.reference} recorded.")
            return redirect(nrm.get_absolute_url())
    audit_record(
        action=AuditEvent.Action.VIEW, request=request, obj=case, summary=f"{case.reference}: NRM referral form opened"
    )
    return render(
        request,
        "referrals/nrm_form.html",
        {"form": form, "case": case, "person": case.person, "childrens": services.childrens_referrals(case)},
    )


def _audit_view(request, nrm, what: str) -> None:
    audit_record(action=AuditEvent.Action.VIEW, request=request, obj=nrm, summary=f"NRM {nrm.reference}: {what}")


@role_required(*READERS)
def nrm_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    nrm = nrm_get_or_404(request=request, pk=pk)
    _audit_view(request, nrm, "viewed")
    return render(
        request,
        "referrals/nrm_detail.html",
        {
            "nrm": nrm,
            "case": nrm.case,
            "person": nrm.case.person,
            "row": nrm_rows([nrm])[0],
            "reconsiderations": nrm.reconsiderations.all(),
            "can_edit": request.user.role in EDITORS,
        },
    )


@role_required(*READERS)
def nrm_summary(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    nrm = nrm_get_or_404(request=request, pk=pk)
    _audit_view(request, nrm, "summary for the national form opened")
    context = {
        "nrm": nrm,
        "case": nrm.case,
        "person": nrm.case.person,
        "sections": nrm_summary_sections(nrm, request.user),
    }
    return render(request, "referrals/nrm_summary.html", context)


@role_required(*READERS)
def nrm_summary_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    nrm = nrm_get_or_404(request=request, pk=pk)
    _audit_view(request, nrm, "summary printed")
    context = {
        "nrm": nrm,
        "case": nrm.case,
        "person": nrm.case.person,
        "sections": nrm_summary_sections(nrm, request.user),
    }
    return render(request, "referrals/nrm_summary_print.html", context)


def _nrm_form(request, pk, *, form_class, service, title, done):
    nrm = nrm_get_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=nrm.case)
    data = form_data(request)
    form = form_class(data)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, nrm=nrm, data=form.cleaned_data, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(nrm.get_absolute_url())
    _audit_view(request, nrm, f"{title.lower()} form opened")
    return render(
        request,
        "referrals/nrm_child_form.html",
        {"form": form, "nrm": nrm, "case": nrm.case, "person": nrm.case.person, "title": title},
    )


@role_required(*EDITORS)
def nrm_decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _nrm_form(
        request,
        pk,
        form_class=NRMDecisionForm,
        service=services.nrm_decision_record,
        title="Record a decision",
        done="Decision recorded.",
    )


@role_required(*EDITORS)
def nrm_reconsideration(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _nrm_form(
        request,
        pk,
        form_class=ReconsiderationForm,
        service=services.nrm_reconsideration_add,
        title="Record a reconsideration request",
        done="Reconsideration recorded.",
    )


@role_required(*EDITORS)
def nrm_reconsideration_outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The outcome of an awaited reconsideration (scoped through its NRM referral)."""
    visible = NRMReconsideration.objects.filter(nrm__in=nrm_visible_to(request.user)).select_related("nrm")
    reconsideration = get_for_user_or_404(request=request, visible=visible, pk=pk)

    def decide(*, actor, nrm, data, request):
        return services.nrm_reconsideration_decide(
            actor=actor, reconsideration=reconsideration, data=data, request=request
        )

    return _nrm_form(
        request,
        reconsideration.nrm_id,
        form_class=ReconsiderationOutcomeForm,
        service=decide,
        title="Record the reconsideration's outcome",
        done="Reconsideration outcome recorded.",
    )
