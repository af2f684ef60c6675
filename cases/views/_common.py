"""What the cases pages share: binding a form, finding the record (following a merge), auditing a form opened, showing an edit conflict."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.core.forms import form_data

from ..models import (
    Case,
)
from ..selectors import (
    case_get_for_user_or_404,
    person_get_for_user_or_404,
)

Action = AuditEvent.Action


SUPERVISOR = User.Role.SUPERVISOR


def bound_form(request: HttpRequest, form_class, **kwargs):
    """Bound to the POST; or, on a GET, to what this user typed when their session ran
    out (core.forms.form_data: given back once, never submitted for them); or unbound."""
    return form_class(form_data(request), **kwargs)


def person_or_redirect(request: HttpRequest, pk: int, view_name: str = "cases:person_detail"):
    """(person, None), or (tombstone, redirect to the record it was merged into)."""
    person = person_get_for_user_or_404(request=request, pk=pk)
    if person.is_merged:
        messages.info(
            request,
            f"Record {person.reference} was merged into {person.merged_into.reference} "
            f"on {timezone.localtime(person.merged_at):%d/%m/%Y}. You are now on that record.",
        )
        return person, redirect(view_name, pk=person.merged_into_id)
    return person, None


def case_for_edit(request: HttpRequest, pk: int) -> Case:
    case = case_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    return case


def audit_form_opened(request: HttpRequest, obj, what: str) -> None:
    """A form page shows the record it belongs to (name, age, reference): a consultation."""
    if request.method == "GET":
        audit_record(action=Action.VIEW, request=request, obj=obj, summary=f"{obj.reference}: {what} opened")


def apply_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def display_value(field, value) -> str:
    """A value as people read it (choice labels, dates), for conflicts and changes."""
    if value in (None, "", []):
        return "—"
    choices = dict(getattr(field, "choices", None) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(choices.get(value, value))


def edit_conflict_response(
    request: HttpRequest, *, form, current, form_class, fields, title: str, back_url: str, **form_kwargs
):
    """The second save of two: show both versions and the user's typed values, bound to the
    new version, so they can re-apply their changes. Nothing was saved."""
    model_fields = {f.name: f for f in current._meta.fields}
    rows = []
    for name in fields:
        if name not in form.cleaned_data:
            continue
        mine, theirs = form.cleaned_data[name], getattr(current, name)
        if mine != theirs:
            source = model_fields.get(name) or form.fields[name]
            rows.append(
                {
                    "label": form.fields[name].label,
                    "mine": display_value(source, mine),
                    "theirs": display_value(source, theirs),
                }
            )
    latest = current.history.select_related("history_user").first()
    data = request.POST.copy()
    data["version"] = str(current.version)
    retry = form_class(data, instance=current, version=current.version, **form_kwargs)
    return render(
        request,
        "cases/conflict.html",
        {
            "title": title,
            "rows": rows,
            "form": retry,
            "latest": latest,
            "back_url": back_url,
            "record": current,
        },
        status=409,
    )
