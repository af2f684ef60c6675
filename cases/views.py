"""Pages for young people and cases. Thin: access → form → service → redirect.

Records outside the user's scope answer 404 (the selectors); pages that a role
cannot use at all answer 403 (role_required); the force lead reads everything
and changes nothing (403 on every change). Every page that shows a record,
every list and search, and every change writes its audit row.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import get_for_user_or_404, role_required
from safeguarding.core.db import EditConflict
from safeguarding.core.forms import form_data

from . import chronology, conf, search, sections, selectors, services
from .forms import (
    AliasForm,
    AssociateForm,
    BreakGlassForm,
    BreakGlassReviewForm,
    CaseForm,
    CaseLinksForm,
    CaseStatusForm,
    ChronologyEntryForm,
    ChronologyFilterForm,
    MergeConfirmForm,
    MergeSelectForm,
    MissingEpisodeForm,
    PersonCreateForm,
    PersonForm,
    PhilomenaForm,
    ReassignForm,
    SearchForm,
    TaskCompleteForm,
    TaskForm,
    VoiceEntryForm,
)
from .models import (
    Alias,
    Associate,
    Case,
    CaseStatus,
    MissingEpisode,
    PhilomenaProfile,
    RiskLevel,
    Task,
    VoiceEntry,
    YoungPerson,
)
from .selectors import (
    EDIT_ROLES,
    READ_ROLES,
    break_glass_to_review,
    can_edit,
    case_get_for_user_or_404,
    case_linked_people,
    case_list_for,
    case_tasks,
    cases_visible_to,
    officers_for_assignment,
    people_visible_to,
    person_cases_for,
    person_contacts,
    person_for_break_glass,
    person_get_for_user_or_404,
    person_is_visible_to,
    task_assignees,
    teams_for_filter,
    teams_of,
)

Action = AuditEvent.Action
SUPERVISOR = User.Role.SUPERVISOR


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _form(request: HttpRequest, form_class, **kwargs):
    """Bound to the POST; or, on a GET, to what this user typed when their session ran
    out (core.forms.form_data: given back once, never submitted for them); or unbound."""
    return form_class(form_data(request), **kwargs)


def _require_edit(request: HttpRequest) -> None:
    if not can_edit(request.user):
        raise PermissionDenied("Your role can read these records but not change them.")


def _person(request: HttpRequest, pk: int, view_name: str = "cases:person_detail"):
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


def _case_for_edit(request: HttpRequest, pk: int) -> Case:
    case = case_get_for_user_or_404(request=request, pk=pk)
    _require_edit(request)
    return case


def _audit_form_opened(request: HttpRequest, obj, what: str) -> None:
    """A form page shows the record it belongs to (name, age, reference): a consultation."""
    if request.method == "GET":
        audit_record(action=Action.VIEW, request=request, obj=obj, summary=f"{obj.reference}: {what} opened")


def _apply_service_errors(form, error: ValidationError) -> None:
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


def _conflict(request: HttpRequest, *, form, current, form_class, fields, title: str, back_url: str, **form_kwargs):
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


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------


@role_required(*READ_ROLES)
def search_view(request: HttpRequest) -> HttpResponse:
    """POST only for the terms, so names never sit in URLs, browser history or server logs."""
    form = SearchForm(form_data(request), reference_label=search.reference_label())
    results = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        results = search.search_people(
            user=request.user, name=data["name"], date_of_birth=data["date_of_birth"], reference=data["reference"]
        )
        audit_record(
            action=Action.SEARCH,
            request=request,
            object_type="cases.youngperson",
            summary="Young people searched",
            detail={
                "name": data["name"],
                "date_of_birth": data["date_of_birth"].isoformat() if data["date_of_birth"] else "",
                "reference": data["reference"],
                "results": len(results),
                "in_scope": [r.person.pk for r in results if r.in_scope],
                "out_of_scope": [r.person.pk for r in results if not r.in_scope],
            },
        )
    return render(
        request,
        "cases/search.html",
        {"form": form, "results": results, "can_edit": can_edit(request.user)},
    )


# ---------------------------------------------------------------------------
# Young people
# ---------------------------------------------------------------------------


@role_required(*EDIT_ROLES)
def person_create(request: HttpRequest) -> HttpResponse:
    form = _form(request, PersonCreateForm)
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
                _apply_service_errors(form, error)
            else:
                messages.success(request, f"Record {person.reference} created for {person.full_name}.")
                return redirect("cases:person_detail", pk=person.pk)
        else:
            checked = request.POST.copy()
            checked["duplicates_checked"] = "True"
            form = PersonCreateForm(checked)
    return render(request, "cases/person_form.html", {"form": form, "duplicates": duplicates, "creating": True})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person, moved = _person(request, pk)
    if moved:
        return moved
    user = request.user
    visible = cases_visible_to(user).filter(person=person)
    cases = list(person_cases_for(user, person))
    open_cases = [c for c in cases if c.is_open]
    order = {RiskLevel.HIGH: 3, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 1}
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
            **_person_permissions(request),
        },
    )


def _person_permissions(request: HttpRequest) -> dict:
    user = request.user
    return {
        "can_edit": can_edit(user),
        "can_merge": user.role == SUPERVISOR,
        "can_see_viewers": user.role in (SUPERVISOR, User.Role.FORCE_LEAD),
    }


def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person, moved = _person(request, pk, "cases:person_edit")
    if moved:
        return moved
    _require_edit(request)
    form = _form(request, PersonForm, instance=person, version=person.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                data=form.person_data(),
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except EditConflict as conflict:
            return _conflict(
                request,
                form=form,
                current=conflict.current,
                form_class=PersonForm,
                fields=services.PERSON_FIELDS,
                title=f"Edit {conflict.current.full_name}",
                back_url=reverse("cases:person_detail", args=[person.pk]),
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("cases:person_detail", pk=person.pk)
    if request.method == "GET":
        audit_record(
            action=Action.VIEW, request=request, obj=person, summary=f"Young person {person.reference} opened to edit"
        )
    return render(request, "cases/person_form.html", {"form": form, "person": person, "creating": False})


def person_aliases(request: HttpRequest, pk: int) -> HttpResponse:
    person, moved = _person(request, pk, "cases:person_aliases")
    if moved:
        return moved
    form = None
    if can_edit(request.user):
        form = _form(request, AliasForm)
        if request.method == "POST" and form.is_valid():
            try:
                alias = services.alias_add(actor=request.user, person=person, request=request, **form.cleaned_data)
            except ValidationError as error:
                _apply_service_errors(form, error)
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
def alias_remove(request: HttpRequest, pk: int) -> HttpResponse:
    alias = get_for_user_or_404(
        request=request,
        visible=Alias.objects.filter(person__in=people_visible_to(request.user).values("pk")).select_related("person"),
        pk=pk,
    )
    _require_edit(request)
    services.alias_remove(actor=request.user, alias=alias, request=request)
    messages.success(request, f"“{alias.name}” removed.")
    return redirect("cases:person_aliases", pk=alias.person_id)


def philomena_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person, moved = _person(request, pk, "cases:philomena_edit")
    if moved:
        return moved
    _require_edit(request)
    profile = PhilomenaProfile.objects.filter(person=person).first()
    form = _form(request, PhilomenaForm, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.philomena_update(actor=request.user, person=person, data=form.cleaned_data, request=request)
        messages.success(request, "Philomena profile saved.")
        return redirect("cases:person_detail", pk=person.pk)
    if request.method == "GET":
        audit_record(
            action=Action.VIEW, request=request, obj=person, summary=f"Philomena profile of {person.reference} viewed"
        )
    return render(request, "cases/philomena_form.html", {"form": form, "person": person})


def _chronology(request: HttpRequest, pk: int, view_name: str):
    person, moved = _person(request, pk, view_name)
    if moved:
        return person, moved, None, None
    types = chronology.type_labels()
    form = ChronologyFilterForm(request.GET or None, types=types)
    wanted = form.cleaned_data["type"] if form.is_bound and form.is_valid() else []
    timeline = chronology.chronology_for(person=person, user=request.user, types=wanted)
    return person, None, form, timeline


def person_chronology(request: HttpRequest, pk: int) -> HttpResponse:
    person, moved, form, timeline = _chronology(request, pk, "cases:person_chronology")
    if moved:
        return moved
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=person,
        summary=f"Chronology of {person.reference} viewed",
        detail={"types": sorted(timeline.types_shown)},
    )
    return render(
        request,
        "cases/person_chronology.html",
        {
            "person": person,
            "tab": "chronology",
            "form": form,
            "timeline": timeline,
            "query": request.GET.urlencode(),
            "can_edit": can_edit(request.user),
            "cases": list(person_cases_for(request.user, person).filter(status__in=CaseStatus.open_values())),
        },
    )


def person_chronology_print(request: HttpRequest, pk: int) -> HttpResponse:
    person, moved, form, timeline = _chronology(request, pk, "cases:person_chronology_print")
    if moved:
        return moved
    audit_record(
        action=Action.EXPORT,
        request=request,
        obj=person,
        summary=f"Chronology of {person.reference} printed",
        detail={"types": sorted(timeline.types_shown), "entries": len(timeline.entries)},
    )
    return render(
        request,
        "cases/person_chronology_print.html",
        {"person": person, "timeline": timeline, "printed_at": timezone.now(), "types": chronology.type_labels()},
    )


def _history_rows(record, model) -> list[dict]:
    """django-simple-history as "who changed which field from what to what", newest first."""
    fields = {f.name: f for f in model._meta.fields}
    history = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    rows = []
    previous = None
    for entry in history:
        changes = []
        if previous is not None:
            delta = entry.diff_against(previous)
            for change in delta.changes:
                field = fields.get(change.field)
                if field is None or change.field in ("version", "updated_at"):
                    continue
                changes.append(
                    {
                        "field": str(field.verbose_name).capitalize(),
                        "old": display_value(field, change.old) if field else str(change.old),
                        "new": display_value(field, change.new) if field else str(change.new),
                    }
                )
        rows.append(
            {
                "at": entry.history_date,
                "who": entry.history_user.full_name if entry.history_user else "System",
                "type": entry.get_history_type_display(),
                "reason": entry.history_change_reason or "",
                "changes": changes,
            }
        )
        previous = entry
    return list(reversed(rows))


def person_changes(request: HttpRequest, pk: int) -> HttpResponse:
    person, moved = _person(request, pk, "cases:person_changes")
    if moved:
        return moved
    audit_record(action=Action.VIEW, request=request, obj=person, summary=f"Changes to {person.reference} viewed")
    return render(
        request,
        "cases/changes.html",
        {"person": person, "tab": "changes", "rows": _history_rows(person, YoungPerson), "record": person},
    )


def person_viewers(request: HttpRequest, pk: int) -> HttpResponse:
    person, moved = _person(request, pk, "cases:person_viewers")
    if moved:
        return moved
    if request.user.role not in (SUPERVISOR, User.Role.FORCE_LEAD):
        raise PermissionDenied("Only supervisors see who viewed a record.")
    events = list(selectors.person_viewers(person))
    audit_record(action=Action.VIEW, request=request, obj=person, summary=f"Viewers of {person.reference} listed")
    return render(request, "cases/person_viewers.html", {"person": person, "tab": "viewers", "events": events})


@role_required(*EDIT_ROLES)
def break_glass(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_break_glass(pk)
    if person is None:
        raise Http404("No such record.")
    if person_is_visible_to(request.user, person):
        return redirect("cases:person_detail", pk=person.pk)
    form = BreakGlassForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            access = services.break_glass_grant(
                actor=request.user, person=person, justification=form.cleaned_data["justification"], request=request
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
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
            "pk": person.pk,
            "contacts": person_contacts(person),
            "form": form,
            "hours": conf.get("BREAK_GLASS_HOURS"),
        },
    )


@role_required(SUPERVISOR)
def break_glass_review(request: HttpRequest) -> HttpResponse:
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
def break_glass_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
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


@role_required(SUPERVISOR)
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: which other record. Step 2: both side by side, which survives, and why."""
    person, moved = _person(request, pk, "cases:person_merge")
    if moved:
        return moved
    other = None
    select_form = MergeSelectForm(request.POST if request.method == "POST" and "other" in request.POST else None)
    confirm_form = None
    if request.method == "POST" and "other_pk" in request.POST:
        other = _merge_other(request, person, request.POST.get("other_pk"))
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
                    _apply_service_errors(confirm_form, error)
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
    return render(
        request, "cases/person_merge.html", {"person": person, "form": select_form, "suggestions": suggestions}
    )


def _merge_other(request: HttpRequest, person: YoungPerson, pk) -> YoungPerson | None:
    try:
        other_pk = int(pk)
    except (TypeError, ValueError):
        return None
    if other_pk == person.pk:
        return None
    return people_visible_to(request.user).filter(pk=other_pk, merged_into__isnull=True).first()


def _merge_summary(user: User, person: YoungPerson) -> dict:
    return {
        "person": person,
        "cases": list(person_cases_for(user, person)),
        "aliases": list(person.aliases.all()),
    }


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


@role_required(*READ_ROLES)
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    teams = list(teams_for_filter(user))
    status = request.GET.get("status", "open")
    risk = request.GET.get("risk", "")
    team_id = request.GET.get("team", "")
    mine = request.GET.get("mine") == "1"
    team_pk = int(team_id) if team_id.isdigit() and any(t.pk == int(team_id) for t in teams) else None
    qs = case_list_for(
        user,
        status=status if status in CaseStatus.values else "",
        open_only=status == "open",
        team_id=team_pk,
        owner_id=user.pk if mine else None,
        risk=risk if risk in RiskLevel.values else "",
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    audit_record(
        action=Action.LIST,
        request=request,
        object_type="cases.case",
        summary="Cases listed",
        detail={"status": status, "risk": risk, "team": team_pk or "", "mine": mine, "shown": len(page.object_list)},
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "teams": teams,
            "status": status,
            "risk": risk,
            "team_pk": team_pk,
            "mine": mine,
            "statuses": CaseStatus.choices,
            "risks": RiskLevel.choices,
        },
    )


def case_create(request: HttpRequest, pk: int) -> HttpResponse:
    person, moved = _person(request, pk, "cases:case_create")
    if moved:
        return moved
    _require_edit(request)
    owners = officers_for_assignment(request.user)
    initial = {"owner": request.user.pk} if request.user.role == User.Role.OFFICER else {}
    form = _form(request, CaseForm, owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                actor=request.user,
                person=person,
                owner=form.cleaned_data["owner"],
                data=form.case_data(),
                request=request,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} opened.")
            return redirect("cases:case_detail", pk=case.pk)
    _audit_form_opened(request, person, "new case")
    return render(request, "cases/case_form.html", {"form": form, "person": person, "creating": True})


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    user = request.user
    audit_record(action=Action.VIEW, request=request, obj=case, summary=f"Case {case.reference} viewed")
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "person": case.person,
            "tasks": list(case_tasks(case)),
            "missing": list(case.missing_episodes.select_related("created_by")),
            "voice": list(case.voice_entries.select_related("recorded_by")),
            "associates": list(case.associates.select_related("linked_person")),
            "entries": list(case.chronology_entries.select_related("created_by")[:20]),
            "status_changes": list(case.status_changes.select_related("by")),
            "assignments": list(case.assignments.select_related("from_owner", "to_owner", "by")),
            "linked": case_linked_people(user, case),
            "transitions": services.transitions_for(user, case),
            "can_edit": can_edit(user),
            "can_reassign": user.role == SUPERVISOR and teams_of(user).filter(pk=case.team_id).exists(),
            "sections": sections.case_sections(request, case),
            "now": timezone.now(),
        },
    )


def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk)
    form = _form(request, CaseForm, instance=case, version=case.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=request.user,
                case=case,
                data=form.case_data(),
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except EditConflict as conflict:
            return _conflict(
                request,
                form=form,
                current=conflict.current,
                form_class=CaseForm,
                fields=services.CASE_FIELDS,
                title=f"Edit case {case.reference}",
                back_url=case.get_absolute_url(),
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("cases:case_detail", pk=case.pk)
    if request.method == "GET":
        audit_record(action=Action.VIEW, request=request, obj=case, summary=f"Case {case.reference} opened to edit")
    return render(request, "cases/case_form.html", {"form": form, "case": case, "person": case.person})


def case_changes(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    audit_record(action=Action.VIEW, request=request, obj=case, summary=f"Changes to case {case.reference} viewed")
    return render(
        request,
        "cases/changes.html",
        {"case": case, "person": case.person, "rows": _history_rows(case, Case), "record": case},
    )


def case_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk)
    choices = services.transitions_for(request.user, case)
    form = CaseStatusForm(form_data(request), choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.case_transition(
                actor=request.user,
                case=case,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except services.CaseTransitionError as error:
            form.add_error("to" if "reason" not in str(error).lower() else "reason", str(error))
        else:
            messages.success(request, f"Case {updated.reference} is now {updated.get_status_display().lower()}.")
            return redirect("cases:case_detail", pk=case.pk)
    _audit_form_opened(request, case, "change of status")
    return render(request, "cases/case_status.html", {"form": form, "case": case, "person": case.person})


def case_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    if request.user.role != SUPERVISOR or not teams_of(request.user).filter(pk=case.team_id).exists():
        raise PermissionDenied("Only a supervisor of the case's team can reassign it.")
    officers = officers_for_assignment(request.user).exclude(pk=case.owner_id)
    form = ReassignForm(form_data(request), officers=officers)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reassign(
                actor=request.user,
                case=case,
                new_owner=form.cleaned_data["new_owner"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request, f"Case {case.reference} reassigned to {form.cleaned_data['new_owner'].full_name}."
            )
            return redirect("cases:case_detail", pk=case.pk)
    _audit_form_opened(request, case, "reassignment")
    return render(request, "cases/case_reassign.html", {"form": form, "case": case, "person": case.person})


def case_links(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk)
    initial = {"deal_lines": list(case.deal_lines.all()), "crime_groups": list(case.crime_groups.all())}
    form = CaseLinksForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.case_links_update(
            actor=request.user,
            case=case,
            deal_lines=list(data["deal_lines"]),
            crime_groups=list(data["crime_groups"]),
            new_deal_line={
                "name": data["new_deal_line_name"],
                "phone_number": data["new_deal_line_phone"],
                "supply_area": data["new_deal_line_area"],
            },
            new_crime_group={"name": data["new_crime_group_name"], "area": data["new_crime_group_area"]},
            request=request,
        )
        messages.success(request, "Deal lines and organised crime groups saved.")
        return redirect("cases:case_detail", pk=case.pk)
    _audit_form_opened(request, case, "deal lines and crime groups")
    return render(request, "cases/case_links.html", {"form": form, "case": case, "person": case.person})


def _case_child_form(
    request,
    pk,
    *,
    form_class,
    service,
    title,
    template="cases/case_child_form.html",
    button,
    success,
    form_kwargs=None,
    intro="",
):
    case = _case_for_edit(request, pk)
    kwargs = (form_kwargs or (lambda c: {}))(case)
    form = _form(request, form_class, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, case=case, data=form.cleaned_data, request=request)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("cases:case_detail", pk=case.pk)
    _audit_form_opened(request, case, title.lower())
    return render(
        request,
        template,
        {"form": form, "case": case, "person": case.person, "title": title, "button": button, "intro": intro},
    )


def _associate_add(*, actor, case, data, request):
    """Resolve the optional record number to a young person the user may see."""
    data = dict(data)
    number = data.pop("linked_reference", None)
    if number:
        linked = people_visible_to(actor).filter(pk=number, merged_into__isnull=True).first()
        if linked is None:
            raise ValidationError({"linked_reference": "You cannot see a live record with that number"})
        data["linked_person"] = linked
    return services.associate_add(actor=actor, case=case, data=data, request=request)


def associate_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_child_form(
        request,
        pk,
        form_class=AssociateForm,
        service=_associate_add,
        title="Add an associate",
        button="Add associate",
        success="Associate added.",
    )


def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_child_form(
        request,
        pk,
        form_class=TaskForm,
        service=services.task_create,
        title="Add a task",
        button="Add task",
        success="Task added.",
        form_kwargs=lambda case: {"assignees": task_assignees(case)},
    )


def voice_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_child_form(
        request,
        pk,
        form_class=VoiceEntryForm,
        service=services.voice_entry_add,
        title="Record the young person's voice",
        button="Save their words",
        success="Their words are recorded.",
        intro="Write down what the young person told you and what they want, as they said it.",
    )


def missing_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_child_form(
        request,
        pk,
        form_class=MissingEpisodeForm,
        service=services.missing_episode_record,
        title="Record a missing episode",
        button="Save missing episode",
        success="Missing episode recorded.",
    )


def entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_child_form(
        request,
        pk,
        form_class=ChronologyEntryForm,
        service=services.chronology_entry_add,
        title="Add a chronology entry",
        button="Add entry",
        success="Chronology entry added.",
    )


def missing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    episode = get_for_user_or_404(
        request=request,
        visible=MissingEpisode.objects.filter(case__in=cases_visible_to(request.user).values("pk")).select_related(
            "case", "case__person"
        ),
        pk=pk,
    )
    _require_edit(request)
    form = _form(request, MissingEpisodeForm, instance=episode)
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_episode_update(
                actor=request.user, episode=episode, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, "Missing episode updated.")
            return redirect("cases:case_detail", pk=episode.case_id)
    if request.method == "GET":
        audit_record(action=Action.VIEW, request=request, obj=episode, summary="Missing episode opened to edit")
    return render(
        request,
        "cases/case_child_form.html",
        {
            "form": form,
            "case": episode.case,
            "person": episode.case.person,
            "title": "Update a missing episode",
            "button": "Save changes",
        },
    )


@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_for_user_or_404(
        request=request,
        visible=Task.objects.filter(case__in=cases_visible_to(request.user).values("pk")).select_related("case"),
        pk=pk,
    )
    _require_edit(request)
    form = TaskCompleteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.task_complete(actor=request.user, task=task, note=note, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Task “{task.title}” marked as done.")
    return redirect("cases:case_detail", pk=task.case_id)
