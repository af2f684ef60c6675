"""What the cases pages share: binding a form, finding the record (following a merge),
auditing a form opened."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import require_editor
from safeguarding.core.forms import form_data

from ..models import Case
from ..selectors import case_get_for_user_or_404, person_get_for_user_or_404

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
