"""Cases: the list, open, overview, edit, changes, status, reassignment and linked lines and groups."""

from __future__ import annotations

from datetime import date
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, require_editor, role_required
from safeguarding.core.forms import apply_service_errors, form_data
from safeguarding.core.paging import CappedPaginator
from safeguarding.core.ratelimits import rate_limit

from .. import sections, services
from ..closure import closure_blockers
from ..forms import (
    CaseForm,
    CaseLinksForm,
    CaseStatusForm,
    ReassignForm,
)
from ..models import (
    Case,
    CaseStatus,
    RiskLevel,
)
from ..selectors import (
    can_edit,
    case_digital_reviews,
    case_get_for_user_or_404,
    case_in_own_scope,
    case_linked_people,
    case_list_for,
    case_tasks,
    closures_awaiting_approval,
    digital_review_scope_allows,
    missing_periods,
    officers_for_assignment,
    reclassifications_awaiting_approval,
    require_own_scope,
    teams_for_filter,
    teams_of,
)
from ._common import (
    SUPERVISOR,
    Action,
    audit_form_opened,
    bound_form,
    case_for_edit,
    person_or_redirect,
    save_versioned_edit,
)
from .history import history_rows

# The case list counts up to CASE_LIST_CAP cases (newest first, 20 pages of 50); beyond
# that it says "more than" and asks for a filter (safeguarding.core.paging).
CASES_PER_PAGE = 50
CASE_LIST_CAP = 1000


@role_required(*User.Role.case_readers())
def case_list(request: AuthenticatedRequest) -> HttpResponse:
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
    page = CappedPaginator(qs, CASES_PER_PAGE, cap=CASE_LIST_CAP).get_page(request.GET.get("page"))
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


@rate_limit("record_create", method="POST")
def case_create_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person, moved = person_or_redirect(request, pk, "cases:case_create")
    if moved:
        return moved
    require_editor(request.user)
    require_own_scope(request.user, person=person)
    owners = officers_for_assignment(request.user)
    initial = {"owner": request.user.pk} if request.user.role == User.Role.OFFICER else {}
    form = bound_form(request, CaseForm, owners=owners, initial=initial)
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
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Case {case.reference} opened.")
            return redirect("cases:case_detail", pk=case.pk)
    audit_form_opened(request, person, "new case")
    return render(request, "cases/case_form.html", {"form": form, "person": person, "creating": True})


def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    user = request.user
    # A case reached through break glass alone is read-only: offer no change.
    editable = can_edit(user) and case_in_own_scope(user, case)
    digital_reviews = case_digital_reviews(user, case)
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=case,
        summary=f"Case {case.reference} viewed",
        # The restricted digital reviews listed on the page, by id (their findings are on their own page).
        detail={"digital_reviews": [r.pk for r in digital_reviews]} if digital_reviews else None,
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "digital_reviews": digital_reviews,
            "can_add_digital_review": editable and digital_review_scope_allows(user, case),
            "placements": list(case.placements.all()),
            "classification": services.current_classification(case),
            "reclassifications": list(
                case.reclassifications.select_related("requested_by", "decided_by").prefetch_related("suspects")
            ),
            "case": case,
            "person": case.person,
            "tasks": list(case_tasks(case)),
            "missing": list(case.missing_episodes.select_related("created_by").prefetch_related("gradings")),
            "missing_periods": missing_periods(user, case),
            "voice": list(case.voice_entries.select_related("recorded_by")),
            "associates": list(case.associates.select_related("linked_person")),
            "entries": list(case.chronology_entries.select_related("created_by")[:20]),
            "status_changes": list(case.status_changes.select_related("by")),
            "assignments": list(case.assignments.select_related("from_owner", "to_owner", "by")),
            "linked": case_linked_people(user, case),
            "transitions": services.transitions_for(user, case) if editable else [],
            "can_edit": editable,
            "can_reassign": user.role == SUPERVISOR and teams_of(user).filter(pk=case.team_id).exists(),
            "sections": sections.case_sections(request, case),
            "now": timezone.now(),
        },
    )


def case_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_for_edit(request, pk)
    form = bound_form(request, CaseForm, instance=case, version=case.version)
    answer = save_versioned_edit(
        request,
        form=form,
        fields=services.CASE_FIELDS,
        update=partial(services.case_update, actor=request.user, case=case, request=request),
        title=lambda current: f"Edit case {case.reference}",
        done_url=case.get_absolute_url(),
    )
    if answer is not None:
        return answer
    if request.method == "GET":
        audit_record(action=Action.VIEW, request=request, obj=case, summary=f"Case {case.reference} opened to edit")
    return render(request, "cases/case_form.html", {"form": form, "case": case, "person": case.person})


def case_changes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=pk)
    audit_record(action=Action.VIEW, request=request, obj=case, summary=f"Changes to case {case.reference} viewed")
    return render(
        request,
        "cases/changes.html",
        {"case": case, "person": case.person, "rows": history_rows(case, Case), "record": case},
    )


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def case_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_for_edit(request, pk)
    choices = services.transitions_for(request.user, case)
    initial = {}
    if case.status == CaseStatus.AWAITING_CLOSURE_APPROVAL:
        # A starting point the supervisor confirms or changes.
        initial["records_review_on"] = years_after(timezone.localdate(), settings.CASE_RECORDS_REVIEW_YEARS)
    form = CaseStatusForm(form_data(request), choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.case_transition(actor=request.user, case=case, request=request, **form.transition_data())
        except services.CaseTransitionError as error:
            form.add_error("to" if "reason" not in str(error).lower() else "reason", str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Case {updated.reference} is now {updated.get_status_display().lower()}.")
            return redirect("cases:case_detail", pk=case.pk)
    audit_form_opened(request, case, "change of status")
    return render(
        request,
        "cases/case_status.html",
        {"form": form, "case": case, "person": case.person, "blockers": closure_blockers(case)},
    )


def case_reassign_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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
            apply_service_errors(form, error)
        else:
            messages.success(
                request, f"Case {case.reference} reassigned to {form.cleaned_data['new_owner'].full_name}."
            )
            return redirect("cases:case_detail", pk=case.pk)
    audit_form_opened(request, case, "reassignment")
    return render(request, "cases/case_reassign.html", {"form": form, "case": case, "person": case.person})


def case_links(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = case_for_edit(request, pk)
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
    audit_form_opened(request, case, "deal lines and crime groups")
    return render(request, "cases/case_links.html", {"form": form, "case": case, "person": case.person})


@role_required(User.Role.SUPERVISOR)
def approvals(request: AuthenticatedRequest) -> HttpResponse:
    """What waits for this supervisor's decision: closures of their teams' cases."""
    closures = list(closures_awaiting_approval(request.user))
    reclassifications = list(reclassifications_awaiting_approval(request.user))
    audit_record(
        action=Action.LIST,
        request=request,
        object_type="cases.case",
        summary="Approvals waiting",
        detail={
            "shown": [c.pk for c in closures],
            "reclassifications_shown": [r.pk for r in reclassifications],
        },
    )
    return render(request, "cases/approvals.html", {"closures": closures, "reclassifications": reclassifications})
