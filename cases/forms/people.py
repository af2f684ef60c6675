"""Forms of a young person's record: details, names, Philomena profile."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.core.forms import GovDateField, GovModelForm

from ..models import (
    AdverseExperience,
    Alias,
    AliasKind,
    PhilomenaProfile,
    Vulnerability,
    WarningMarker,
    YoungPerson,
)
from ..services import PERSON_FIELDS, PHILOMENA_FIELDS
from ._common import VersionedForm, checkboxes, date_field


class PersonForm(VersionedForm, GovModelForm):
    date_of_birth = GovDateField(label="Date of birth", help_text="For example, 27 3 2009. Leave blank if not known.")
    estimated_age = forms.IntegerField(
        label="Estimated age, if the date of birth is not known",
        required=False,
        min_value=0,
        max_value=150,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={"invalid": "Estimated age must be a whole number, like 15"},
    )
    adverse_experiences = checkboxes(AdverseExperience.choices, "Adverse childhood experiences known")
    vulnerabilities = checkboxes(Vulnerability.choices, "Vulnerabilities")
    warning_markers = checkboxes(WarningMarker.choices, "Warning markers")

    class Meta:
        model = YoungPerson
        fields = PERSON_FIELDS
        widgets = {
            "home_address": forms.Textarea(attrs={"rows": 3}),
            "adverse_experiences_notes": forms.Textarea(attrs={"rows": 3}),
            "vulnerabilities_notes": forms.Textarea(attrs={"rows": 3}),
            "warning_markers_notes": forms.Textarea(attrs={"rows": 3}),
            "gender": forms.RadioSelect,
        }
        labels = {
            "home_local_authority": "Home local authority",
            "home_police_force": "Home police force",
            "responsible_local_authority": "Responsible local authority (if looked after)",
            "adverse_experiences_notes": "Notes on adverse childhood experiences",
            "vulnerabilities_notes": "Notes on vulnerabilities",
            "warning_markers_notes": "Notes on warning markers",
            "interpreter_needed": "An interpreter is needed",
        }

    def __init__(self, *args, version: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The field's own choices are a list here; the stubs allow callables and enums too.
        cast(forms.ChoiceField, self.fields["ethnicity"]).choices = [
            ("", "Not recorded"),
            *cast(Any, self.fields["ethnicity"]).choices[1:],
        ]
        self.fields["given_name"].error_messages["max_length"] = "First name must be 100 characters or fewer"
        self.fields["gender"].error_messages["required"] = "Select the young person's gender"
        self.fields["looked_after_status"].error_messages["required"] = "Select the young person's looked after status"
        self.fields["education_status"].error_messages["required"] = "Select the young person's education status"
        if version is not None:
            self.add_version(version)
        self.helper.layout = Layout(
            Fieldset(
                Field.text("given_name", field_width=20),
                Field.text("middle_names", field_width=20),
                Field.text("family_name", field_width=20),
                *(["aliases"] if "aliases" in self.fields else []),
                legend="Name",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                date_field("date_of_birth"),
                "estimated_age",
                Field.radios("gender", legend_size=Size.SMALL, inline=True),
                legend="Age and gender",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "ethnicity",
                Field.text("nationality", field_width=20),
                Field.text("first_language", field_width=20),
                "interpreter_needed",
                legend="Background and language",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "home_address",
                Field.text("home_postcode", field_width=10),
                Field.text("home_local_authority", field_width=20),
                Field.text("home_police_force", field_width=20),
                legend="Home",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "looked_after_status",
                Field.text("responsible_local_authority", field_width=20),
                Field.text("social_worker_name", field_width=20),
                Field.text("social_worker_phone", field_width=20),
                Field.text("social_worker_email", field_width=20),
                legend="Care and social worker",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "education_status",
                Field.text("education_setting", field_width=20),
                legend="Education",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkboxes("adverse_experiences", small=True, legend_size=Size.SMALL),
                "adverse_experiences_notes",
                Field.checkboxes("vulnerabilities", small=True, legend_size=Size.SMALL),
                "vulnerabilities_notes",
                Field.checkboxes("warning_markers", small=True, legend_size=Size.SMALL),
                "warning_markers_notes",
                legend="Experiences, vulnerabilities and warnings",
                legend_size=Size.MEDIUM,
            ),
            *(["version"] if "version" in self.fields else []),
        )

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born and born > timezone.localdate():
            raise ValidationError("Date of birth must be today or in the past")
        return born

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if not (data.get("given_name", "").strip() or data.get("family_name", "").strip()):
            self.add_error("given_name", "Enter a first name or a last name (at least one name)")
        if not data.get("date_of_birth") and "date_of_birth" not in self.errors:
            age = data.get("estimated_age")
            if age is None and "estimated_age" not in self.errors:
                self.add_error("estimated_age", "Enter a date of birth or, if it is not known, an estimated age")
            elif age is not None and not 8 <= age <= 25:
                self.add_error("estimated_age", "Estimated age must be between 8 and 25")
        return data

    def _post_clean(self):
        # Model validation runs in the service; the form has already checked what the user can fix.
        pass

    def person_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in PERSON_FIELDS if f in self.cleaned_data}


class PersonCreateForm(PersonForm):
    aliases = forms.CharField(
        label="Other names, aliases or street names (optional)",
        help_text="One on each line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Set by the "not the same person" button once likely matches have been shown.
    duplicates_checked = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines() if line.strip()]


class AliasForm(GovModelForm):
    class Meta:
        model = Alias
        fields = ("name", "kind", "notes")
        labels = {"name": "Name", "kind": "Type of name", "notes": "Notes (optional)"}
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the name"
        self.fields["kind"].initial = AliasKind.ALIAS
        self.fields["kind"].error_messages["required"] = "Select the type of name"

    def _post_clean(self):
        pass


class PhilomenaForm(GovModelForm):
    class Meta:
        model = PhilomenaProfile
        fields = PHILOMENA_FIELDS
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in PHILOMENA_FIELDS}
        labels = {
            "associates": "Associates (friends, relatives, people they may be with)",
            "places_frequented": "Places they go",
            "phone_numbers": "Phone numbers",
            "social_media": "Social media accounts",
            "transport_used": "Transport they use",
            "other_information": "Anything else that would help find them",
        }
