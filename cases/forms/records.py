"""Forms of what is recorded on a case: associates, tasks, voice, missing episodes, manual chronology entries."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.core.forms import GovDateField, GovForm, GovModelForm

from ..models import (
    Associate,
    ManualChronologyEntry,
    MissingEpisode,
    Task,
    VoiceEntry,
)
from ._common import date_field, datetime_field, not_in_future


class AssociateForm(GovModelForm):
    date_of_birth = GovDateField(label="Date of birth (optional)")
    linked_reference = forms.CharField(
        label="Their record number, if they are a young person on this system (optional)",
        help_text="For example, YP000123",
        required=False,
        max_length=20,
    )

    class Meta:
        model = Associate
        fields = ("name", "relationship", "date_of_birth", "details")
        widgets = {"relationship": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 3})}
        labels = {"details": "What is known about them and the link (optional)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the associate's name"
        # The field's own choices are a list here; the stubs allow callables and enums too.
        cast(forms.ChoiceField, self.fields["relationship"]).choices = [
            c for c in cast(Any, self.fields["relationship"]).choices if c[0]
        ]
        self.fields["relationship"].error_messages["required"] = "Choose the relationship"
        self.helper.layout = Layout(
            Field.text("name", field_width=30),
            Field.radios("relationship", legend_size=Size.SMALL),
            date_field("date_of_birth"),
            "details",
            Field.text("linked_reference", field_width=10),
        )

    def clean_linked_reference(self):
        value = self.cleaned_data["linked_reference"].strip().upper().removeprefix("YP")
        if value and not value.isdigit():
            raise ValidationError("Enter a record number like YP000123")
        return int(value) if value else None

    def _post_clean(self):
        pass


class TaskForm(GovModelForm):
    due_at = datetime_field("Due")

    class Meta:
        model = Task
        fields = ("title", "details", "assignee", "due_at")
        widgets = {"details": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": "Task", "details": "Details (optional)", "assignee": "Assigned to"}

    def __init__(self, *args, assignees, **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["assignee"]).queryset = assignees
        # Set on the instance, as Django allows; the stubs declare a method.
        cast(Any, self.fields["assignee"]).label_from_instance = lambda u: u.full_name
        self.fields["title"].error_messages["required"] = "Enter the task"
        self.fields["assignee"].error_messages["required"] = "Choose who the task is for"
        self.fields["assignee"].error_messages["invalid_choice"] = "Select who the task is for from the list"
        self.fields["due_at"].error_messages["required"] = "Enter when the task is due"

    def _post_clean(self):
        pass


class TaskCompleteForm(GovForm):
    note = forms.CharField(label="Note (optional)", required=False, max_length=2000)


class VoiceEntryForm(GovModelForm):
    spoken_on = GovDateField(label="Date they said this", required=True)

    class Meta:
        model = VoiceEntry
        fields = ("spoken_on", "account", "wishes")
        widgets = {"account": forms.Textarea(attrs={"rows": 6}), "wishes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"account": "Write down what they said, in their own words. Use quotation marks."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].error_messages["required"] = "Write what the young person said"
        self.helper.layout = Layout(date_field("spoken_on"), "account", "wishes")

    def clean_spoken_on(self):
        spoken = self.cleaned_data.get("spoken_on")
        if spoken and spoken > timezone.localdate():
            raise ValidationError("Date they said this must be today or in the past")
        return spoken

    def _post_clean(self):
        pass


class MissingEpisodeForm(GovModelForm):
    reported_missing_at = datetime_field("Reported missing at")
    found_at = datetime_field("Found or returned at (leave blank if still missing)", required=False)

    class Meta:
        model = MissingEpisode
        fields = (
            "reported_missing_at",
            "missing_from",
            "reported_by",
            "risk_grade",
            "found_at",
            "found_where",
            "found_by",
            "found_location",
            "notes",
        )
        widgets = {
            "risk_grade": forms.RadioSelect,
            "found_location": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"risk_grade": "Risk grade", "notes": "Notes (optional)"}
        help_texts = {"risk_grade": "On the College of Policing continuum"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field's own choices are a list here; the stubs allow callables and enums too.
        cast(forms.ChoiceField, self.fields["risk_grade"]).choices = [
            c for c in cast(Any, self.fields["risk_grade"]).choices if c[0]
        ]
        self.fields["risk_grade"].error_messages["required"] = "Choose the risk grade"
        location = cast(forms.ChoiceField, self.fields["found_location"])
        location.choices = [c for c in cast(Any, location).choices if c[0]]
        location.required = False
        location.label = "Inside or outside the force area (optional until they are found)"
        self.fields["missing_from"].error_messages["required"] = "Enter where they went missing from"
        self.fields["reported_by"].error_messages["required"] = "Enter who reported them missing"
        self.fields["reported_missing_at"].error_messages["required"] = "Enter when they were reported missing"
        self.helper.layout = Layout(
            Fieldset(
                "reported_missing_at",
                Field.text("missing_from", field_width=30),
                Field.text("reported_by", field_width=30),
                Field.radios("risk_grade", legend_size=Size.SMALL, inline=True),
                legend="Reported missing",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "found_at",
                Field.text("found_where", field_width=30),
                Field.text("found_by", field_width=30),
                Field.radios("found_location", legend_size=Size.SMALL, inline=True),
                legend="Found or returned",
                legend_size=Size.MEDIUM,
            ),
            "notes",
        )

        if self.instance.pk:
            # A change of grade is a dated re-grading with its reason (MissingRegradeForm).
            del self.fields["risk_grade"]
            self.helper.layout[0].fields.pop(3)

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        reported, found = data.get("reported_missing_at"), data.get("found_at")
        try:
            not_in_future(reported, "Reported missing at")
        except ValidationError as e:
            self.add_error("reported_missing_at", e)
        try:
            not_in_future(found, "Found or returned at")
        except ValidationError as e:
            self.add_error("found_at", e)
        if reported and found and found < reported:
            self.add_error("found_at", "Found or returned must be after they were reported missing")
        if not found and data.get("found_location"):
            self.add_error("found_location", "Leave this blank until they are found or return")
        return data

    def _post_clean(self):
        pass


class MissingRegradeForm(GovForm):
    grade = forms.ChoiceField(
        label="New risk grade",
        choices=MissingEpisode.RiskGrade.choices,
        widget=forms.RadioSelect,
        help_text="On the College of Policing continuum",
        error_messages={"required": "Choose the new risk grade"},
    )
    graded_at = datetime_field("When the grade changed")
    reason = forms.CharField(
        label="Why the grade changed",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the grade changed"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.radios("grade", legend_size=Size.SMALL, inline=True), "graded_at", "reason")

    def clean_graded_at(self):
        return not_in_future(self.cleaned_data.get("graded_at"), "When the grade changed")


class ChronologyEntryForm(GovModelForm):
    occurred_at = datetime_field("When it happened")

    class Meta:
        model = ManualChronologyEntry
        fields = ("entry_type", "occurred_at", "text")
        widgets = {"entry_type": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field's own choices are a list here; the stubs allow callables and enums too.
        cast(forms.ChoiceField, self.fields["entry_type"]).choices = [
            c for c in cast(Any, self.fields["entry_type"]).choices if c[0]
        ]
        self.fields["entry_type"].error_messages["required"] = "Choose the type of entry"
        self.fields["text"].error_messages["required"] = "Write what happened"

    def clean_occurred_at(self):
        return not_in_future(self.cleaned_data.get("occurred_at"), "When it happened")

    def _post_clean(self):
        pass
