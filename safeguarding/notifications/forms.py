from __future__ import annotations

from typing import Any

from django import forms

from safeguarding.core.forms import GovForm

from .kinds import EmailKind

CHOICES = [("email", "By email and in the service"), ("in_app", "In the service only")]


class PreferencesForm(GovForm):
    """One question per kind of message the user's role receives by email."""

    def __init__(self, *args: Any, kinds: list[EmailKind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.hint,
                choices=CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how you want the {kind.label.lower()}"},
            )
