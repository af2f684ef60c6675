from collections.abc import Sequence
from typing import Any, cast

from django import forms

from safeguarding.accounts.models import User
from safeguarding.core.forms import GovForm, LocalDateTimeField


class ItemDoneForm(GovForm):
    note = forms.CharField(
        label="What was done (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example who you spoke to and what was agreed.",
    )


class ItemNotApplicableForm(GovForm):
    reason = forms.CharField(
        label="Why does this item not apply?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason this item does not apply"},
    )

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason this item does not apply")
        return reason


class ItemReassignForm(GovForm):
    owner = forms.TypedChoiceField(
        label="Give this item to", coerce=int, error_messages={"required": "Choose who will do this item"}
    )
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=500)

    def __init__(self, *args: Any, owners: Sequence[User], current_owner_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {u.pk: u for u in owners}
        cast(forms.TypedChoiceField, self.fields["owner"]).choices = [("", "Choose someone")] + [
            (u.pk, f"{u.full_name}{' (supervisor)' if u.is_supervisor else ''}") for u in owners
        ]
        if current_owner_id in self.owners:
            self.fields["owner"].initial = current_owner_id
        self.fields["owner"].error_messages["invalid_choice"] = "Select someone from the list"

    def clean_owner(self) -> User:
        return self.owners[self.cleaned_data["owner"]]


class ReturnInterviewForm(GovForm):
    conducted_at = LocalDateTimeField(
        label="When the interview took place",
        help_text="For example 27/03/2025 14:30",
        error_messages={"required": "Enter when the interview took place"},
    )
    conducted_by = forms.CharField(
        label="Who held the interview",
        max_length=200,
        help_text="Their name and organisation, for example an independent return home interview service.",
        error_messages={"required": "Enter who held the interview"},
    )
    summary = forms.CharField(
        label="What the young person said and what happens next",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write what the young person said and what happens next"},
    )
