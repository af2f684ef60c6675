"""Community Protection Warning and Notice pages: draft, conditions, supervisor approval,
issue, service, breaches, the approval queue, and the letter (page and PDF)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.selectors import can_edit, case_get_for_user_or_404, require_own_scope
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, require_editor, role_required
from safeguarding.core.documents import document_response
from safeguarding.core.forms import GovForm, apply_service_errors, form_data

from .. import services
from ..forms import BreachForm, ConditionForm, CPForm, DecisionForm, IssueForm, ServeForm
from ..models import CommunityProtection, CPKind, CPStatus
from ..selectors import cp_awaiting_approval_for, cp_get_or_404

READERS = User.Role.case_readers()
EDITORS = User.Role.case_editors()


def _audit_view(request: AuthenticatedRequest, notice: CommunityProtection, what: str) -> None:
    audit_record(
        action=AuditEvent.Action.VIEW,
        request=request,
        obj=notice,
        summary=f"{notice.reference} on {notice.case.reference}: {what}",
    )


def _create(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=case)
    form = CPForm(form_data(request), case=case, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.cp_create(
                actor=request.user, case=case, kind=kind, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{notice.reference} saved as a draft. Add its conditions next.")
            return redirect(notice.get_absolute_url())
    if request.method == "GET":
        audit_record(
            action=AuditEvent.Action.VIEW,
            request=request,
            obj=case,
            summary=f"{case.reference}: {CPKind(kind).label.lower()} form opened",
        )
    return render(
        request,
        "interventions/cp_form.html",
        {"form": form, "case": case, "person": case.person, "kind": kind, "kind_label": CPKind(kind).label},
    )


@role_required(*EDITORS)
def cp_warning_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _create(request, pk, CPKind.WARNING)


@role_required(*EDITORS)
def cp_notice_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _create(request, pk, CPKind.NOTICE)


@role_required(*READERS)
def cp_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = cp_get_or_404(request=request, pk=pk)
    _audit_view(request, notice, "viewed")
    user = request.user
    return render(
        request,
        "interventions/cp_detail.html",
        {
            "notice": notice,
            "case": notice.case,
            "person": notice.case.person,
            "conditions": list(notice.conditions.all()),
            "breaches": list(notice.breaches.select_related("recorded_by")),
            "notices": list(notice.notices.all()) if not notice.is_notice else [],
            "clock": notice.appeal_clock(),
            "can_edit": can_edit(user),
            "can_decide": services.supervises_case(user, notice.case)
            and notice.status == CPStatus.AWAITING_APPROVAL
            and notice.created_by_id != user.pk,
            "penalty": settings.CPN_FIXED_PENALTY_AMOUNT,
        },
    )


def _notice_form(
    request: AuthenticatedRequest,
    pk: int,
    *,
    form_class: type[GovForm],
    write: Callable[..., object],
    title: str,
    done: str,
    template: str = "interventions/cp_step_form.html",
) -> HttpResponse:
    """One step on a warning or notice: a form, a service, back to the record."""
    notice = cp_get_or_404(request=request, pk=pk)
    require_own_scope(request.user, case=notice.case)
    form = form_class(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            write(actor=request.user, notice=notice, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(notice.get_absolute_url())
    if request.method == "GET":
        _audit_view(request, notice, f"{title.lower()} form opened")
    return render(
        request,
        template,
        {"form": form, "notice": notice, "case": notice.case, "person": notice.case.person, "title": title},
    )


@role_required(*EDITORS)
def cp_condition_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_editor(request.user)

    def write(*, actor, notice, request, **data):
        services.cp_condition_add(actor=actor, notice=notice, data=data, request=request)

    return _notice_form(
        request, pk, form_class=ConditionForm, write=write, title="Add a condition", done="Condition added."
    )


@require_POST
@role_required(*EDITORS)
def cp_condition_remove(request: AuthenticatedRequest, pk: int, condition_pk: int) -> HttpResponse:
    notice = cp_get_or_404(request=request, pk=pk)
    require_own_scope(request.user, case=notice.case)
    try:
        services.cp_condition_remove(actor=request.user, notice=notice, condition_id=condition_pk, request=request)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, "Condition removed.")
    return redirect(notice.get_absolute_url())


@require_POST
@role_required(*EDITORS)
def cp_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = cp_get_or_404(request=request, pk=pk)
    require_own_scope(request.user, case=notice.case)
    try:
        services.cp_submit(actor=request.user, notice=notice, request=request)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"{notice.reference} sent to the team's supervisors for approval.")
    return redirect(notice.get_absolute_url())


@role_required(User.Role.SUPERVISOR)
def cp_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def write(*, actor, notice, request, decision, note):
        services.cp_decide(actor=actor, notice=notice, approve=decision == "approve", note=note, request=request)

    return _notice_form(
        request,
        pk,
        form_class=DecisionForm,
        write=write,
        title="Approve or return",
        done="Decision recorded.",
        template="interventions/cp_decide.html",
    )


@role_required(*EDITORS)
def cp_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_editor(request.user)
    return _notice_form(
        request, pk, form_class=IssueForm, write=services.cp_issue, title="Record the issue", done="Issue recorded."
    )


@role_required(*EDITORS)
def cp_serve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_editor(request.user)
    return _notice_form(
        request, pk, form_class=ServeForm, write=services.cp_serve, title="Record service", done="Service recorded."
    )


@role_required(*EDITORS)
def cp_breach_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_editor(request.user)

    def write(*, actor, notice, request, **data):
        services.cp_breach_record(actor=actor, notice=notice, data=data, request=request)

    return _notice_form(
        request, pk, form_class=BreachForm, write=write, title="Record a breach", done="Breach recorded."
    )


@role_required(User.Role.SUPERVISOR)
def cp_approvals(request: AuthenticatedRequest) -> HttpResponse:
    waiting = cp_awaiting_approval_for(request.user)
    if waiting:
        audit_record(
            action=AuditEvent.Action.LIST,
            request=request,
            object_type="interventions.communityprotection",
            summary="Warnings and notices awaiting approval listed",
            detail={"ids": [n.pk for n in waiting]},
        )
    return render(request, "interventions/cp_approvals.html", {"waiting": waiting})


def _letter(request: AuthenticatedRequest, pk: int, *, as_pdf: bool) -> HttpResponseBase:
    notice = cp_get_or_404(request=request, pk=pk)
    person = notice.case.person
    return document_response(
        request,
        template="interventions/documents/cp_letter.html",
        context={
            "notice": notice,
            "case": notice.case,
            "person": person,
            "conditions": list(notice.conditions.all()),
            "clock": notice.appeal_clock(),
            "penalty": settings.CPN_FIXED_PENALTY_AMOUNT,
            "appeal_days": settings.CPN_APPEAL_DAYS,
            "force_name": settings.FORCE_NAME,
        },
        filename=notice.reference,
        obj=notice,
        summary=f"{notice.reference} {'PDF' if as_pdf else 'letter'} for {person.reference}",
        recipient=f"{person.full_name} ({person.reference})",
        as_pdf=as_pdf,
    )


@role_required(*READERS)
def cp_letter(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _letter(request, pk, as_pdf=False)


@role_required(*READERS)
def cp_letter_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _letter(request, pk, as_pdf=True)
