"""Fields and helpers the cases forms share."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.core.forms import LocalDateTimeField


def datetime_field(label: str, *, required: bool = True, help_text: str = "") -> LocalDateTimeField:
    """A UK date and time; on the night the clocks go back the officer says BST or GMT."""
    return LocalDateTimeField(
        label=label,
        required=required,
        help_text=help_text or "For example 27/03/2025 14:30",
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
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

    fields: dict[str, forms.Field]  # a mixin for forms: theirs

    def add_version(self, version: int) -> None:
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version)
