"""Forms: GOV.UK pattern, errors that say what to do, and what was typed is always kept."""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeguarding.accounts.models import User
from safeguarding.core.forms import GovForm, GovModelForm

from . import conf
from .models import (
    AdverseExperience,
    Alias,
    AliasKind,
    Associate,
    Case,
    CaseStatus,
    DealLine,
    ExploitationType,
    ManualChronologyEntry,
    ManualEntryType,
    MissingEpisode,
    OrganisedCrimeGroup,
    PhilomenaProfile,
    Task,
    VoiceEntry,
    Vulnerability,
    WarningMarker,
    YoungPerson,
)
from .services import CASE_FIELDS, PERSON_FIELDS, PHILOMENA_FIELDS


class GovDateField(DateInputField):
    """GOV.UK date input (day / month / year) with messages that say what to fix."""

    def __init__(self, *, label: str, required: bool = False, help_text: str = "", **kwargs):
        super().__init__(label=label, required=required, help_text=help_text, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {label.lower()}"
        self.error_messages["incomplete"] = f"Enter the {label.lower()} in full: day, month and year"
        for sub in self.fields:
            sub.required = False

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            # "Enter the date ..." and "... in full" already say what to do; anything else is not a real date.
            if getattr(error, "code", None) in ("required", "incomplete"):
                raise
            raise ValidationError(f"{self.label} must be a real date, for example 27 3 2009", code="invalid") from error

    def compress(self, data_list):
        day, month, year = data_list
        if not (day or month or year):
            return None
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        return super().compress(data_list)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-20", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


def datetime_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text or "For example 27/03/2025 14:30",
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be a real date and time",
        },
    )


def date_field(name: str) -> Field:
    """A GOV.UK date input with its legend at the size of the other labels."""
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def not_in_future(value, label: str):
    if value and value > timezone.now():
        raise ValidationError(f"{label} must be now or in the past")
    return value


def checkboxes(choices, label: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class VersionedForm:
    """Carries the version the user started from (optimistic locking)."""

    def add_version(self, version: int) -> None:
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, initial=version)


# ---------------------------------------------------------------------------
# Young person
# ---------------------------------------------------------------------------


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
        self.fields["ethnicity"].choices = [("", "Not recorded"), *self.fields["ethnicity"].choices[1:]]
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
        data = super().clean()
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


# ---------------------------------------------------------------------------
# Case
# ---------------------------------------------------------------------------


class CaseForm(VersionedForm, GovModelForm):
    exploitation_types = checkboxes(ExploitationType.choices, "Types of exploitation")
    risk_review_on = GovDateField(label="Next risk review")
    mopi_review_on = GovDateField(
        label="Next MoPI review", help_text="When this record must next be reviewed for retention"
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
            self.fields["owner"].label_from_instance = lambda u: f"{u.full_name} ({u.team.name})"
        if version is not None:
            self.add_version(version)
        self.fields["risk_level"].choices = [c for c in self.fields["risk_level"].choices if c[0]]
        self.fields["how_identified"].choices = [c for c in self.fields["how_identified"].choices if c[0]]
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
            date_field("mopi_review_on"),
            *(["version"] if "version" in self.fields else []),
        )

    def clean(self):
        data = super().clean()
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

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        # Any status may be posted: the service refuses illegal moves with a clear message.
        self.fields["to"].choices = choices
        self.fields["to"].valid_value = lambda value: value in CaseStatus.values


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
        self.fields["new_owner"].queryset = officers
        self.fields["new_owner"].label_from_instance = lambda u: f"{u.full_name} ({u.team.name})"
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
        self.fields["relationship"].choices = [c for c in self.fields["relationship"].choices if c[0]]
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
        self.fields["assignee"].queryset = assignees
        self.fields["assignee"].label_from_instance = lambda u: u.full_name
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
            "notes",
        )
        widgets = {"risk_grade": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"risk_grade": "Risk grade", "notes": "Notes (optional)"}
        help_texts = {"risk_grade": "On the College of Policing continuum"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk_grade"].choices = [c for c in self.fields["risk_grade"].choices if c[0]]
        self.fields["risk_grade"].error_messages["required"] = "Choose the risk grade"
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
                legend="Found or returned",
                legend_size=Size.MEDIUM,
            ),
            "notes",
        )

    def clean(self):
        data = super().clean()
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
        return data

    def _post_clean(self):
        pass


class ChronologyEntryForm(GovModelForm):
    occurred_at = datetime_field("When it happened")

    class Meta:
        model = ManualChronologyEntry
        fields = ("entry_type", "occurred_at", "text")
        widgets = {"entry_type": forms.RadioSelect, "text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry_type"].choices = [c for c in self.fields["entry_type"].choices if c[0]]
        self.fields["entry_type"].error_messages["required"] = "Choose the type of entry"
        self.fields["text"].error_messages["required"] = "Write what happened"

    def clean_occurred_at(self):
        return not_in_future(self.cleaned_data.get("occurred_at"), "When it happened")

    def _post_clean(self):
        pass


# ---------------------------------------------------------------------------
# Search, break glass, merge, chronology filter
# ---------------------------------------------------------------------------


class SearchForm(GovForm):
    name = forms.CharField(
        label="Name, alias or street name",
        required=False,
        max_length=200,
        help_text="Spelling does not need to be exact: similar names and common variants are found too.",
    )
    date_of_birth = GovDateField(label="Date of birth")
    reference = forms.CharField(label="Reference", required=False, max_length=60)

    def __init__(self, *args, reference_label: str = "Reference", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].label = reference_label
        self.helper.layout = Layout(
            Field.text("name", field_width=30), "date_of_birth", Field.text("reference", field_width=20)
        )

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("name", "").strip() or data.get("date_of_birth") or data.get("reference", "").strip()
        ):
            raise ValidationError("Enter a name, a date of birth or a reference to search for")
        return data


class BreakGlassForm(GovForm):
    justification = forms.CharField(
        label="Why do you need to see this record?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Explain why you need access to this record"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        minimum = conf.get("BREAK_GLASS_MIN_JUSTIFICATION")
        self.fields["justification"].help_text = (
            f"At least {minimum} characters. Your reason, your name and the time are recorded, "
            "and your supervisor and the record's team can see them."
        )

    def clean_justification(self):
        text = self.cleaned_data["justification"].strip()
        minimum = conf.get("BREAK_GLASS_MIN_JUSTIFICATION")
        if len(text) < minimum:
            raise ValidationError(f"Explain why you need access in at least {minimum} characters")
        return text


class BreakGlassReviewForm(GovForm):
    note = forms.CharField(label="Review note (optional)", required=False, max_length=2000)


class MergeSelectForm(GovForm):
    other = forms.CharField(
        label="Record number of the other record",
        help_text="For example, YP000123 — shown under the name on each person's page.",
        max_length=20,
        error_messages={"required": "Enter the record number of the other record"},
    )

    def clean_other(self):
        value = self.cleaned_data["other"].strip().upper().removeprefix("YP")
        if not value.isdigit():
            raise ValidationError("Enter a record number like YP000123")
        return int(value)


class MergeConfirmForm(GovForm):
    survivor = forms.ChoiceField(
        label="Which record should stay?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the record that stays"},
    )
    reason = forms.CharField(
        label="Why are these the same young person?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason these are the same young person"},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].choices = [(str(p.pk), f"{p.full_name} ({p.reference})") for p in people]


class ChronologyFilterForm(GovForm):
    type = forms.MultipleChoiceField(label="Show only", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, types: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = list(types.items())
        self.helper.layout = Layout(Field.checkboxes("type", small=True, legend_size=Size.SMALL))


MANUAL_TYPE_CHOICES = ManualEntryType.choices
