"""The dashboards' filter form (a GET form: it changes nothing) and the purpose asked
before a person-level export."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms

from safeguarding.accounts.models import Team, User
from safeguarding.core.forms import GovDateField, GovForm

# Figures by month stay a fixed number of queries: at most this many months at once.
MAX_MONTHS = 36


class DashboardFilterForm(GovForm):
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    officer = forms.TypedChoiceField(label="Officer", required=False, coerce=int, empty_value=None)
    date_from = GovDateField(label="From", help_text="For example, 1 4 2026")
    date_to = GovDateField(label="To", help_text="For example, 31 3 2027")

    def __init__(self, *args: Any, teams: list[Team], officers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = cast(forms.TypedChoiceField, self.fields["team"])
        officer_field = cast(forms.TypedChoiceField, self.fields["officer"])
        team_field.choices = [("", "All teams" if len(teams) != 1 else teams[0].name)] + [(t.pk, t.name) for t in teams]
        officer_field.choices = [("", "All officers")] + [(o.pk, o.full_name) for o in officers]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: date | None = data.get("date_from")
        end: date | None = data.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", "The end date must be the same as or after the start date")
            elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                self.add_error("date_to", f"Choose a period of at most {MAX_MONTHS} months")
        return data


class ExportPurposeForm(GovForm):
    purpose = forms.CharField(
        label="Why are you exporting these records?",
        help_text="Say what the list is for and who will see it. This is recorded with the export.",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=10,
        max_length=1000,
    )
