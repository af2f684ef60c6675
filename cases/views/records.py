"""What is added to a case: associates, tasks, the young person's voice, missing episodes and manual chronology entries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safeguarding.audit.services import audit_record
from safeguarding.core.access import AuthenticatedRequest, require_editor
from safeguarding.core.forms import apply_service_errors
from safeguarding.core.ratelimits import rate_limit

from .. import services
from ..forms import (
    AssociateForm,
    ChronologyEntryForm,
    MissingEpisodeForm,
    MissingRegradeForm,
    TaskCompleteForm,
    TaskForm,
    VoiceEntryForm,
)
from ..selectors import (
    missing_episode_get_for_user_or_404,
    require_own_scope,
    task_assignees,
    task_get_for_user_or_404,
)
from ._common import Action, audit_form_opened, bound_form, case_for_edit


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
    case = case_for_edit(request, pk)
    kwargs: dict[str, Any] = (form_kwargs or (lambda c: {}))(case)
    form = bound_form(request, form_class, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, case=case, data=form.cleaned_data, request=request)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("cases:case_detail", pk=case.pk)
    audit_form_opened(request, case, title.lower())
    return render(
        request,
        template,
        {"form": form, "case": case, "person": case.person, "title": title, "button": button, "intro": intro},
    )


@rate_limit("record_create", method="POST")
def associate_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _case_child_form(
        request,
        pk,
        form_class=AssociateForm,
        service=services.associate_create,
        title="Add an associate",
        button="Add associate",
        success="Associate added.",
    )


@rate_limit("record_create", method="POST")
def task_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
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


@rate_limit("record_create", method="POST")
def voice_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _case_child_form(
        request,
        pk,
        form_class=VoiceEntryForm,
        service=services.voice_entry_create,
        title="Record the young person's voice",
        button="Save their words",
        success="Their words are recorded.",
        intro="Write down what the young person told you and what they want, as they said it.",
    )


@rate_limit("record_create", method="POST")
def missing_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _case_child_form(
        request,
        pk,
        form_class=MissingEpisodeForm,
        service=services.missing_episode_create,
        title="Record a missing episode",
        button="Save missing episode",
        success="Missing episode recorded.",
    )


@rate_limit("record_create", method="POST")
def entry_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _case_child_form(
        request,
        pk,
        form_class=ChronologyEntryForm,
        service=services.chronology_entry_create,
        title="Add a chronology entry",
        button="Add entry",
        success="Chronology entry added.",
    )


def missing_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    episode = missing_episode_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=episode.case)
    form = bound_form(request, MissingEpisodeForm, instance=episode)
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_episode_update(
                actor=request.user, episode=episode, data=form.cleaned_data, request=request
            )
        except ValidationError as error:
            apply_service_errors(form, error)
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


def missing_regrade(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    episode = missing_episode_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=episode.case)
    form = bound_form(request, MissingRegradeForm, initial={"grade": episode.risk_grade})
    if request.method == "POST" and form.is_valid():
        try:
            services.missing_episode_regrade(
                actor=request.user,
                episode=episode,
                grade=form.cleaned_data["grade"],
                graded_at=form.cleaned_data["graded_at"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Missing episode re-graded.")
            return redirect("cases:case_detail", pk=episode.case_id)
    if request.method == "GET":
        audit_record(action=Action.VIEW, request=request, obj=episode, summary="Missing episode opened to re-grade")
    return render(
        request,
        "cases/missing_regrade.html",
        {
            "form": form,
            "case": episode.case,
            "person": episode.case.person,
            "episode": episode,
            "gradings": list(episode.gradings.select_related("graded_by")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def task_complete_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task = task_get_for_user_or_404(request=request, pk=pk)
    require_editor(request.user)
    require_own_scope(request.user, case=task.case)
    form = TaskCompleteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.task_complete(actor=request.user, task=task, note=note, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Task “{task.title}” marked as done.")
    return redirect("cases:case_detail", pk=task.case_id)
