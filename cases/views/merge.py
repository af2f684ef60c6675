"""Merging two records of the same young person (supervisors only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, role_required
from safeguarding.core.forms import apply_service_errors

from .. import search, services
from ..forms import (
    MergeConfirmForm,
    MergeSelectForm,
)
from ..models import (
    YoungPerson,
)
from ..selectors import (
    people_visible_to,
    person_cases_for,
    person_get_for_user_or_404,
    person_in_own_scope,
    require_own_scope,
)
from ._common import SUPERVISOR, Action, person_or_redirect


@role_required(SUPERVISOR)
def person_merge_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Step 1: which other record. Step 2: both side by side, which survives, and why."""
    person, moved = person_or_redirect(request, pk, "cases:person_merge")
    if moved:
        return moved
    require_own_scope(request.user, person=person)
    other = None
    select_form = MergeSelectForm(request.POST if request.method == "POST" and "other" in request.POST else None)
    confirm_form = None
    if request.method == "POST" and "other_pk" in request.POST:
        other = _merge_other(request, person, request.POST.get("other_pk"), confirming=True)
        if other is None:
            select_form = MergeSelectForm()
            select_form.add_error(None, "Choose the other record again.")
        else:
            confirm_form = MergeConfirmForm(request.POST, people=[person, other])
            if confirm_form.is_valid():
                survivor_pk = int(confirm_form.cleaned_data["survivor"])
                survivor, merged = (person, other) if survivor_pk == person.pk else (other, person)
                try:
                    services.person_merge(
                        actor=request.user,
                        survivor=survivor,
                        merged=merged,
                        reason=confirm_form.cleaned_data["reason"],
                        request=request,
                    )
                except ValidationError as error:
                    apply_service_errors(confirm_form, error)
                else:
                    messages.success(
                        request, f"{merged.reference} was merged into {survivor.reference}. Everything was kept."
                    )
                    return redirect("cases:person_detail", pk=survivor.pk)
    elif select_form.is_bound and select_form.is_valid():
        other = _merge_other(request, person, select_form.cleaned_data["other"])
        if other is None:
            select_form.add_error("other", "You cannot see a live record with that number. Check it and try again.")
        else:
            confirm_form = MergeConfirmForm(people=[person, other], initial={"survivor": str(person.pk)})
    if other is not None and confirm_form is not None:
        audit_record(
            action=Action.VIEW,
            request=request,
            obj=other,
            summary=f"{other.reference} compared with {person.reference} to merge",
            detail={"shown": [person.pk, other.pk]},
        )
        return render(
            request,
            "cases/person_merge_confirm.html",
            {
                "person": person,
                "other": other,
                "form": confirm_form,
                "people": [_merge_summary(request.user, p) for p in (person, other)],
            },
        )
    suggestions = [
        c
        for c in search.duplicate_candidates(
            user=request.user,
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            aliases=[a.name for a in person.aliases.all()],
            home_local_authority=person.home_local_authority,
            exclude_pk=person.pk,
        )
        if c.in_scope
    ]
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=person,
        summary=f"{person.reference} opened to merge",
        detail={"suggested": [c.person.pk for c in suggestions]},
    )
    return render(
        request, "cases/person_merge.html", {"person": person, "form": select_form, "suggestions": suggestions}
    )


def _merge_other(
    request: AuthenticatedRequest, person: YoungPerson, pk, *, confirming: bool = False
) -> YoungPerson | None:
    """The other live record in the user's scope, or None to ask again. The confirm step
    carries a record id the select step already checked: one outside the user's scope
    there is a crafted request, refused like any other out-of-scope id (404, audited)."""
    try:
        other_pk = int(pk)
    except (TypeError, ValueError):
        return None
    if other_pk == person.pk:
        return None
    if confirming:
        other = person_get_for_user_or_404(request=request, pk=other_pk)
        if other.is_merged:
            return None
        require_own_scope(request.user, person=other)
        return other
    candidate = people_visible_to(request.user).filter(pk=other_pk, merged_into__isnull=True).first()
    return candidate if candidate is not None and person_in_own_scope(request.user, candidate) else None


def _merge_summary(user: User, person: YoungPerson) -> dict:
    return {
        "person": person,
        "cases": list(person_cases_for(user, person)),
        "aliases": list(person.aliases.all()),
    }
