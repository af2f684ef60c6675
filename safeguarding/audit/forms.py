from collections.abc import Sequence
from typing import Any, cast

from django import forms

from safeguarding.core.forms import GovForm

from .models import AuditEvent


class AuditSearchForm(GovForm):
    user = forms.CharField(label="User's email address", required=False)
    object_type = forms.ChoiceField(label="Record type", required=False)
    object_id = forms.CharField(
        label="Record number", required=False, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"})
    )
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any action"), *AuditEvent.Action.choices])
    date_from = forms.DateField(
        label="From (dd/mm/yyyy)",
        required=False,
        error_messages={"invalid": "Enter the from date as a real date, for example 27/03/2026"},
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    date_to = forms.DateField(
        label="To (dd/mm/yyyy)",
        required=False,
        error_messages={"invalid": "Enter the to date as a real date, for example 27/03/2026"},
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )

    def __init__(self, *args: Any, object_types: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["object_type"]).choices = [("", "Any record"), *object_types]

    def clean(self):
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned
