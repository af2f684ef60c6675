"""Settling a row's time that happened twice (BST or GMT), from the row's page."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from safeguarding.accounts.models import User
from safeguarding.core import uktime
from safeguarding.core.access import AuthenticatedRequest, role_required
from safeguarding.core.forms import GovForm, form_data

from . import selectors, services
from .views import _audit_decision_form, _decidable_or_message, _row_context


class RowTimeForm(GovForm):
    zone = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": "Select BST or GMT"},
    )

    def __init__(self, *args, parsed, what: str, **kwargs):
        super().__init__(*args, **kwargs)
        shown = parsed.naive.strftime("%H:%M")
        day = parsed.naive.strftime("%d/%m/%Y")
        self.fields["zone"].label = f"Was the {what} {shown} on {day} BST or GMT?"
        self.fields[
            "zone"
        ].help_text = f"The clocks went back that night, so {shown} happened twice. Check the custody record."
        cast(forms.ChoiceField, self.fields["zone"]).choices = uktime.zone_choices(shown)


@role_required(User.Role.OFFICER, User.Role.SUPERVISOR)
def row_time(request: AuthenticatedRequest, pk: int, field: str) -> HttpResponse:
    row = selectors.row_get_for_user_or_404(request=request, pk=pk)
    if field not in services.TIME_FIELDS:
        raise Http404("No such time.")
    if (done := _decidable_or_message(request, row)) is not None:
        return done
    parsed = services.row_ambiguous_times(row).get(field)
    if parsed is None:
        messages.info(request, "That time does not need settling.")
        return redirect("custody:row_detail", pk=row.pk)
    what = services.TIME_FIELDS[field][1]
    form = RowTimeForm(form_data(request), parsed=parsed, what=what)
    if request.method == "POST" and form.is_valid():
        try:
            services.custody_row_time_settle(
                actor=request.user, row=row, field=field, zone=form.cleaned_data["zone"], request=request
            )
        except services.DecisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"The {what} on line {row.line_number} is recorded as {form.cleaned_data['zone']}."
            )
            return redirect("custody:row_detail", pk=row.pk)
    context = _row_context(request, row)
    _audit_decision_form(request, row, f"settle the {what}", context)
    return render(request, "custody/review/row_time.html", {**context, "form": form, "what": what})
