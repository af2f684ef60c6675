"""A young person's record: create, overview, edit, names and the Philomena profile."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, get_for_user_or_404, require_editor, role_required
from safeguarding.core.forms import apply_service_errors
from safeguarding.core.ratelimits import rate_limit

from .. import chronology, search, sections, services
from ..forms import (
    AliasForm,
    PersonCreateForm,
    PersonForm,
    PhilomenaForm,
)
from ..models import (
    Alias,
    Associate,
    PhilomenaProfile,
    RiskLevel,
    VoiceEntry,
)
from ..selectors import (
    can_edit,
    cases_visible_to,
    person_cases_for,
    person_in_own_scope,
    person_visible,
    require_own_scope,
)
from ._common import (
    SUPERVISOR,
    Action,
    bound_form,
    person_or_redirect,
    save_versioned_edit,
)


@role_required(*User.Role.case_editors())
# Every POST counts, not only the one after the duplicate check: a first POST with no
# likely duplicates saves at once, and each POST runs the (costly) duplicate search.
@rate_limit("record_create", method="POST")
def person_create_view(request: AuthenticatedRequest) -> HttpResponse:
    form = bound_form(request, PersonCreateForm)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data.get("duplicates_checked"):
            duplicates = search.duplicate_candidates(
                user=request.user,
                given_name=data["given_name"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
                aliases=form.alias_list(),
                home_local_authority=data["home_local_authority"],
            )
            if duplicates:
                audit_record(
                    action=Action.SEARCH,
                    request=request,
                    object_type="cases.youngperson",
                    summary="Duplicate check before creating a record",
                    detail={"duplicate_check": True, "candidates": [c.person.pk for c in duplicates]},
                )
        if not duplicates:
            try:
                person = services.person_create(
                    actor=request.user, data=form.person_data(), aliases=form.alias_list(), request=request
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Record {person.reference} created for {person.full_name}.")
                return redirect("cases:person_detail", pk=person.pk)
        else:
            checked = request.POST.copy()
            checked["duplicates_checked"] = "True"
            form = PersonCreateForm(checked)
    return render(request, "cases/person_form.html", {"form": form, "duplicates": duplicates, "creating": True})


def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, moved = person_or_redirect(request, pk)
    if moved:
        return moved
    user = request.user
    visible = cases_visible_to(user).filter(person=person)
    cases = list(person_cases_for(user, person))
    open_cases = [c for c in cases if c.is_open]
    order: dict[str, int] = {RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1}
    risk_case = max(open_cases, key=lambda c: (order.get(c.risk_level, 0), c.opened_at), default=None)
    timeline = chronology.chronology_for(person=person, user=user)
    audit_record(action=Action.VIEW, request=request, obj=person, summary=f"Young person {person.reference} viewed")
    return render(
        request,
        "cases/person_detail.html",
        {
            "person": person,
            "tab": "overview",
            "cases": cases,
            "risk_case": risk_case,
            "aliases": list(person.aliases.all()),
            "philomena": PhilomenaProfile.objects.filter(person=person).first(),
            "voice": list(VoiceEntry.objects.filter(case__in=visible).select_related("recorded_by", "case")[:5]),
            "associates": list(Associate.objects.filter(case__in=visible).select_related("case", "linked_person")),
            "recent": timeline.entries[:10],
            "entries_total": len(timeline.entries),
            "other_records": timeline.other_records,
            "merged_from": list(person.merged_records.order_by("merged_at")),
            "sections": sections.person_sections(request, person, visible),
            **_person_permissions(request, person),
        },
    )


def _person_permissions(request: AuthenticatedRequest, person) -> dict:
    user = request.user
    return {
        # A record reached through break glass alone is read-only: offer no change.
        "can_edit": can_edit(user) and person_in_own_scope(user, person),
        "can_merge": user.role == SUPERVISOR,
        "can_see_viewers": user.role in (SUPERVISOR, User.Role.FORCE_LEAD),
    }


def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, moved = person_or_redirect(request, pk, "cases:person_edit")
    if moved:
        return moved
    require_editor(request.user)
    require_own_scope(request.user, person=person)
    form = bound_form(request, PersonForm, instance=person, version=person.version)
    answer = save_versioned_edit(
        request,
        form=form,
        fields=services.PERSON_FIELDS,
        update=partial(services.person_update, actor=request.user, person=person, request=request),
        title=lambda current: f"Edit {current.full_name}",
        done_url=reverse("cases:person_detail", args=[person.pk]),
    )
    if answer is not None:
        return answer
    if request.method == "GET":
        audit_record(
            action=Action.VIEW, request=request, obj=person, summary=f"Young person {person.reference} opened to edit"
        )
    return render(request, "cases/person_form.html", {"form": form, "person": person, "creating": False})


def person_aliases(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, moved = person_or_redirect(request, pk, "cases:person_aliases")
    if moved:
        return moved
    form = None
    if can_edit(request.user) and person_in_own_scope(request.user, person):
        form = bound_form(request, AliasForm)
        if request.method == "POST" and form.is_valid():
            try:
                alias = services.alias_add(actor=request.user, person=person, request=request, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{alias.get_kind_display()} “{alias.name}” added.")
                return redirect("cases:person_aliases", pk=person.pk)
    elif request.method == "POST":
        raise PermissionDenied
    audit_record(action=Action.VIEW, request=request, obj=person, summary=f"Names of {person.reference} viewed")
    return render(
        request,
        "cases/person_aliases.html",
        {"person": person, "aliases": list(person.aliases.select_related("created_by")), "form": form, "tab": "names"},
    )


@require_POST
def alias_remove_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alias = get_for_user_or_404(
        request=request,
        visible=Alias.objects.filter(person_visible(request.user)).select_related("person"),
        pk=pk,
    )
    require_editor(request.user)
    require_own_scope(request.user, person=alias.person)
    services.alias_remove(actor=request.user, alias=alias, request=request)
    messages.success(request, f"“{alias.name}” removed.")
    return redirect("cases:person_aliases", pk=alias.person_id)


def philomena_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, moved = person_or_redirect(request, pk, "cases:philomena_edit")
    if moved:
        return moved
    require_editor(request.user)
    require_own_scope(request.user, person=person)
    profile = PhilomenaProfile.objects.filter(person=person).first()
    form = bound_form(request, PhilomenaForm, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.philomena_update(actor=request.user, person=person, data=form.cleaned_data, request=request)
        messages.success(request, "Philomena profile saved.")
        return redirect("cases:person_detail", pk=person.pk)
    if request.method == "GET":
        audit_record(
            action=Action.VIEW, request=request, obj=person, summary=f"Philomena profile of {person.reference} viewed"
        )
    return render(request, "cases/philomena_form.html", {"form": form, "person": person})
