"""Forms of the interventions pages (GOV.UK; the page supplies the <form> tag and buttons)."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from cases.forms._common import date_field, datetime_field
from safeguarding.core.forms import GovDateField, GovForm

from .models import BreachAction, CommunityProtection, ConditionKind, CPKind, ServiceMethod


def _text(label: str, *, rows: int = 4, required: bool = True, help_text: str = "", max_length: int = 5000):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class CPForm(GovForm):
    warning = forms.ModelChoiceField(
        label="The served warning this notice follows",
        queryset=CommunityProtection.objects.none(),
        required=False,
        empty_label="Choose the warning",
    )
    conduct = _text(
        "The conduct",
        help_text="What they are doing, where and when. It must be unreasonable and of a persistent or continuing nature.",
    )
    effect = _text("Its effect on the quality of life of those in the locality")
    planned_issue_on = GovDateField(
        label="Date of issue",
        required=True,
        help_text="They must be 16 or over on this date. For example, 27 3 2026",
    )
    review_on = GovDateField(label="Review date", required=True)

    def __init__(self, *args: Any, case=None, kind: str = CPKind.WARNING, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conduct"].error_messages["required"] = "Enter the conduct"
        self.fields["effect"].error_messages["required"] = (
            "Enter its effect on the quality of life of those in the locality"
        )
        fields: list[Any] = ["conduct", "effect", date_field("planned_issue_on"), date_field("review_on")]
        if kind == CPKind.NOTICE:
            warnings = CommunityProtection.objects.filter(case=case, kind=CPKind.WARNING).order_by("-pk")
            cast(Any, self.fields["warning"]).queryset = warnings
            self.fields["warning"].label_from_instance = lambda w: f"{w.reference} ({w.get_status_display().lower()})"  # type: ignore[attr-defined]
            fields.insert(0, "warning")
        else:
            del self.fields["warning"]
        self.helper.layout = Layout(*fields)


class ConditionForm(GovForm):
    kind = forms.ChoiceField(label="Type of condition", choices=ConditionKind.choices, widget=forms.RadioSelect)
    text = _text(
        "What they must do or stop doing",
        rows=3,
        required=False,
        max_length=2000,
        help_text='Written to follow "You must stop", "You must" or "You must take reasonable steps to", '
        'for example "carrying or delivering drugs for others".',
    )
    area_name = forms.CharField(label="Name of the area (area exclusions only)", max_length=200, required=False)
    area_description = _text("Description of the area's boundary (optional)", rows=3, required=False, max_length=2000)
    area_map_url = forms.URLField(
        label="Link to a map of the area (optional)", required=False, max_length=500, assume_scheme="https"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = "Select the type of condition"
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.SMALL), "text", "area_name", "area_description", "area_map_url"
        )


class DecisionForm(GovForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve it for issue"), ("return", "Return it to the officer with changes needed")],
        widget=forms.RadioSelect,
    )
    note = _text("Your reasons (needed when you return it)", rows=3, required=False, max_length=3000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].error_messages["required"] = "Select your decision"
        self.helper.layout = Layout(Field.radios("decision", legend_size=Size.SMALL), "note")


class IssueForm(GovForm):
    issued_on = GovDateField(label="Date of issue", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(date_field("issued_on"))


class ServeForm(GovForm):
    served_on = GovDateField(label="Date served", required=True)
    served_how = forms.ChoiceField(label="How it was served", choices=ServiceMethod.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["served_how"].error_messages["required"] = "Select how it was served"
        self.helper.layout = Layout(date_field("served_on"), Field.radios("served_how", legend_size=Size.SMALL))


class BreachForm(GovForm):
    occurred_at = datetime_field("When it happened")
    location = forms.CharField(label="Where it happened", max_length=200)
    reported_by = forms.CharField(label="Who reported it", max_length=150)
    action = forms.ChoiceField(label="Action taken", choices=BreachAction.choices, widget=forms.RadioSelect)
    action_detail = _text("Details of the action taken (optional)", rows=3, required=False, max_length=3000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].error_messages["required"] = "Enter where it happened"
        self.fields["reported_by"].error_messages["required"] = "Enter who reported it"
        self.fields["action"].error_messages["required"] = "Select the action taken"
        self.helper.layout = Layout(
            "occurred_at", "location", "reported_by", Field.radios("action", legend_size=Size.SMALL), "action_detail"
        )
