"""Cross-border handover pages: plan the handover with the home area's named contacts,
record the risk summary's disclosure, the outcome and the written acceptance, and the
handover pack (page and PDF) assembled from the case through the pack registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from cases.selectors import can_edit, case_get_for_user_or_404, require_own_scope
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core import documents
from safeguarding.core.access import AuthenticatedRequest, require_editor, role_required
from safeguarding.core.forms import apply_service_errors, form_data

from .. import services
from ..forms import AcceptanceForm, DisclosureForm, HandoverForm, HandoverOutcomeForm
from ..models import Handover
from ..selectors import handover_get_or_404

READERS = User.Role.case_readers()
EDITORS = User.Role.case_editors()


def handover_prefill(case) -> dict[str, Any]:
    """What the case already holds about the home area and the risk: nothing typed twice."""
    person = case.person
    exploitation = ", ".join(case.get_exploitation_types_display()).lower() or "exploitation"
    summary = f"{person.full_name} (age {person.age_display}) is assessed as at {case.get_risk_level_display().lower()} risk of {exploitation}."
    if case.risk_rationale:
        summary += f"\n\n{case.risk_rationale}"
    return {
        "home_police_force": person.home_police_force,
        "home_local_authority": person.home_local_authority,
        "risk_summary": summary,
        "handed_over_by": "",
    }


@role_required(*EDITORS)
def handover_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=case)
    data = form_data(request)
    form = HandoverForm(data) if data is not None else HandoverForm(initial=handover_prefill(case))
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.handover_create(actor=request.user, case=case, data=form.cleaned_data, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Handover {handover.reference} planned.")
            return redirect(handover.get_absolute_url())
    if request.method == "GET":
        audit_record(
            action=AuditEvent.Action.VIEW, request=request, obj=case, summary=f"{case.reference}: handover form opened"
        )
    return render(request, "interventions/handover_form.html", {"form": form, "case": case, "person": case.person})


@role_required(*READERS)
def handover_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    handover = handover_get_or_404(request=request, pk=pk)
    audit_record(
        action=AuditEvent.Action.VIEW,
        request=request,
        obj=handover,
        summary=f"{handover.reference} on {handover.case.reference} viewed",
    )
    return render(
        request,
        "interventions/handover_detail.html",
        {
            "handover": handover,
            "case": handover.case,
            "person": handover.case.person,
            "disclosures": list(handover.disclosures.select_related("disclosed_by")),
            "can_edit": can_edit(request.user),
        },
    )


def _step(
    request: AuthenticatedRequest, pk: int, *, form_class: type, write: Callable[..., object], title: str, done: str
) -> HttpResponse:
    handover = handover_get_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=handover.case)
    form = form_class(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            write(actor=request.user, handover=handover, request=request, data=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(handover.get_absolute_url())
    if request.method == "GET":
        audit_record(
            action=AuditEvent.Action.VIEW,
            request=request,
            obj=handover,
            summary=f"{handover.reference}: {title.lower()} form opened",
        )
    return render(
        request,
        "interventions/handover_step_form.html",
        {"form": form, "handover": handover, "case": handover.case, "person": handover.case.person, "title": title},
    )


@role_required(*EDITORS)
def handover_disclose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def write(*, actor, handover, request, data):
        services.handover_disclose(
            actor=actor, handover=handover, who=data["who"], method=data["method"], request=request
        )

    return _step(
        request,
        pk,
        form_class=DisclosureForm,
        write=write,
        title="Record sharing the risk summary",
        done="Disclosure recorded.",
    )


@role_required(*EDITORS)
def handover_outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def write(*, actor, handover, request, data):
        services.handover_outcome_record(
            actor=actor, handover=handover, outcome=data["outcome"], notes=data["notes"], request=request
        )

    return _step(
        request, pk, form_class=HandoverOutcomeForm, write=write, title="Record the outcome", done="Outcome recorded."
    )


@role_required(*EDITORS)
def handover_acceptance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        form_class=AcceptanceForm,
        write=services.handover_acceptance_record,
        title="Record the written acceptance",
        done="Acceptance of responsibility recorded.",
    )


def _pack(request: AuthenticatedRequest, pk: int, *, as_pdf: bool) -> HttpResponseBase:
    handover: Handover = handover_get_or_404(request=request, pk=pk)
    case = handover.case
    return documents.document_response(
        request,
        template="interventions/documents/handover_pack.html",
        context={
            "handover": handover,
            "case": case,
            "person": case.person,
            "sections": documents.pack_sections(case, request.user),
            "force_name": settings.FORCE_NAME,
        },
        filename=f"{handover.reference}-handover-pack",
        obj=handover,
        summary=f"{handover.reference} handover pack {'PDF' if as_pdf else 'page'} for {case.reference}",
        recipient=f"{handover.recipient('la')}; {handover.recipient('force')}",
        as_pdf=as_pdf,
    )


@role_required(*READERS)
def handover_pack(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _pack(request, pk, as_pdf=False)


@role_required(*READERS)
def handover_pack_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _pack(request, pk, as_pdf=True)
