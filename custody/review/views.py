"""Pages of the morning custody review: upload, import progress and summary, the
review queue, and a row with its decisions (custody events: event_views.py).

Thin views: role → scoped lookup (404 outside scope) → form → service → redirect.
Every page works without JavaScript (the progress page reloads itself with a
meta refresh while the import runs).
"""

from __future__ import annotations

import csv
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cases.selectors import people_visible_to
from safeguarding.accounts.models import User
from safeguarding.audit.models import AuditEvent
from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, role_required
from safeguarding.core.forms import apply_service_errors, form_data
from safeguarding.core.ratelimits import rate_limit

from ..models import CustodyImport, CustodyImportRow, ImportStatus, RowState
from . import parsing, row_values, selectors, services, tasks
from .forms import (
    AlreadyKnownForm,
    BulkDecisionForm,
    ColumnMappingForm,
    NotAtRiskForm,
    SafeguardForm,
    UploadForm,
    add_same_person_field,
    max_upload_text,
)

READ = User.Role.case_readers()
EDIT = User.Role.case_editors()
Action = AuditEvent.Action
ROWS_PER_PAGE = 50


def _page(request: AuthenticatedRequest, items, per_page: int = ROWS_PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _mark_visible_matches(user: User, rows) -> None:
    """Set ``match_in_scope`` on rows whose screening matched a known person (one query)."""
    ids = {r.matched_person_id for r in rows if r.matched_person_id}
    visible = set(people_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for row in rows:
        row.match_in_scope = row.matched_person_id in visible


# ---------------------------------------------------------------------------
# The review queue
# ---------------------------------------------------------------------------


@role_required(*READ)
@require_GET
def review(request: AuthenticatedRequest) -> HttpResponse:
    queue = selectors.review_queue(request.user)
    page = _page(request, queue)
    rows = list(page.object_list)
    _mark_visible_matches(request.user, rows)
    selectors.mark_same_person_rows(rows)
    selectors.mark_open_cases(request.user, rows)
    today = selectors.review_today(request.user)
    decided = list(selectors.decided_today(request.user)[:50])
    audit_record(
        action=Action.LIST,
        request=request,
        object_type=CustodyImportRow._meta.label_lower,
        summary="Custody review queue",
        detail={"rows_shown": [r.pk for r in rows]},
    )
    return render(
        request,
        "custody/review/review.html",
        {
            "page": page,
            "rows": rows,
            "today": today,
            "decided": decided,
            "can_review": selectors.can_review(request.user),
        },
    )


@role_required(*EDIT)
@require_POST
def review_bulk(request: AuthenticatedRequest) -> HttpResponse:
    """Decide several queue rows at once: "not at risk" with one reason, or "already known"
    on the open case of each row's confident match. Each row is decided by the same service
    as on its own page, with its own audit row; a row that cannot be decided so is left in
    the queue with the reason."""
    form = BulkDecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("custody:review")
    rows = list(
        selectors.review_queue(request.user)
        .filter(pk__in=form.cleaned_data["rows"])
        .order_by("batch_id", "line_number")
    )
    not_at_risk = form.cleaned_data["action"] == BulkDecisionForm.NOT_AT_RISK
    outcome = services.custody_rows_decide_bulk(
        actor=request.user,
        rows=rows,
        action=services.BULK_NOT_AT_RISK if not_at_risk else services.BULK_ALREADY_KNOWN,
        reason=form.cleaned_data["reason"],
        request=request,
    )
    done, left = outcome.done, outcome.left
    if done:
        label = "not at risk" if not_at_risk else "already known"
        messages.success(request, f"{len(done)} {'row' if len(done) == 1 else 'rows'} recorded as {label}.")
    if left:
        messages.info(request, "Not decided: " + "; ".join(left) + ".")
    return redirect("custody:review")


# ---------------------------------------------------------------------------
# Uploads
# ---------------------------------------------------------------------------


@role_required(*EDIT)
@rate_limit("custody_upload", method="POST")
def import_upload(request: AuthenticatedRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None, actor=request.user)
    chosen = request.FILES.get("file")
    if request.method == "POST" and form.is_valid():
        batch = services.custody_import_create(
            actor=request.user,
            filename=form.cleaned_data["file"].name,
            content=form.content,
            csv_file=cast(parsing.CsvFile, form.csv_file),  # set by a valid form
            needs_columns=form.needs_columns,
            request=request,
        )
        if form.needs_columns:
            return redirect("custody:import_columns", pk=batch.pk)
        tasks.custody_import_start(batch)
        return redirect("custody:import_detail", pk=batch.pk)
    return render(
        request,
        "custody/review/upload.html",
        {
            "form": form,
            "chosen": chosen,
            "max_size": max_upload_text(),
            "columns": [(parsing.LABELS[name], others) for name, others in parsing.COLUMNS.items()],
            "required": [parsing.LABELS[name].lower() for name in parsing.REQUIRED],
        },
        status=400 if posted else 200,
    )


@role_required(*EDIT)
def import_columns(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The column-matching step: a list whose headings did not say every field, or that
    has a column that reads like one left unused, is imported once the uploader has said
    which column holds what (saved for their team's next list with the same headings)."""
    batch = selectors.import_get_for_user_or_404(request=request, pk=pk)
    if batch.status != ImportStatus.COLUMNS:
        return redirect("custody:import_detail", pk=batch.pk)
    content = CustodyImport.objects.values_list("content", flat=True).get(pk=batch.pk)
    try:
        csv_file = parsing.read_file(bytes(content), allow_missing=True)
    except parsing.FileProblem:
        # The file itself is gone (the retention purge): it can only be uploaded again.
        messages.info(request, f"The file {batch.filename} is no longer kept: upload it again to import it.")
        return redirect("custody:import_upload")
    form = ColumnMappingForm(request.POST if request.method == "POST" else None, header=csv_file.header)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.custody_import_columns_set(
                actor=request.user, batch=batch, mapping=form.mapping, request=request
            )
        except (services.DecisionError, parsing.FileProblem) as error:
            form.add_error(None, str(error))
        else:
            tasks.custody_import_start(batch)
            return redirect("custody:import_detail", pk=batch.pk)
    examples = parsing.examples(csv_file)
    return render(
        request,
        "custody/review/import_columns.html",
        {
            "batch": batch,
            "form": form,
            "columns": list(zip(form.column_fields(), examples, strict=True)),
            "unmatched": [parsing.LABELS[m] for m in csv_file.header.missing()],
        },
        status=400 if request.method == "POST" else 200,
    )


@role_required(*READ)
@require_GET
def import_list(request: AuthenticatedRequest) -> HttpResponse:
    page = _page(request, selectors.import_list(request.user), per_page=25)
    return render(
        request,
        "custody/review/import_list.html",
        {"page": page, "can_review": selectors.can_review(request.user)},
    )


@role_required(*READ)
@require_GET
def import_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get_for_user_or_404(request=request, pk=pk)
    if batch.status == ImportStatus.COLUMNS and selectors.can_review(request.user):
        return redirect("custody:import_columns", pk=batch.pk)
    state = request.GET.get("state", "")
    if state not in RowState.values:
        state = ""
    rows_page = _page(request, selectors.import_rows(batch, state=state))
    rows = list(rows_page.object_list)
    _mark_visible_matches(request.user, rows)
    problems = batch.problems
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=batch,
        summary=f"Custody list {batch.pk}",
        detail={"rows_shown": len(rows)},
    )
    return render(
        request,
        "custody/review/import_detail.html",
        {
            "batch": batch,
            "page": rows_page,
            "rows": rows,
            "state": state,
            "states": RowState.choices,
            "query": f"state={state}" if state else "",
            "problems": problems,
            "errors": [p for p in problems if p.get("kind") == "error"],
            "refresh": not batch.is_finished and batch.status != ImportStatus.COLUMNS,
            "can_review": selectors.can_review(request.user),
        },
    )


@role_required(*READ)
@require_GET
def import_problems_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The problems found in a list, for the custody team to correct: an export, audited,
    every cell escaped so that a spreadsheet never runs one as a formula."""
    batch = selectors.import_get_for_user_or_404(request=request, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="custody-list-{batch.pk}-problems.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["line", "kind", "column", "value", "message"])
    for problem in batch.problems:
        writer.writerow(
            [row_values.export_cell(problem.get(name, "")) for name in ("line", "kind", "column", "value", "message")]
        )
    audit_record(
        action=Action.EXPORT,
        request=request,
        obj=batch,
        summary=f"Problems of custody list {batch.pk} exported",
        detail={"problems": len(batch.problems)},
    )
    return response


# ---------------------------------------------------------------------------
# A row and its decisions
# ---------------------------------------------------------------------------


def _row_context(request: AuthenticatedRequest, row: CustodyImportRow) -> dict:
    candidates = selectors.row_candidates(request.user, row)
    return {
        "row": row,
        "candidates": candidates,
        "best": selectors.best_match(candidates),
        "same_person": selectors.same_person_rows(row),
        "match": selectors.matched_person_display(request.user, row),
        "known_cases": [case for c in candidates for case in c.open_cases],
        "can_decide": selectors.can_review(request.user) and row.state in services.DECIDABLE and not row.is_purged,
        "event": getattr(row, "event", None) if row.is_decided else None,
    }


@role_required(*READ)
@require_GET
def row_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row = selectors.row_get_for_user_or_404(request=request, pk=pk)
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=row,
        summary=f"Custody list row, line {row.line_number} of list {row.batch_id}",
    )
    return render(request, "custody/review/row_detail.html", _row_context(request, row))


def _audit_decision_form(request: AuthenticatedRequest, row: CustodyImportRow, what: str, context: dict) -> None:
    """A decision form shows the row's name and the known people it may be: a consultation."""
    audit_record(
        action=Action.VIEW,
        request=request,
        obj=row,
        summary=f"Custody list row, line {row.line_number} of list {row.batch_id}: {what} form",
        detail={"people": [c.person.pk for c in context["candidates"] if c.in_scope]},
    )


def _same_person_messages(request: AuthenticatedRequest, outcome: services.SamePersonOutcome) -> None:
    """Say which other lines ticked as the same young person were decided, and which not."""
    for message in outcome.also_left:
        messages.info(request, message)
    done = outcome.also_done
    if done:
        messages.success(request, f"Also decided: line{'s' if len(done) > 1 else ''} {', '.join(map(str, done))}.")


def _decidable_or_message(request: AuthenticatedRequest, row: CustodyImportRow) -> HttpResponse | None:
    if row.is_purged or row.state not in services.DECIDABLE:
        messages.info(request, "This row has already been decided.")
        return redirect("custody:row_detail", pk=row.pk)
    return None


@role_required(*EDIT)
def row_safeguard(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row = selectors.row_get_for_user_or_404(request=request, pk=pk)
    if (done := _decidable_or_message(request, row)) is not None:
        return done
    context = _row_context(request, row)
    form = SafeguardForm(form_data(request), actor=request.user, row=row, candidates=context["candidates"])
    add_same_person_field(form, context["same_person"])
    if request.method == "POST" and form.is_valid():
        try:
            person = form.chosen_person()
            outcome = services.custody_row_safeguard_same_person(
                actor=request.user,
                row=row,
                decision={
                    "owner": form.cleaned_data["owner"],
                    "person": person,
                    "person_data": None if person else form.person_data(),
                    "case_data": form.case_data(),
                },
                also=form.cleaned_data.get("also") or [],
                request=request,
            )
            event = outcome.case_event
        except services.DecisionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Case {event.case.reference} opened for {event.person.full_name} and the custody event recorded.",
            )
            _same_person_messages(request, outcome)
            return redirect(event.case.get_absolute_url())
    _audit_decision_form(request, row, "safeguard", context)
    return render(request, "custody/review/row_safeguard.html", {**context, "form": form})


@role_required(*EDIT)
def row_already_known(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row = selectors.row_get_for_user_or_404(request=request, pk=pk)
    if (done := _decidable_or_message(request, row)) is not None:
        return done
    context = _row_context(request, row)
    form = AlreadyKnownForm(form_data(request), cases=context["known_cases"])
    add_same_person_field(form, context["same_person"])
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.custody_row_already_known_same_person(
                actor=request.user,
                row=row,
                case=form.cleaned_data["case"],
                also=form.cleaned_data.get("also") or [],
                request=request,
            )
            event = outcome.case_event
        except services.DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Custody event added to case {event.case.reference}.")
            _same_person_messages(request, outcome)
            return redirect(event.case.get_absolute_url())
    _audit_decision_form(request, row, "already known", context)
    return render(request, "custody/review/row_known.html", {**context, "form": form})


@role_required(*EDIT)
def row_not_at_risk(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    row = selectors.row_get_for_user_or_404(request=request, pk=pk)
    if (done := _decidable_or_message(request, row)) is not None:
        return done
    context = _row_context(request, row)
    form = NotAtRiskForm(form_data(request))
    add_same_person_field(form, context["same_person"])
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.custody_row_not_at_risk_same_person(
                actor=request.user,
                row=row,
                reason=form.cleaned_data["reason"],
                also=form.cleaned_data.get("also") or [],
                request=request,
            )
        except services.DecisionError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Line {row.line_number} recorded as not at risk.")
            _same_person_messages(request, outcome)
            return redirect("custody:review")
    _audit_decision_form(request, row, "not at risk", context)
    return render(request, "custody/review/row_not_at_risk.html", {**context, "form": form})
