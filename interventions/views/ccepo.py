"""CCE Prevention Order pages: the application against an adult associate, its evidence
and conditions, the court's order, variations, breaches, the register of orders and the
evidence pack (page and PDF)."""

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
from safeguarding.core.access import AuthenticatedRequest, require_editor, role_required
from safeguarding.core.documents import document_response
from safeguarding.core.forms import apply_service_errors, form_data

from .. import services
from ..forms import CCEPOBreachForm, CCEPOConditionForm, CCEPOForm, EvidenceForm, OrderForm, VariationForm
from ..models import CCEPOApplication
from ..selectors import ccepo_get_or_404, ccepo_register_for

READERS = User.Role.case_readers()
EDITORS = User.Role.case_editors()


def _audit_view(request: AuthenticatedRequest, application: CCEPOApplication, what: str) -> None:
    audit_record(
        action=AuditEvent.Action.VIEW,
        request=request,
        obj=application,
        summary=f"{application.reference} on {application.case.reference}: {what}",
    )


@role_required(*EDITORS)
def ccepo_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=case)
    form = CCEPOForm(form_data(request), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.ccepo_create(actor=request.user, case=case, data=form.cleaned_data, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{application.reference} started. Add the evidence and the conditions next.")
            return redirect(application.get_absolute_url())
    if request.method == "GET":
        audit_record(
            action=AuditEvent.Action.VIEW,
            request=request,
            obj=case,
            summary=f"{case.reference}: CCE Prevention Order application form opened",
        )
    return render(request, "interventions/ccepo_form.html", {"form": form, "case": case, "person": case.person})


def _pack_context(application: CCEPOApplication) -> dict[str, Any]:
    return {
        "application": application,
        "case": application.case,
        "person": application.case.person,
        "respondent": application.respondent,
        "victims": list(application.victims.select_related("person").order_by("pk")),
        "evidence": list(application.evidence.all()),
        "conditions": list(application.conditions.all()),
        "variations": list(application.variations.all()),
        "breaches": list(application.breaches.select_related("custody_event")),
    }


@role_required(*READERS)
def ccepo_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = ccepo_get_or_404(request=request, pk=pk)
    _audit_view(request, application, "viewed")
    context = _pack_context(application)
    context["can_edit"] = can_edit(request.user)
    return render(request, "interventions/ccepo_detail.html", context)


def _step(
    request: AuthenticatedRequest,
    pk: int,
    *,
    form_factory: Callable[..., Any],
    write: Callable[..., object],
    title: str,
    done: str,
) -> HttpResponse:
    application = ccepo_get_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=application.case)
    form = form_factory(form_data(request), application)
    if request.method == "POST" and form.is_valid():
        try:
            write(actor=request.user, application=application, data=form.cleaned_data, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(application.get_absolute_url())
    if request.method == "GET":
        _audit_view(request, application, f"{title.lower()} form opened")
    return render(
        request,
        "interventions/ccepo_step_form.html",
        {
            "form": form,
            "application": application,
            "case": application.case,
            "person": application.case.person,
            "title": title,
        },
    )


@role_required(*EDITORS)
def ccepo_evidence_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        form_factory=lambda data, app: EvidenceForm(data),
        write=services.ccepo_evidence_add,
        title="Add evidence",
        done="Evidence added.",
    )


@role_required(*EDITORS)
def ccepo_condition_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        form_factory=lambda data, app: CCEPOConditionForm(data),
        write=services.ccepo_condition_add,
        title="Propose a condition",
        done="Condition added.",
    )


@role_required(*EDITORS)
def ccepo_order_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        form_factory=lambda data, app: OrderForm(data),
        write=services.ccepo_order_record,
        title="Record the order",
        done="Order recorded.",
    )


@role_required(*EDITORS)
def ccepo_variation_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        form_factory=lambda data, app: VariationForm(data),
        write=services.ccepo_variation_add,
        title="Record a variation",
        done="Variation recorded.",
    )


@role_required(*EDITORS)
def ccepo_breach_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        form_factory=lambda data, app: CCEPOBreachForm(data, application=app),
        write=services.ccepo_breach_add,
        title="Record a breach",
        done="Breach recorded.",
    )


@role_required(*READERS)
def ccepo_register(request: AuthenticatedRequest) -> HttpResponse:
    orders = list(ccepo_register_for(request.user)[: settings.CCEPO_REGISTER_SHOWN])
    if orders:
        audit_record(
            action=AuditEvent.Action.LIST,
            request=request,
            object_type="interventions.ccepoapplication",
            summary="Register of CCE Prevention Orders listed",
            detail={"ids": [o.pk for o in orders]},
        )
    return render(request, "interventions/ccepo_register.html", {"orders": orders})


def _pack(request: AuthenticatedRequest, pk: int, *, as_pdf: bool) -> HttpResponseBase:
    application = ccepo_get_or_404(request=request, pk=pk)
    return document_response(
        request,
        template="interventions/documents/ccepo_pack.html",
        context={**_pack_context(application), "force_name": settings.FORCE_NAME},
        filename=f"{application.reference}-evidence-pack",
        obj=application,
        summary=f"{application.reference} evidence pack {'PDF' if as_pdf else 'page'}",
        as_pdf=as_pdf,
    )


@role_required(*READERS)
def ccepo_pack(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _pack(request, pk, as_pdf=False)


@role_required(*READERS)
def ccepo_pack_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _pack(request, pk, as_pdf=True)
