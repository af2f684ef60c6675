"""Break glass: time-limited access to a person outside one's scope, and the supervisors' review of it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404, role_required
from safeguarding.core.forms import apply_service_errors, form_data

from .. import services
from ..break_glass_refs import break_glass_person_pk
from ..forms import (
    BreakGlassForm,
    BreakGlassReviewForm,
)
from ..selectors import (
    break_glass_to_review,
    person_contacts,
    person_for_break_glass,
    person_is_visible_to,
)
from ._common import SUPERVISOR, Action


@role_required(*User.Role.case_editors())
def break_glass(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    pk = break_glass_person_pk(request.user, reference)
    person = person_for_break_glass(pk) if pk is not None else None
    if person is None:
        audit_record(
            action=Action.ACCESS_DENIED,
            request=request,
            object_type="cases.youngperson",
            summary="Break-glass page refused: the reference was not issued to this user or has expired",
        )
        raise Http404("No such record.")
    if person_is_visible_to(request.user, person):
        return redirect("cases:person_detail", pk=person.pk)
    if request.method == "GET":
        audit_record(
            action=Action.VIEW,
            request=request,
            obj=person,
            summary=f"Break-glass page for {person.reference} opened (who holds it)",
        )
    form = BreakGlassForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            access = services.break_glass_grant(
                actor=request.user, person=person, justification=form.cleaned_data["justification"], request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"You have access to {person.reference} until "
                f"{timezone.localtime(access.expires_at):%d/%m/%Y %H:%M}. This access is recorded and reviewed.",
            )
            return redirect("cases:person_detail", pk=person.pk)
    return render(
        request,
        "cases/break_glass.html",
        {
            "person_reference": person.reference,
            "contacts": person_contacts(person),
            "form": form,
            "hours": settings.BREAK_GLASS_HOURS,
        },
    )


@role_required(SUPERVISOR)
def break_glass_review_view(request: AuthenticatedRequest) -> HttpResponse:
    accesses = break_glass_to_review(request.user)
    to_review = list(accesses.filter(reviewed_at__isnull=True))
    reviewed = list(accesses.filter(reviewed_at__isnull=False)[:50])
    audit_record(
        action=Action.LIST,
        request=request,
        object_type="cases.breakglassaccess",
        summary="Break-glass accesses listed for review",
    )
    return render(
        request,
        "cases/break_glass_review.html",
        {"to_review": to_review, "reviewed": reviewed, "form": BreakGlassReviewForm(), "now": timezone.now()},
    )


@role_required(SUPERVISOR)
@require_POST
def break_glass_reviewed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = get_for_user_or_404(request=request, visible=break_glass_to_review(request.user), pk=pk)
    form = BreakGlassReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.break_glass_review(actor=request.user, access=access, note=note, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Break-glass access by {access.user.full_name} marked as reviewed.")
    return redirect("cases:break_glass_review")
