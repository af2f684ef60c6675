"""Pages of placements, reclassifications (asked by an officer, decided by a supervisor of
the case's team) and digital reviews (restricted: the case's team, its supervisors and the
force lead; every view audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404, require_editor, role_required
from safeguarding.core.forms import apply_service_errors
from safeguarding.core.ratelimits import rate_limit

from .. import services
from ..forms import (
    DigitalReviewForm,
    PlacementEndForm,
    PlacementForm,
    ReclassificationDecisionForm,
    ReclassificationForm,
)
from ..models import ApprovalStatus, Placement, Reclassification
from ..selectors import (
    case_scope,
    digital_review_scope_allows,
    digital_reviews_visible_to,
    require_own_scope,
    teams_of,
)
from ._common import Action, audit_form_opened, bound_form, case_for_edit


def _form_page(request, case, form, *, title, button, template="cases/case_child_form.html", **extra):
    return render(
        request,
        template,
        {"form": form, "case": case, "person": case.person, "title": title, "button": button, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )


@rate_limit("record_create", method="POST")
def placement_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_for_edit(request, pk)
    form = bound_form(request, PlacementForm)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_create(actor=request.user, case=case, data=form.cleaned_data, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Placement added.")
            return redirect("cases:case_detail", pk=case.pk)
    audit_form_opened(request, case, "new placement")
    return _form_page(request, case, form, title="Add a placement", button="Save placement")


def placement_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    placement = get_for_user_or_404(
        request=request,
        visible=Placement.objects.filter(case_scope(request.user, "case__")).select_related("case", "case__person"),
        pk=pk,
    )
    require_editor(request.user)
    case = placement.case
    require_own_scope(request.user, case=case)
    form = bound_form(request, PlacementEndForm)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_end(
                actor=request.user, placement=placement, to_date=form.cleaned_data["to_date"], request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Placement ended.")
            return redirect("cases:case_detail", pk=case.pk)
    if request.method == "GET":
        audit_record(action=Action.VIEW, request=request, obj=placement, summary="Placement opened to end it")
    return _form_page(
        request,
        case,
        form,
        title="End a placement",
        button="End the placement",
        intro=f"{placement.type_label} from {placement.from_date:%d/%m/%Y}: {placement.address}",
    )


@rate_limit("record_create", method="POST")
def reclassification_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_for_edit(request, pk)
    form = bound_form(request, ReclassificationForm, associates=case.associates.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.reclassification_request(
                actor=request.user,
                case=case,
                to_classification=data["to_classification"],
                reason=data["reason"],
                suspects=list(data.get("suspects") or []),
                s45_defence_noted=data["s45_defence_noted"],
                s45_notes=data["s45_notes"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Reclassification sent to a supervisor for approval. It is not in effect yet.")
            return redirect("cases:case_detail", pk=case.pk)
    audit_form_opened(request, case, "reclassification")
    in_effect = services.current_classification(case)
    return _form_page(
        request,
        case,
        form,
        title="Reclassify the case",
        button="Send for approval",
        intro="A supervisor of the case's team must approve the reclassification before it takes effect. "
        f"Classification now: {in_effect.get_to_classification_display() if in_effect else 'not classified'}.",
    )


@role_required(User.Role.SUPERVISOR)
def reclassification_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    change = get_for_user_or_404(
        request=request,
        visible=Reclassification.objects.filter(case_scope(request.user, "case__")).select_related(
            "case", "case__person", "case__team", "requested_by", "decided_by"
        ),
        pk=pk,
    )
    case = change.case
    if not teams_of(request.user).filter(pk=case.team_id).exists():
        raise PermissionDenied("Only a supervisor of the case's team decides on a reclassification.")
    form = bound_form(request, ReclassificationDecisionForm)
    if request.method == "POST" and change.status == ApprovalStatus.PENDING and form.is_valid():
        try:
            services.reclassification_decide(
                actor=request.user,
                change=change,
                approve=form.cleaned_data["decision"] == ApprovalStatus.APPROVED,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Reclassification of {case.reference} decided.")
            return redirect("cases:approvals")
    if request.method == "GET":
        audit_record(
            action=Action.VIEW,
            request=request,
            obj=change,
            summary=f"Reclassification of {case.reference} opened to decide",
            detail={"case": case.pk},
        )
    return render(
        request,
        "cases/reclassification_decide.html",
        {"form": form, "case": case, "person": case.person, "change": change, "suspects": list(change.suspects.all())},
        status=400 if form.is_bound and form.errors else 200,
    )


@rate_limit("record_create", method="POST")
def digital_review_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_for_edit(request, pk)
    if not digital_review_scope_allows(request.user, case):
        raise Http404
    form = bound_form(request, DigitalReviewForm)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.digital_review_create(
                actor=request.user,
                case=case,
                device=data["device"],
                reviewed_by_name=data["reviewed_by_name"],
                reviewed_on=data["reviewed_on"],
                findings=form.findings(),
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Digital review recorded. It is restricted to the case's team.")
            return redirect("cases:case_detail", pk=case.pk)
    audit_form_opened(request, case, "new digital review")
    return _form_page(
        request,
        case,
        form,
        title="Record a digital review",
        button="Save digital review",
        intro="Restricted: only officers of the case's team, its supervisors and the force lead will see it. "
        "Partners never see it; it is not in search results or the chronology.",
    )


def digital_review_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review = get_for_user_or_404(
        request=request,
        visible=digital_reviews_visible_to(request.user).select_related("case", "case__person", "created_by"),
        pk=pk,
    )
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=review,
        summary=f"Digital review of {review.case.reference} viewed (restricted)",
        detail={"case": review.case_id},
    )
    return render(
        request,
        "cases/digital_review.html",
        {"review": review, "case": review.case, "person": review.case.person, "findings": list(review.findings.all())},
    )
