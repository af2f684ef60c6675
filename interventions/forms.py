"""Forms of the interventions pages (GOV.UK; the page supplies the <form> tag and buttons)."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Field, Fixed, Layout, Size
from django import forms
from django.utils import timezone

from cases.forms._common import date_field, datetime_field
from cases.models import Associate
from custody.models import CustodyEvent
from safeguarding.core.forms import GovDateField, GovForm

from .models import (
    BreachAction,
    CCEPORoute,
    CommunityProtection,
    ConditionKind,
    CPKind,
    HandoverOutcome,
    OrderType,
    ServiceMethod,
)


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


class CCEPOForm(GovForm):
    respondent = forms.ModelChoiceField(
        label="Respondent (an adult associate on this case)",
        queryset=Associate.objects.none(),
        empty_label="Choose the associate",
    )
    route = forms.ChoiceField(label="Route", choices=CCEPORoute.choices, widget=forms.RadioSelect)
    applied_on = GovDateField(label="Date of the application", required=True)
    risk_assessment = _text(
        "Assessment of the risk of further conduct",
        rows=6,
        help_text="Why, on the balance of probabilities, they are likely to engage in CCE or associated conduct again.",
    )
    victim_references = forms.CharField(
        label="Other child victims (optional)",
        required=False,
        max_length=500,
        help_text="References of your other cases it concerns, for example SG000123, SG000456. This case is included.",
    )

    def __init__(self, *args: Any, case=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(Any, self.fields["respondent"]).queryset = Associate.objects.filter(case=case).order_by("name")
        self.fields["respondent"].error_messages["required"] = "Choose the respondent"
        self.fields["route"].error_messages["required"] = "Select the route"
        self.fields["risk_assessment"].error_messages["required"] = (
            "Enter the assessment of the risk of further conduct"
        )
        self.helper.layout = Layout(
            "respondent",
            Field.radios("route", legend_size=Size.SMALL),
            date_field("applied_on"),
            "risk_assessment",
            "victim_references",
        )


class EvidenceForm(GovForm):
    description = _text("The evidence of CCE or associated conduct", rows=4)
    source = forms.CharField(
        label="Source", max_length=200, help_text="For example a statement, phone download or intelligence log."
    )
    dated_on = GovDateField(label="Date of the evidence", required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = "Enter the evidence"
        self.fields["source"].error_messages["required"] = "Enter the source"
        self.helper.layout = Layout("description", "source", date_field("dated_on"))


class CCEPOConditionForm(GovForm):
    text = _text("The condition", rows=3, max_length=2000, help_text="For example: not to contact the named child.")
    necessity = _text("Why it is necessary", rows=3, max_length=3000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the condition"
        self.fields["necessity"].error_messages["required"] = "Enter why the condition is necessary"


class OrderForm(GovForm):
    court = forms.CharField(label="Court", max_length=200)
    made_on = GovDateField(label="Date made", required=True)
    order_type = forms.ChoiceField(label="Type of order", choices=OrderType.choices, widget=forms.RadioSelect)
    duration_months = forms.IntegerField(
        label="Duration in months (full orders)", required=False, min_value=1, max_value=600
    )
    until_further_order = forms.BooleanField(label="Until further order", required=False)
    served_on = GovDateField(label="Date served (optional)")
    served_how = forms.CharField(label="How it was served (optional)", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].error_messages["required"] = "Enter the court"
        self.fields["order_type"].error_messages["required"] = "Select the type of order"
        self.helper.layout = Layout(
            "court",
            date_field("made_on"),
            Field.radios("order_type", legend_size=Size.SMALL),
            Field.text("duration_months", field_width=Fixed.FOUR),
            "until_further_order",
            date_field("served_on"),
            "served_how",
        )


class VariationForm(GovForm):
    varied_on = GovDateField(label="Date varied", required=True)
    court = forms.CharField(label="Court", max_length=200)
    change = _text("What the court changed", rows=3, max_length=3000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["court"].error_messages["required"] = "Enter the court"
        self.fields["change"].error_messages["required"] = "Enter what the court changed"
        self.helper.layout = Layout(date_field("varied_on"), "court", "change")


class CCEPOBreachForm(GovForm):
    occurred_at = datetime_field("When it happened")
    description = _text("What they did", rows=3, max_length=3000)
    custody_event = forms.ModelChoiceField(
        label="Custody event (if someone was arrested)",
        queryset=CustodyEvent.objects.none(),
        required=False,
        empty_label="None",
    )
    crime_reference = forms.CharField(label="Crime reference", max_length=60, required=False)

    def __init__(self, *args: Any, application=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = "Enter what they did"
        if application is not None:
            cast(Any, self.fields["custody_event"]).queryset = CustodyEvent.objects.filter(
                case__in=application.victims.values("pk")
            ).order_by("-arrested_at")
        self.fields["custody_event"].label_from_instance = lambda e: (  # type: ignore[attr-defined]
            f"{e.custody_number or 'No custody number'}, arrested {timezone.localtime(e.arrested_at):%-d %B %Y %H:%M}"
        )
        self.helper.layout = Layout("occurred_at", "description", "custody_event", "crime_reference")


class HandoverForm(GovForm):
    home_police_force = forms.CharField(label="Home police force", max_length=120)
    force_contact_name = forms.CharField(label="Police contact: name", max_length=150)
    force_contact_role = forms.CharField(label="Police contact: role (optional)", max_length=150, required=False)
    force_contact_phone = forms.CharField(label="Police contact: phone (optional)", max_length=40, required=False)
    force_contact_email = forms.EmailField(label="Police contact: email (optional)", required=False)
    home_local_authority = forms.CharField(label="Home local authority", max_length=120)
    la_contact_name = forms.CharField(label="Local authority contact: name", max_length=150)
    la_contact_role = forms.CharField(label="Local authority contact: role (optional)", max_length=150, required=False)
    la_contact_phone = forms.CharField(label="Local authority contact: phone (optional)", max_length=40, required=False)
    la_contact_email = forms.EmailField(label="Local authority contact: email (optional)", required=False)
    risk_summary = _text(
        "Risk summary for the home area",
        rows=6,
        help_text="Shared with the contacts above. Do not include intelligence or digital-review findings.",
    )
    handover_at = datetime_field("Date and time of the handover")
    meeting_point = forms.CharField(label="Meeting point", max_length=200)
    handed_over_by = forms.CharField(label="Handed over by", max_length=150)
    received_by = forms.CharField(label="Received by", max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.required and name not in ("handover_at",):
                field.error_messages["required"] = f"Enter the {_lower(field.label)}"


def _lower(label: Any) -> str:
    text = str(label)
    return text[:1].lower() + text[1:]


class DisclosureForm(GovForm):
    who = forms.ChoiceField(
        label="Who you shared the risk summary with",
        choices=[("force", "The home police force contact"), ("la", "The home local authority contact")],
        widget=forms.RadioSelect,
    )
    method = forms.CharField(label="How it was shared", max_length=120, help_text="For example secure email.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["who"].error_messages["required"] = "Select who you shared the risk summary with"
        self.fields["method"].error_messages["required"] = "Enter how it was shared"
        self.helper.layout = Layout(Field.radios("who", legend_size=Size.SMALL), "method")


class HandoverOutcomeForm(GovForm):
    outcome = forms.ChoiceField(label="Outcome", choices=HandoverOutcome.choices, widget=forms.RadioSelect)
    notes = _text("What happened (optional)", rows=3, required=False, max_length=3000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["required"] = "Select the outcome"
        self.helper.layout = Layout(Field.radios("outcome", legend_size=Size.SMALL), "notes")


class AcceptanceForm(GovForm):
    accepted_on = GovDateField(label="Date responsibility was accepted in writing", required=True)
    accepted_by = forms.CharField(label="Accepted by (name and role)", max_length=200)
    acceptance_reference = forms.CharField(
        label="The written acceptance", max_length=200, help_text="The letter or email and its reference or date."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accepted_by"].error_messages["required"] = "Enter who accepted responsibility"
        self.fields["acceptance_reference"].error_messages["required"] = "Enter the written acceptance"
        self.helper.layout = Layout(date_field("accepted_on"), "accepted_by", "acceptance_reference")
