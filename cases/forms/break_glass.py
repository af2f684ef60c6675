"""Break glass: the justification, and the supervisors' review note."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from safeguarding.core.forms import GovForm


class BreakGlassForm(GovForm):
    justification = forms.CharField(
        label="Why do you need to see this record?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Explain why you need access to this record"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        minimum = settings.BREAK_GLASS_MIN_JUSTIFICATION
        self.fields["justification"].help_text = (
            f"At least {minimum} characters. Your reason, your name and the time are recorded, "
            "and your supervisor and the record's team can see them."
        )

    def clean_justification(self):
        text = self.cleaned_data["justification"].strip()
        minimum = settings.BREAK_GLASS_MIN_JUSTIFICATION
        if len(text) < minimum:
            raise ValidationError(f"Explain why you need access in at least {minimum} characters")
        return text


class BreakGlassReviewForm(GovForm):
    note = forms.CharField(label="Review note (optional)", required=False, max_length=2000)
