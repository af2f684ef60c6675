"""What the cases pages share: binding a form, finding the record (following a merge),
auditing a form opened, saving a versioned edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, require_editor
from safeguarding.core.db import EditConflict
from safeguarding.core.forms import apply_service_errors, edit_conflict_response, form_data

from ..models import Case, YoungPerson
from ..selectors import (
    case_get_for_user_or_404,
    person_get_for_user_or_404,
    require_own_scope,
)

Action = AuditEvent.Action
SUPERVISOR = User.Role.SUPERVISOR


def bound_form(request: AuthenticatedRequest, form_class, **kwargs):
    """Bound to the POST; or, on a GET, to what this user typed when their session ran
    out (core.forms.form_data: given back once, never submitted for them); or unbound."""
    return form_class(form_data(request), **kwargs)


def person_or_redirect(request: AuthenticatedRequest, pk: int, view_name: str = "cases:person_detail"):
    """(person, None), or (tombstone, redirect to the record it was merged into)."""
    person = person_get_for_user_or_404(request=request, pk=pk)
    if person.is_merged:
        survivor = cast(YoungPerson, person.merged_into)  # is_merged: merged_into is set
        messages.info(
            request,
            f"Record {person.reference} was merged into {survivor.reference} "
            f"on {timezone.localtime(person.merged_at):%d/%m/%Y}. You are now on that record.",
        )
        return person, redirect(view_name, pk=person.merged_into_id)
    return person, None


def case_for_edit(request: AuthenticatedRequest, pk: int) -> Case:
    case = case_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=case)
    return case


def audit_form_opened(request: AuthenticatedRequest, obj, what: str) -> None:
    """A form page shows the record it belongs to (name, age, reference): a consultation."""
    if request.method == "GET":
        audit_record(action=Action.VIEW, request=request, obj=obj, summary=f"{obj.reference}: {what} opened")


def save_versioned_edit(
    request: AuthenticatedRequest,
    *,
    form,
    fields: tuple[str, ...],
    update: Callable[..., object],
    title: Callable[[Any], str],  # given the current row of the edited model
    done_url: str,
) -> HttpResponse | None:
    """The POST of an edit form that carries the version the user started from: saved
    through `update(data=..., expected_version=...)`, it answers the redirect to
    `done_url`; when someone else saved first, the conflict page (titled
    `title(current record)`); else None, to show the form again with its errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}
    try:
        update(data=data, expected_version=form.cleaned_data["version"])
    except EditConflict as conflict:
        return edit_conflict_response(
            request,
            form=form,
            current=conflict.current,
            form_class=type(form),
            fields=fields,
            title=title(conflict.current),
            back_url=done_url,
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    messages.success(request, "Changes saved.")
    return redirect(done_url)
