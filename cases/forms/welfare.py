"""Forms of placements, reclassifications and digital reviews."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from safeguarding.core.forms import GovDateField, GovForm

from ..models import ApprovalStatus, Associate, CaseClassification, DigitalFindingCategory, PlacementType
from ._common import date_field


class PlacementForm(GovForm):
    placement_type = forms.ChoiceField(
        label="Type of placement",
        choices=PlacementType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of placement"},
    )
    type_other = forms.CharField(label="Other type (describe)", required=False, max_length=150)
    secure_order_on = GovDateField(
        label="Date of the secure accommodation order", help_text="Only for secure accommodation"
    )
    secure_order_court = forms.CharField(
        label="Court that made the order", required=False, max_length=200, help_text="Only for secure accommodation"
    )
    address = forms.CharField(
        label="Address", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter the address"}
    )
    provider = forms.CharField(label="Provider or carer (optional)", required=False, max_length=200)
    from_date = GovDateField(label="From", required=True)
    to_date = GovDateField(label="To (leave blank if they still live there)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_date"].error_messages["required"] = "Enter the date the placement started"
        self.helper.layout = Layout(
            Field.radios("placement_type", legend_size=Size.SMALL),
            Field.text("type_other", field_width=30),
            Fieldset(
                date_field("secure_order_on"),
                Field.text("secure_order_court", field_width=30),
                legend="Secure accommodation order",
                legend_size=Size.SMALL,
            ),
            "address",
            Field.text("provider", field_width=30),
            date_field("from_date"),
            date_field("to_date"),
        )


class PlacementEndForm(GovForm):
    to_date = GovDateField(label="The day they left", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_date"].error_messages["required"] = "Enter the day they left"
        self.helper.layout = Layout(date_field("to_date"))


class ReclassificationForm(GovForm):
    to_classification = forms.ChoiceField(
        label="New classification",
        choices=CaseClassification.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new classification"},
    )
    reason = forms.CharField(
        label="Why the classification changes",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the classification changes"},
    )
    suspects = forms.ModelMultipleChoiceField(
        label="Linked suspects (optional)",
        queryset=Associate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The associates behind the exploitation.",
    )
    s45_defence_noted = forms.BooleanField(
        label="The Modern Slavery Act 2015 section 45 defence has been noted", required=False
    )
    s45_notes = forms.CharField(
        label="About the s45 defence (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, associates, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["suspects"]).queryset = associates
        layout: list[Any] = [Field.radios("to_classification", legend_size=Size.SMALL), "reason"]
        if associates.exists():
            layout.append(Field.checkboxes("suspects", legend_size=Size.SMALL))
        else:
            del self.fields["suspects"]
        layout += [Field.checkbox("s45_defence_noted"), "s45_notes"]
        self.helper.layout = Layout(*layout)


class ReclassificationDecisionForm(GovForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (ApprovalStatus.APPROVED, "Approve: it takes effect now"),
            (ApprovalStatus.REJECTED, "Do not approve"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the reclassification"},
    )
    note = forms.CharField(
        label="Note (needed if you do not approve)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("decision", legend_size=Size.SMALL), "note")


class DigitalReviewForm(GovForm):
    device = forms.CharField(
        label="Device",
        max_length=200,
        help_text="For example: black Samsung phone, seized on arrest.",
        error_messages={"required": "Enter the device"},
    )
    reviewed_by_name = forms.CharField(
        label="Reviewed by", max_length=200, error_messages={"required": "Enter who reviewed the device"}
    )
    reviewed_on = GovDateField(label="Reviewed on", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].error_messages["required"] = "Enter the date of the review"
        for code, label in DigitalFindingCategory.choices:
            self.fields[code] = forms.CharField(
                label=f"{label} (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        self.helper.layout = Layout(
            Field.text("device", field_width=30),
            Field.text("reviewed_by_name", field_width=30),
            date_field("reviewed_on"),
            Fieldset(*DigitalFindingCategory.values, legend="Findings by category", legend_size=Size.MEDIUM),
        )

    def findings(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code) or "" for code in DigitalFindingCategory.values}
