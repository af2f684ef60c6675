"""Fields and helpers the cases forms share."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


class GovDateField(DateInputField):
    """GOV.UK date input (day / month / year) with messages that say what to fix."""

    def __init__(self, *, label: str, required: bool = False, help_text: str = "", **kwargs):
        super().__init__(label=label, required=required, help_text=help_text, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {label.lower()}"
        self.error_messages["incomplete"] = f"Enter the {label.lower()} in full: day, month and year"
        for sub in self.fields:
            sub.required = False

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            # "Enter the date ..." and "... in full" already say what to do; anything else is not a real date.
            if getattr(error, "code", None) in ("required", "incomplete"):
                raise
            raise ValidationError(f"{self.label} must be a real date, for example 27 3 2009", code="invalid") from error

    def compress(self, data_list):
        day, month, year = data_list
        if not (day or month or year):
            return None
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        return super().compress(data_list)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-20", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


def datetime_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text or "For example 27/03/2025 14:30",
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be a real date and time",
        },
    )


def date_field(name: str) -> Field:
    """A GOV.UK date input with its legend at the size of the other labels."""
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def not_in_future(value, label: str):
    if value and value > timezone.now():
        raise ValidationError(f"{label} must be now or in the past")
    return value


def checkboxes(choices, label: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class VersionedForm:
    """Carries the version the user started from (optimistic locking)."""

    def add_version(self, version: int) -> None:
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version)
