"""Custody events entered or edited by hand on a case, and the page of one event.

Thin views: role → scoped lookup (404 outside scope) → form → service → redirect."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases.selectors import case_get_for_user_or_404, require_own_scope
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, role_required
from safeguarding.core.db import EditConflict
from safeguarding.core.forms import apply_service_errors, form_data
from safeguarding.core.ratelimits import rate_limit

from . import selectors, services
from .forms import (
    CustodyEventForm,
)
from .views import EDIT, READ, Action

# ---------------------------------------------------------------------------
# Custody events
# ---------------------------------------------------------------------------


@role_required(*READ)
@require_GET
def event_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = selectors.custody_event_get_for_user_or_404(request=request, pk=pk)
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=event,
        summary=f"Custody event on case {event.case.reference}",
        detail={"case": event.case_id},
    )
    return render(
        request,
        "custody/review/event_detail.html",
        {"event": event, "case": event.case, "can_edit": selectors.can_review(request.user) and event.case.is_open},
    )


@role_required(*EDIT)
@rate_limit("record_create", method="POST")
def event_create(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=case_pk)
    require_own_scope(request.user, case=case)  # break glass reads, never records
    if not case.is_open:
        messages.info(request, f"Case {case.reference} is closed: reopen it to record a custody event.")
        return redirect(case.get_absolute_url())
    form = CustodyEventForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.custody_event_create(
                actor=request.user, case=case, data=form.event_data(), request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Custody event recorded.")
            return redirect(event.get_absolute_url())
    audit_record(action=Action.VIEW, request=request, obj=case, summary=f"{case.reference}: new custody event form")
    return render(request, "custody/review/event_form.html", {"form": form, "case": case, "event": None})


@role_required(*EDIT)
def event_update(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = selectors.custody_event_get_for_user_or_404(request=request, pk=pk)
    require_own_scope(request.user, case=event.case)
    if not event.case.is_open:
        raise PermissionDenied("The case is closed.")
    form = CustodyEventForm(form_data(request), instance=event)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                event = services.custody_event_update(
                    actor=request.user,
                    event=event,
                    data=form.event_data(),
                    expected_version=form.cleaned_data.get("version") or event.version,
                    request=request,
                )
        except EditConflict as error:
            conflict = error.current
            form.add_error(
                None,
                "Someone else changed this custody event while you were editing it. "
                "Your changes are below: check them against the current record and save again.",
            )
            form.data = cast(QueryDict, form.data).copy()  # a bound form's POST
            form.data["version"] = cast(Any, conflict).version  # the row's version, as before
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Custody event saved.")
            return redirect(event.get_absolute_url())
    audit_record(
        action=Action.VIEW, request=request, obj=event, summary=f"{event.case.reference}: custody event edit form"
    )
    return render(
        request,
        "custody/review/event_form.html",
        {"form": form, "case": event.case, "event": event, "conflict": conflict, "now": timezone.now()},
    )
