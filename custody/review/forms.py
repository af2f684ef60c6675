"""Forms of the morning custody review. The upload form checks the file itself (name,
size, and that it reads as a custody list) before anything is stored."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.forms import GovDateField
from cases.models import Case, ExploitationType, RiskLevel
from cases.selectors import officers_for_assignment
from safeguarding.accounts.models import User
from safeguarding.core.forms import GovForm, LocalDateTimeField, gov_helper

from ..models import CustodyEvent, CustodyOutcome, S38Transfer
from . import parsing, services

ALLOWED_EXTENSIONS = (".csv", ".txt")


def max_upload_text() -> str:
    size = settings.CUSTODY_IMPORT_MAX_BYTES
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size // 1024} KB"


class UploadForm(GovForm):
    file = forms.FileField(
        label="Custody list (CSV file)",
        help_text="The overnight custody list exported as CSV, with a header row.",
        error_messages={"required": "Select the custody list to upload"},
    )

    def __init__(self, *args, actor: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text += f" The file must be smaller than {max_upload_text()}."
        self.actor = actor
        self.content: bytes = b""
        self.csv_file: parsing.CsvFile | None = None
        # The uploader must say which column holds what before the list is imported.
        self.needs_columns = False

    def clean_file(self):
        """Keep the file's bytes and its reading, or refuse it with the reason for the user."""
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(ALLOWED_EXTENSIONS):
            raise ValidationError(
                f"The selected file must be a CSV file (ending .csv). \u201c{name}\u201d is not: "
                "in Excel choose File, Save as, \u201cCSV UTF-8 (comma delimited)\u201d."
            )
        limit = settings.CUSTODY_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise ValidationError(f"The selected file must be smaller than {max_upload_text()}.")
        content = upload.read(limit + 1)
        if len(content) > limit:
            raise ValidationError(f"The selected file must be smaller than {max_upload_text()}.")
        try:
            csv_file = parsing.read_file(content, allow_missing=True)
        except parsing.FileProblem as problem:
            raise ValidationError(str(problem)) from None
        saved = services.saved_mapping(self.actor, csv_file.header) if self.actor else None
        if saved:
            csv_file.header = csv_file.header.with_mapping(saved)
            self.needs_columns = bool(csv_file.header.missing())
        else:
            self.needs_columns = bool(csv_file.header.missing() or csv_file.header.lookalikes())
        self.csv_file = csv_file
        self.content = content
        return upload


class ColumnMappingForm(GovForm):
    """Which field each column of the file holds: one choice per column, beside its
    heading and its values in the first rows."""

    NOT_USED = ""

    def __init__(self, *args, header: parsing.Header, **kwargs):
        super().__init__(*args, **kwargs)
        self.header = header
        choices = [(self.NOT_USED, "Not used")] + list(parsing.LABELS.items())
        current = {index: field for field, index in header.columns.items()}
        for index, name in enumerate(header.names):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=name or f"Column {index + 1} (no heading)",
                choices=choices,
                required=False,
                initial=current.get(index, self.NOT_USED),
            )
        self.helper = None  # the page lays the choices out as a table

    def column_fields(self):
        return [self[f"column_{index}"] for index in range(len(self.header.names))]

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        mapping: dict[str, int] = {}
        for index, name in enumerate(self.header.names):
            field = data.get(f"column_{index}") or ""
            if not field:
                continue
            if field in mapping:
                first = self.header.names[mapping[field]] or f"column {mapping[field] + 1}"
                self.add_error(
                    f"column_{index}",
                    f"\u201c{name}\u201d and \u201c{first}\u201d cannot both hold the {parsing.LABELS[field].lower()}",
                )
                continue
            mapping[field] = index
        missing = parsing.Header(names=self.header.names, columns=mapping, delimiter=",").missing()
        if missing and not self.errors:
            raise ValidationError(
                f"Choose the column that holds the {' and the '.join(parsing.LABELS[m].lower() for m in missing)}"
            )
        self.mapping = mapping
        return data


def add_same_person_field(form: forms.Form, rows: list) -> None:
    """Offer to decide, with this row, the rows of the same list that look like the same young person."""
    if not rows:
        return
    form.fields["also"] = forms.TypedMultipleChoiceField(
        label="Other lines of this list that look like the same young person",
        help_text="Select a line to decide it the same way now.",
        choices=[
            (r.pk, f"Line {r.line_number}: {r.name}, custody {r.custody_number or 'number not given'}") for r in rows
        ],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cast(Any, form).helper = gov_helper(form)  # the layout is built from the fields: rebuild it with this one


class BulkDecisionForm(forms.Form):
    """The queue's decision on the rows selected."""

    NOT_AT_RISK, ALREADY_KNOWN = "not_at_risk", "already_known"

    rows = forms.TypedMultipleChoiceField(
        coerce=int, error_messages={"required": "Select the rows to decide"}, choices=()
    )
    action = forms.ChoiceField(
        choices=[(NOT_AT_RISK, "Not at risk"), (ALREADY_KNOWN, "Already known")],
        error_messages={"required": "Choose what to record for the selected rows"},
    )
    reason = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any row id: the queue's selector decides which of them the user may decide.
        submitted = self.data.getlist("rows") if hasattr(self.data, "getlist") else []
        cast(forms.ChoiceField, self.fields["rows"]).choices = [(v, v) for v in submitted if str(v).isdigit()]

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if data.get("action") == self.NOT_AT_RISK and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason the selected young people are not at risk")
        return data


class NotAtRiskForm(GovForm):
    reason = forms.CharField(
        label="Why is this young person not at risk?",
        help_text="For example: an adult with no markers of exploitation; known to another force's team, "
        "who have been told.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason this young person is not at risk"},
        max_length=2000,
    )


class SafeguardForm(GovForm):
    """Open a case: for the person chosen from the matches, or a new record from the row."""

    NEW = "new"

    person = forms.ChoiceField(
        label="Young person",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the young person, or create a new record"},
    )
    date_of_birth = GovDateField(label="Date of birth", help_text="For a new record. For example, 27 3 2009.")
    estimated_age = forms.IntegerField(
        label="Estimated age",
        help_text="For a new record, only if the date of birth is not known.",
        required=False,
        min_value=8,
        max_value=25,
    )
    owner = forms.ModelChoiceField(
        label="Case owner",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the officer who will own the case"},
    )
    risk_level = forms.ChoiceField(
        label="Risk level", choices=RiskLevel.choices, initial=RiskLevel.MEDIUM, widget=forms.RadioSelect
    )
    exploitation_types = forms.MultipleChoiceField(
        label="Exploitation suspected",
        choices=ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, actor: User, row, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        choices = [(str(c.person.pk), f"{c.person.full_name} ({c.person.reference})") for c in candidates if c.in_scope]
        choices.append((self.NEW, "None of these: create a new record from the custody row"))
        cast(forms.ChoiceField, self.fields["person"]).choices = choices
        # Never a new (duplicate) record by default: the closest confident match the actor may see.
        best = next((c for c in candidates if c.in_scope and c.confident), None)
        self.fields["person"].initial = str(best.person.pk) if best else self.NEW
        cast("forms.ModelChoiceField[Any]", self.fields["owner"]).queryset = officers_for_assignment(actor)
        self.fields["owner"].error_messages["invalid_choice"] = "Select an officer from the list"
        self.fields["person"].error_messages["invalid_choice"] = "Select the young person from the list"
        self.fields["risk_level"].error_messages["required"] = "Select the risk level"
        # Set on the instance, as Django allows; the stubs declare a method.
        cast(Any, self.fields["owner"]).label_from_instance = lambda u: (
            f"{u.full_name} ({u.team.name})" if u.team else u.full_name
        )
        if actor.role == User.Role.OFFICER:
            self.fields["owner"].initial = actor.pk
        if row.date_of_birth:
            self.fields["date_of_birth"].initial = row.date_of_birth
        self.people = {str(c.person.pk): c.person for c in candidates if c.in_scope}

    def clean(self):
        data = cast(dict[str, Any], super().clean())  # Form.clean returns cleaned_data
        if (
            data.get("person") == self.NEW
            and not data.get("date_of_birth")
            and data.get("estimated_age") is None
            and not self.row.date_of_birth
        ):
            self.add_error("date_of_birth", "Enter the date of birth or, if it is not known, an estimated age")
        if data.get("date_of_birth") and data["date_of_birth"] > timezone.localdate():
            self.add_error("date_of_birth", "Date of birth must be today or in the past")
        return data

    def chosen_person(self):
        return self.people.get(self.cleaned_data.get("person") or "")  # no person is keyed ""

    def person_data(self) -> dict:
        data = {"date_of_birth": self.cleaned_data.get("date_of_birth") or self.row.date_of_birth}
        if not data["date_of_birth"]:
            data["estimated_age"] = self.cleaned_data.get("estimated_age")
        return data

    def case_data(self) -> dict:
        return {
            "risk_level": self.cleaned_data["risk_level"],
            "exploitation_types": self.cleaned_data.get("exploitation_types") or [],
        }


class AlreadyKnownForm(GovForm):
    case = forms.ModelChoiceField(
        label="Which case is this young person known on?",
        queryset=Case.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the case this young person is known on"},
    )

    def __init__(self, *args, cases: list[Case], **kwargs):
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["case"]).queryset = Case.objects.filter(
            pk__in=[c.pk for c in cases]
        ).select_related("person")
        # Set on the instance, as Django allows; the stubs declare a method.
        cast(Any, self.fields["case"]).label_from_instance = lambda c: (
            f"{c.reference}: {c.person.full_name} ({c.person.reference}), {c.get_status_display().lower()}"
        )


class CustodyEventForm(GovForm):
    """A custody event typed in by hand, or edited. The rules across fields (release after
    arrest, a reason for an impracticable transfer, no second event with the same custody
    number and arrest time) are the service's: its errors come back onto this form."""

    operation_name = forms.CharField(label="Operation (if met on an operation)", required=False, max_length=150)
    custody_number = forms.CharField(label="Custody number", required=False, max_length=50)
    custody_suite = forms.CharField(label="Custody suite", required=False, max_length=120)
    arrested_at = LocalDateTimeField(
        label="Arrest time",
        help_text="UK time, for example 14/03/2025 02:30.",
        error_messages={"required": "Enter the arrest time"},
    )
    offences = forms.CharField(label="Offences", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    appropriate_adult_name = forms.CharField(label="Appropriate adult: name", required=False, max_length=150)
    appropriate_adult_relationship = forms.CharField(
        label="Appropriate adult: relationship",
        help_text="For example: mother, social worker, volunteer.",
        required=False,
        max_length=80,
    )
    appropriate_adult_at = LocalDateTimeField(label="Appropriate adult attended at", required=False)
    interviewed_at = LocalDateTimeField(label="Interview time", required=False)
    interview_notes = forms.CharField(label="Interview notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(
        label="Outcome", choices=[("", "Not known yet"), *CustodyOutcome.choices], required=False
    )
    s38_transfer = forms.ChoiceField(
        label="s38(6) transfer to local-authority accommodation",
        choices=S38Transfer.choices,
        initial=S38Transfer.NOT_APPLICABLE,
        widget=forms.RadioSelect,
    )
    s38_impracticable_reason = forms.CharField(
        label="Why a transfer was impracticable", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    released_at = LocalDateTimeField(
        label="Release time", help_text="Recording the release starts the 48-hour checklist.", required=False
    )
    released_to = forms.CharField(label="Released to (whom)", required=False, max_length=150)
    released_where = forms.CharField(label="Released to (where)", required=False, max_length=200)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, instance: CustodyEvent | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in services.EVENT_FIELDS}
            kwargs["initial"]["version"] = instance.version
        super().__init__(*args, **kwargs)
        self.fields["s38_transfer"].error_messages["required"] = (
            "Select whether there was an s38(6) transfer to local-authority accommodation"
        )

    def event_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.EVENT_FIELDS}
