"""Forms of a case: details, status, reassignment, linked lines and groups."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from safeguarding.accounts.models import User
from safeguarding.core.forms import GovDateField, GovForm, GovModelForm

from ..models import (
    Case,
    CaseStatus,
    ClosureOutcome,
    DealLine,
    ExploitationType,
    OrganisedCrimeGroup,
)
from ..services import CASE_FIELDS
from ._common import VersionedForm, checkboxes, date_field


class CaseForm(VersionedForm, GovModelForm):
    exploitation_types = checkboxes(ExploitationType.choices, "Types of exploitation")
    risk_review_on = GovDateField(label="Next risk review")
    records_review_on = GovDateField(
        label="Next records review",
        help_text="When this record must next be reviewed for retention, under the Police Information and Records Management Code of Practice",
    )

    class Meta:
        model = Case
        fields = CASE_FIELDS
        widgets = {
            "risk_level": forms.RadioSelect,
            "how_identified": forms.RadioSelect,
            "risk_rationale": forms.Textarea(attrs={"rows": 4}),
            "how_identified_detail": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "risk_level": "Risk level",
            "risk_rationale": "Why this risk level",
            "how_identified": "How the young person was identified",
            "operation_name": "Name of the operation",
            "how_identified_detail": "More about how they were identified (optional)",
        }

    def __init__(self, *args, owners=None, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if owners is not None:
            self.fields["owner"] = forms.ModelChoiceField(
                label="Officer in charge",
                queryset=owners,
                error_messages={"required": "Choose the officer in charge", "invalid_choice": "Choose an officer"},
            )
            # Set on the instance, as Django allows; the stubs declare a method.
            cast(Any, self.fields["owner"]).label_from_instance = lambda u: f"{u.full_name} ({u.team.name})"
        if version is not None:
            self.add_version(version)
        # The field's own choices are a list here; the stubs allow callables and enums too.
        cast(forms.ChoiceField, self.fields["risk_level"]).choices = [
            c for c in cast(Any, self.fields["risk_level"]).choices if c[0]
        ]
        # The field's own choices are a list here; the stubs allow callables and enums too.
        cast(forms.ChoiceField, self.fields["how_identified"]).choices = [
            c for c in cast(Any, self.fields["how_identified"]).choices if c[0]
        ]
        self.fields["risk_rationale"].required = True
        self.fields["risk_rationale"].error_messages["required"] = "Say why you chose this risk level"
        self.fields["risk_level"].error_messages["required"] = "Choose the risk level"
        self.fields["how_identified"].error_messages["required"] = "Select how the young person was identified"
        self.helper.layout = Layout(
            *(["owner"] if "owner" in self.fields else []),
            Field.checkboxes("exploitation_types", legend_size=Size.SMALL),
            Field.text("exploitation_other", field_width=20),
            Field.radios("risk_level", legend_size=Size.SMALL, inline=True),
            "risk_rationale",
            date_field("risk_review_on"),
            Field.radios("how_identified", legend_size=Size.SMALL),
            Field.text("operation_name", field_width=20),
            "how_identified_detail",
            date_field("records_review_on"),
            *(["version"] if "version" in self.fields else []),
        )

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        types = data.get("exploitation_types") or []
        if not types and "exploitation_types" not in self.errors:
            self.add_error("exploitation_types", "Choose at least one type of exploitation (or Other)")
        if ExploitationType.OTHER in types and not data.get("exploitation_other", "").strip():
            self.add_error("exploitation_other", "Describe the other type of exploitation")
        if data.get("how_identified") == Case.HowIdentified.OPERATION and not data.get("operation_name", "").strip():
            self.add_error("operation_name", "Enter the name of the operation")
        return data

    def _post_clean(self):
        pass

    def case_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in CASE_FIELDS if f in self.cleaned_data}


class CaseStatusForm(GovForm):
    to = forms.ChoiceField(
        label="What do you want to do?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do with the case"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed to ask for closure, to reopen, or to keep a case open.",
    )
    outcomes = checkboxes(
        ClosureOutcome.choices,
        "Outcomes for the young person",
        help_text="Needed to ask for closure. Select all that apply.",
    )
    outcome_other = forms.CharField(label="Other outcome (describe)", required=False, max_length=300)
    records_review_on = GovDateField(
        label="Next records review",
        help_text="Needed to approve closure: when the record must next be reviewed for retention under the "
        "Police Information and Records Management Code of Practice. For example 27 3 2032",
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        # Any status may be posted: the service refuses illegal moves with a clear message.
        # The field's own choices are a list here; the stubs allow callables and enums too.
        cast(forms.ChoiceField, self.fields["to"]).choices = choices
        # Set on the instance, as Django allows; the stubs declare a method.
        cast(Any, self.fields["to"]).valid_value = lambda value: value in CaseStatus.values
        offered = {value for value, _ in choices}
        layout: list[Any] = [Field.radios("to", legend_size=Size.SMALL), "reason"]
        # Only the questions the offered moves need.
        if CaseStatus.AWAITING_CLOSURE_APPROVAL in offered:
            layout += [
                Field.checkboxes("outcomes", legend_size=Size.SMALL),
                Field.text("outcome_other", field_width=30),
            ]
        else:
            del self.fields["outcomes"], self.fields["outcome_other"]
        if CaseStatus.CLOSED in offered:
            layout.append(date_field("records_review_on"))
        else:
            del self.fields["records_review_on"]
        self.helper.layout = Layout(*layout)

    def transition_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "to": data["to"],
            "reason": data["reason"],
            "outcomes": data.get("outcomes") or [],
            "outcome_other": data.get("outcome_other") or "",
            "records_review_on": data.get("records_review_on"),
        }


class ReassignForm(GovForm):
    new_owner = forms.ModelChoiceField(
        label="Officer to take the case",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the officer to take the case"},
    )
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, to cover annual leave. The new officer sees this in their notification.",
    )

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["new_owner"]).queryset = officers
        # Set on the instance, as Django allows; the stubs declare a method.
        cast(Any, self.fields["new_owner"]).label_from_instance = lambda u: f"{u.full_name} ({u.team.name})"
        self.fields["new_owner"].error_messages["invalid_choice"] = "Select an officer from the list"


class CaseLinksForm(GovForm):
    deal_lines = forms.ModelMultipleChoiceField(
        label="Deal lines", queryset=DealLine.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    crime_groups = forms.ModelMultipleChoiceField(
        label="Organised crime groups",
        queryset=OrganisedCrimeGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_deal_line_name = forms.CharField(label="New deal line: name (optional)", required=False, max_length=150)
    new_deal_line_phone = forms.CharField(label="New deal line: phone number (optional)", required=False, max_length=40)
    new_deal_line_area = forms.CharField(label="New deal line: supply area (optional)", required=False, max_length=150)
    new_crime_group_name = forms.CharField(
        label="New organised crime group: name (optional)", required=False, max_length=150
    )
    new_crime_group_area = forms.CharField(
        label="New organised crime group: area (optional)", required=False, max_length=150
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.checkboxes("deal_lines", small=True, legend_size=Size.SMALL),
            Field.checkboxes("crime_groups", small=True, legend_size=Size.SMALL),
            Fieldset(
                Field.text("new_deal_line_name", field_width=20),
                Field.text("new_deal_line_phone", field_width=20),
                Field.text("new_deal_line_area", field_width=20),
                legend="Add a deal line not in the list",
                legend_size=Size.SMALL,
            ),
            Fieldset(
                Field.text("new_crime_group_name", field_width=20),
                Field.text("new_crime_group_area", field_width=20),
                legend="Add an organised crime group not in the list",
                legend_size=Size.SMALL,
            ),
        )
