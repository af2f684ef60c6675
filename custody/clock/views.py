"""Pages of the 48-hour clock: the team clocks page, a checklist, and the item forms.

Thin views: role → scoped lookup (404 outside scope) → form → service → redirect.
Every page works without JavaScript; custody-clock.js only ticks the countdowns.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.selectors import can_edit, case_get_for_user_or_404, require_own_scope
from custody.models import ChecklistItem
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, role_required
from safeguarding.core.forms import GovForm, apply_service_errors, form_data

from . import selectors, services
from .forms import ItemDoneForm, ItemNotApplicableForm, ItemReassignForm, ReturnInterviewForm

READ = User.Role.case_readers()
EDIT = User.Role.case_editors()
Action = AuditEvent.Action


def _hours_label(window: timedelta) -> str:
    hours = int(window.total_seconds() // 3600)
    return f"{hours} hour{'s' if hours != 1 else ''}"


@role_required(*READ)
def clocks(request: AuthenticatedRequest) -> HttpResponse:
    teams = list(selectors.clock_teams_for(request.user))
    team = None
    team_id = request.GET.get("team", "")
    if team_id.isdigit():
        team = next((t for t in teams if t.pk == int(team_id)), None)
    clock = selectors.team_clock_page(request.user, team=team, page_number=request.GET.get("page"))
    interviews = selectors.team_open_interviews(request.user, team=team)
    audit_record(
        action=Action.LIST,
        request=request,
        object_type="custody.checklistitem",
        summary="Team clocks",
        detail={
            "team": team.pk if team else None,
            "items": clock.counts.total,
            "return_interviews": len(interviews),
        },
    )
    return render(
        request,
        "custody/clock/clocks.html",
        {
            "board": clock.board,
            "counts": clock.counts,
            "page": clock.page,
            "query": urlencode({"team": team.pk}) if team else "",
            "teams": teams,
            "team": team,
            "interviews": interviews,
            "due_soon_label": _hours_label(selectors.due_soon_window()),
        },
    )


@role_required(*READ)
def case_clock(request: AuthenticatedRequest, case_pk: int) -> HttpResponse:
    case = case_get_for_user_or_404(request=request, pk=case_pk)
    context = selectors.case_clock(case)
    audit_record(action=Action.VIEW, request=request, obj=case, summary=f"48-hour clock of {case.reference}")
    return render(
        request, "custody/clock/case_clock.html", {"case": case, **context, "can_edit": can_edit(request.user)}
    )


@role_required(*READ)
def checklist_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get_for_user_or_404(request=request, pk=pk)
    items = [selectors.annotate_item(i, timezone.now()) for i in selectors.checklist_items(checklist)]
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=checklist,
        summary=f"48-hour checklist of {checklist.case.reference}",
        detail={"case": checklist.case_id},
    )
    return render(
        request,
        "custody/clock/checklist_detail.html",
        {
            "checklist": checklist,
            "case": checklist.case,
            "items": items,
            "can_edit": can_edit(request.user) and checklist.is_running,
            "can_reassign": selectors.can_reassign(request.user, checklist) and checklist.is_running,
        },
    )


def _item_form_page(request: AuthenticatedRequest, pk: int, *, action: str) -> HttpResponse:
    item = selectors.item_get_for_user_or_404(request=request, pk=pk)
    checklist = item.checklist
    require_own_scope(request.user, case=checklist.case)  # break glass reads, never records
    back = checklist.get_absolute_url()
    if not item.is_pending:
        messages.info(request, f"This item is already {item.get_status_display().lower()}.")
        return redirect(back)
    data = form_data(request)
    form: GovForm
    if action == "done":
        form = ItemDoneForm(data)
    elif action == "not_applicable":
        form = ItemNotApplicableForm(data)
    else:
        owners = services.owners_for_reassignment(request.user, item)
        form = ItemReassignForm(data, owners=owners, current_owner_id=item.owner_id)
    if request.method == "POST" and form.is_valid():
        try:
            if action == "done":
                services.item_mark_done(actor=request.user, item=item, note=form.cleaned_data["note"])
                messages.success(request, f"Done: {item.title}")
            elif action == "not_applicable":
                services.item_mark_not_applicable(actor=request.user, item=item, reason=form.cleaned_data["reason"])
                messages.success(request, f"Marked not applicable: {item.title}")
            else:
                owner = form.cleaned_data["owner"]
                services.item_reassign(actor=request.user, item=item, owner=owner, reason=form.cleaned_data["reason"])
                messages.success(request, f"Given to {owner.full_name}: {item.title}")
        except services.ChecklistError as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
            return _render_item_form(request, item, form, action)
        return redirect(back)
    return _render_item_form(request, item, form, action)


TITLES = {
    "done": "Mark as done",
    "not_applicable": "Mark as not applicable",
    "reassign": "Give this item to someone else",
}


def _render_item_form(request: AuthenticatedRequest, item: ChecklistItem, form: GovForm, action: str) -> HttpResponse:
    selectors.annotate_item(item, timezone.now())
    return render(
        request,
        "custody/clock/item_form.html",
        {
            "item": item,
            "checklist": item.checklist,
            "case": item.checklist.case,
            "form": form,
            "action": action,
            "heading": TITLES[action],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@role_required(*EDIT)
def item_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _item_form_page(request, pk, action="done")


@role_required(*EDIT)
def item_not_applicable(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _item_form_page(request, pk, action="not_applicable")


@role_required(User.Role.SUPERVISOR)
def item_reassign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _item_form_page(request, pk, action="reassign")


@role_required(*READ)
def return_interview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A return home interview: its clock, and (for an editor while it is open) the form
    that records it."""
    interview = selectors.interview_get_for_user_or_404(request=request, pk=pk)
    case = interview.case
    editable = can_edit(request.user) and interview.is_pending
    form = ReturnInterviewForm(form_data(request) if editable else None)
    if request.method == "POST":
        require_own_scope(request.user, case=case)  # break glass reads, never records
        if not editable:
            messages.info(request, f"This interview is already {interview.get_status_display().lower()}.")
            return redirect(interview.get_absolute_url())
        if form.is_valid():
            try:
                services.interview_record(actor=request.user, interview=interview, request=request, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Return home interview recorded.")
                return redirect(case.get_absolute_url())
    else:
        audit_record(
            action=Action.VIEW,
            request=request,
            obj=interview,
            summary=f"Return home interview of {case.reference}",
            detail={"case": case.pk},
        )
    selectors.annotate_interview(interview, timezone.now())
    return render(
        request,
        "custody/clock/return_interview.html",
        {"interview": interview, "case": case, "form": form, "can_edit": editable},
        status=400 if form.is_bound and form.errors else 200,
    )
