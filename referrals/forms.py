"""Forms of referrals, the partner portal's answers and NRM notifications."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from cases import chronology
from cases.forms._common import date_field
from safeguarding.accounts.models import Agency
from safeguarding.core.forms import GovDateField, GovForm

from .content import _EXTRACT_EXCLUDED
from .models import DecisionMaker, DecisionStage, NRMRoute, Outcome, ReferralType, Section, Urgency


def partner_agencies():
    return Agency.objects.filter(is_active=True).exclude(kind=Agency.Kind.POLICE_FORCE).order_by("name")


class ReferralForm(GovForm):
    referral_type = forms.ChoiceField(label="Type of referral", choices=ReferralType.choices, widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), empty_label="Choose the agency")
    urgency = forms.ChoiceField(label="Urgency", choices=Urgency.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Why you are referring", widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    ask = forms.CharField(
        label="What you are asking them to do", widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    sections = forms.MultipleChoiceField(
        label="What to share",
        choices=Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Share only what the agency needs. Intelligence is shared only with a written justification.",
    )
    restricted_justification = forms.CharField(
        label="Why intelligence must be shared (only if you tick Intelligence)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
    )
    chronology_from = GovDateField(label="Chronology extract from (optional)")
    chronology_to = GovDateField(label="Chronology extract to (optional)")
    chronology_types = forms.MultipleChoiceField(
        label="Chronology entry types (none ticked: all that may be shared)",
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    share_expires_on = GovDateField(label="Share ends on", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["agency"]).queryset = partner_agencies()
        self.fields["agency"].error_messages["required"] = "Choose the agency"
        self.fields["reason"].error_messages["required"] = "Enter why you are referring"
        self.fields["ask"].error_messages["required"] = "Enter what you are asking the agency to do"
        cast(Any, self.fields["chronology_types"]).choices = [
            (key, label) for key, label in chronology.type_labels().items() if key not in _EXTRACT_EXCLUDED
        ]
        self.helper.layout = Layout(
            Field.radios("referral_type", legend_size=Size.SMALL),
            "agency",
            Field.radios("urgency", legend_size=Size.SMALL),
            "reason",
            "ask",
            Field.checkboxes("sections", legend_size=Size.SMALL),
            "restricted_justification",
            date_field("chronology_from"),
            date_field("chronology_to"),
            Field.checkboxes("chronology_types", legend_size=Size.SMALL, small=True),
            date_field("share_expires_on"),
        )


class DeclineForm(GovForm):
    reason = forms.CharField(label="Why you are declining", widget=forms.Textarea(attrs={"rows": 3}), max_length=3000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Give the reason you are declining the referral"


class MessageForm(GovForm):
    text = forms.CharField(label="Your message", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, label: str = "Your message", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].error_messages["required"] = "Write your message"


class NRMForm(GovForm):
    route = forms.ChoiceField(label="Route", choices=NRMRoute.choices, widget=forms.RadioSelect)
    submitted_on = GovDateField(label="Date submitted", required=True)
    home_office_reference = forms.CharField(label="Home Office reference (optional)", required=False, max_length=60)
    first_responder_organisation = forms.CharField(label="First responder organisation", max_length=200)
    consent_given = forms.BooleanField(label="The adult consented to the referral", required=False)
    ms1_submitted = forms.BooleanField(label="The Duty to Notify (MS1) was submitted", required=False)
    decision_maker = forms.ChoiceField(
        label="Decision-maker", choices=DecisionMaker.choices, widget=forms.RadioSelect, initial=DecisionMaker.SCA
    )
    panel = forms.ModelChoiceField(
        label="Devolved decision-making panel (children only)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Not a panel",
    )
    icgt_referred_on = GovDateField(
        label="Independent Child Trafficking Guardian referral made on (if the area has the service)"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["panel"]).queryset = Agency.objects.filter(is_decision_panel=True, is_active=True)
        self.helper.layout = Layout(
            Field.radios("route", legend_size=Size.SMALL),
            date_field("submitted_on"),
            Field.text("home_office_reference", field_width=20),
            "first_responder_organisation",
            Field.checkbox("consent_given", small=True),
            Field.checkbox("ms1_submitted", small=True),
            Field.radios("decision_maker", legend_size=Size.SMALL),
            "panel",
            date_field("icgt_referred_on"),
        )


DECISION_STAGES = [*DecisionStage.choices, ("public_order", "Public-order disqualification")]


class NRMDecisionForm(GovForm):
    stage = forms.ChoiceField(label="Decision", choices=DECISION_STAGES, widget=forms.RadioSelect)
    outcome = forms.ChoiceField(
        label="Outcome (not for a public-order disqualification)",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    decided_on = GovDateField(label="Date of the decision", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("stage", legend_size=Size.SMALL),
            Field.radios("outcome", legend_size=Size.SMALL),
            date_field("decided_on"),
        )


class ReconsiderationForm(GovForm):
    stage = forms.ChoiceField(label="Decision reconsidered", choices=DecisionStage.choices, widget=forms.RadioSelect)
    requested_on = GovDateField(label="Date requested", required=True)
    reason = forms.CharField(label="Grounds for reconsideration", widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(
        label="Outcome (leave blank while awaited)", choices=Outcome.choices, widget=forms.RadioSelect, required=False
    )
    decided_on = GovDateField(label="Date of the reconsidered decision (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Give the grounds for the reconsideration"
        self.helper.layout = Layout(
            Field.radios("stage", legend_size=Size.SMALL),
            date_field("requested_on"),
            "reason",
            Field.radios("outcome", legend_size=Size.SMALL),
            date_field("decided_on"),
        )


class ReconsiderationOutcomeForm(GovForm):
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)
    decided_on = GovDateField(label="Date of the reconsidered decision", required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("outcome", legend_size=Size.SMALL), date_field("decided_on"))
