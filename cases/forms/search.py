"""The person search form."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import ValidationError

from safeguarding.core.forms import GovDateField, GovForm


class SearchForm(GovForm):
    name = forms.CharField(
        label="Name, alias or street name",
        required=False,
        max_length=200,
        help_text="Spelling does not need to be exact: similar names and common variants are found too.",
    )
    date_of_birth = GovDateField(label="Date of birth")
    reference = forms.CharField(label="Reference", required=False, max_length=60)

    def __init__(self, *args, reference_label: str = "Reference", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].label = reference_label
        self.helper.layout = Layout(
            Field.text("name", field_width=30), "date_of_birth", Field.text("reference", field_width=20)
        )

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if not self.errors and not (
            data.get("name", "").strip() or data.get("date_of_birth") or data.get("reference", "").strip()
        ):
            raise ValidationError("Enter a name, a date of birth or a reference to search for")
        return data
