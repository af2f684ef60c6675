"""Merging two records: which other record, then which survives and why."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from safeguarding.core.forms import GovForm


class MergeSelectForm(GovForm):
    other = forms.CharField(
        label="Record number of the other record",
        help_text="For example, YP000123 — shown under the name on each person's page.",
        max_length=20,
        error_messages={"required": "Enter the record number of the other record"},
    )

    def clean_other(self):
        value = self.cleaned_data["other"].strip().upper().removeprefix("YP")
        if not value.isdigit():
            raise ValidationError("Enter a record number like YP000123")
        return int(value)


class MergeConfirmForm(GovForm):
    survivor = forms.ChoiceField(
        label="Which record should stay?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the record that stays"},
    )
    reason = forms.CharField(
        label="Why are these the same young person?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason these are the same young person"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["survivor"]).choices = [
            (str(p.pk), f"{p.full_name} ({p.reference})") for p in people
        ]
