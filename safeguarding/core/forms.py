"""What every form here shares: GOV.UK rendering and messages, the GOV.UK date field and
date-time input, what was typed kept across a session timeout, a service's errors shown
on the form, and the page for an edit that lost to someone else's."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import Model
from django.forms.renderers import BaseRenderer
from django.forms.utils import pretty_name
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from . import uktime
from .db import Versioned
from .middleware import restore_saved_form

if TYPE_CHECKING:
    from django.views.generic import FormView

    # Generic in django-stubs only (subscripting them at run time would fail).
    _FormViewBase = FormView[forms.BaseForm]
    _ModelFormBase = forms.ModelForm[Any]
else:
    _FormViewBase = object
    _ModelFormBase = forms.ModelForm

# Fields the user picks from rather than types into: their messages say "Select".
_SELECT_FIELDS = (forms.ChoiceField, forms.ModelChoiceField, forms.BooleanField, forms.FileField)
_DATE_FIELDS = (forms.DateField, forms.DateTimeField)


def _default_messages(field: forms.Field) -> dict[str, str]:
    """The messages Django gives a field of this class when the form sets none
    (built the way forms.Field.__init__ builds them)."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        # Only Django's own: a project field class's defaults (CodeField's) are specific.
        if cls.__module__.startswith("django."):
            messages.update(cls.__dict__.get("default_error_messages", {}))
    return {key: str(message) for key, message in messages.items()}


def _in_sentence(label: str | Promise) -> str:
    """The label as words inside a sentence: "Date of birth" -> "date of birth",
    keeping acronyms ("MoPI review", "CSV file") and dropping a trailing "(optional)"-like
    aside or ":"."""
    text = re.sub(r"\s*\([^()]*\)\s*$", "", str(label).strip()).rstrip(":").strip()
    first = text.split(" ", 1)[0]
    if first == "I" or (len(first) > 1 and any(c.isupper() for c in first[1:])):
        return text
    return text[:1].lower() + text[1:]


def govuk_error_messages(form: forms.BaseForm) -> None:
    """Replace Django's generic messages ("This field is required.", "Enter a valid
    date.", "Select a valid choice. ...") with ones that say what to do, built from
    each field's label. A message the form or field already sets is kept."""
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        label = _in_sentence(field.label if field.label is not None else pretty_name(name))
        if not label:
            continue
        defaults = _default_messages(field)
        select = isinstance(field, _SELECT_FIELDS)
        if label.endswith("?"):
            # A question label ("Which case is this young person known on?") does not fit in a sentence.
            wanted = {"required": "Select an answer" if select else "Enter your answer"}
            wanted["invalid_choice"] = "Select one of the options"
        else:
            wanted = {"required": f"{'Select' if select else 'Enter'} {label}"}
            wanted["invalid_choice"] = f"Select {label} from the list"  # noqa: S608 (a message, not SQL)
        if isinstance(field, forms.DateTimeField):
            wanted["invalid"] = f"Enter {label} as a real date and time, for example 27/3/2026 14:30"
        elif isinstance(field, forms.DateField):
            wanted["invalid"] = f"Enter {label} as a real date, for example 27 3 2026"
        for key, message in wanted.items():
            current = field.error_messages.get(key)
            if current is not None and key in defaults and str(current) == defaults[key]:
                field.error_messages[key] = message


def gov_helper(form: forms.BaseForm) -> FormHelper:
    """The GOV.UK FormHelper every form here uses: no <form> tag (the page has it),
    labels and legends at the same small size."""
    helper = FormHelper(form)
    helper.form_tag = False
    helper.label_size = "s"
    helper.legend_size = "s"
    return helper


class GovForm(forms.Form):
    """A form rendered with the GOV.UK template pack; the page template supplies
    the <form> tag, the error summary and the buttons. Fields left with Django's
    generic messages get GOV.UK ones built from their labels (govuk_error_messages)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_error_messages(self)
        self.helper = gov_helper(self)


class GovModelForm(_ModelFormBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_error_messages(self)
        self.helper = gov_helper(self)


class GovDateField(DateInputField):  # type: ignore[misc]  # crispy-forms-gds ships no type information
    """GOV.UK date input (day / month / year) with messages that say what to fix."""

    def __init__(self, *, label: str, required: bool = False, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(label=label, required=required, help_text=help_text, require_all_fields=False, **kwargs)
        self.error_messages["required"] = f"Enter the {label.lower()}"
        self.error_messages["incomplete"] = f"Enter the {label.lower()} in full: day, month and year"
        for sub in self.fields:
            sub.required = False

    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except ValidationError as error:
            # "Enter the date ..." and "... in full" already say what to do; anything else is not a real date.
            if getattr(error, "code", None) in ("required", "incomplete"):
                raise
            raise ValidationError(f"{self.label} must be a real date, for example 27 3 2009", code="invalid") from error

    def compress(self, data_list: list[Any]) -> Any:
        day, month, year = data_list
        if not (day or month or year):
            return None
        if not (day and month and year):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        try:
            return super().compress(data_list)
        except OverflowError as error:
            # A year of thirty digits is as unreal as 31 February (the parent only catches ValueError).
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"class": "govuk-input govuk-input--width-20", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


ZONE_SUFFIX = "_zone"


def _split_zone(value: object) -> tuple[object, str]:
    """("2026-10-25T01:25", "BST") from "2026-10-25T01:25 BST"; other values unchanged."""
    if isinstance(value, str):
        head, _, tail = value.strip().rpartition(" ")
        if head and tail.upper() in uktime.NAMED_ZONES:
            return head, tail.upper()
    return value, ""


class UkDateTimeInput(DateTimeLocalInput):
    """The date-time picker, and — only when the time typed happened twice in the UK (the
    night the clocks go back) — a choice of BST or GMT beside it, so the officer can say
    which without knowing ISO offsets. The choice travels as `<name>_zone` and is joined to
    the time ("… BST") only when the time alone is ambiguous."""

    def value_from_datadict(self, data: Mapping[str, Any], files: MultiValueDict[str, UploadedFile], name: str) -> Any:
        text = data.get(name)
        zone = str(data.get(name + ZONE_SUFFIX) or "").upper()
        if text and zone in uktime.NAMED_ZONES and uktime.ambiguous_time(str(text)):
            return f"{text} {zone}"
        return text

    def value_omitted_from_data(
        self, data: Mapping[str, Any], files: MultiValueDict[str, UploadedFile], name: str
    ) -> bool:
        return name not in data

    def format_value(self, value: Any) -> str | None:
        value, _ = _split_zone(value)
        return super().format_value(value)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        text, chosen = _split_zone(value)
        html = super().render(name, text, attrs, renderer)
        parsed = uktime.ambiguous_time(str(text)) if isinstance(text, str) and text else None
        if parsed is None:
            return html
        shown = parsed.naive.strftime("%H:%M") if parsed.naive else "that time"
        options = uktime.zone_choices(shown)
        base_id = (attrs or {}).get("id") or f"id_{name}"
        items = format_html_join(
            "",
            '<div class="govuk-radios__item"><input class="govuk-radios__input" id="{0}-{1}" name="{2}" '
            'type="radio" value="{1}"{3}><label class="govuk-label govuk-radios__label" for="{0}-{1}">{4}</label></div>',
            (
                (base_id, code, name + ZONE_SUFFIX, mark_safe(" checked") if code == chosen else "", label)
                for code, label in options
            ),
        )
        return format_html(
            '{}<div class="govuk-form-group govuk-!-margin-top-4 govuk-!-margin-bottom-0" id="{}-zone-group">'
            '<fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
            "Was {} on {} BST or GMT?</legend>"
            '<div class="govuk-radios" data-module="govuk-radios">{}</div></fieldset></div>',
            html,
            base_id,
            shown,
            parsed.naive.strftime("%d/%m/%Y") if parsed.naive else "that day",
            items,
        )


class LocalDateTimeField(forms.Field):
    """A UK local date and time (the browser's date-time picker, or typed as dd/mm/yyyy hh:mm,
    with "BST" or "GMT" if wanted). A time that happened twice at a clock change is refused
    until the officer says whether it was BST or GMT (the widget offers the choice); a time
    that never happened is refused with the reason. Never guessed."""

    widget = UkDateTimeInput

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
        return value

    def to_python(self, value: Any) -> datetime | None:
        text = str(value or "").strip()[:40]
        if not text:
            return None
        try:
            parsed = uktime.parse_datetime(text)
        except uktime.ValueProblem as problem:
            raise ValidationError(
                f"Enter a date and time like 14/03/2025 02:30: \u201c{text}\u201d {problem}"
            ) from None
        if parsed.ambiguous:
            raise ValidationError(
                f"{parsed.naive:%d/%m/%Y %H:%M} happened twice in the UK: the clocks went back that night. "
                "Choose whether it was BST or GMT.",
                code="ambiguous",
            )
        if parsed.at is None:
            raise ValidationError(parsed.check)
        return parsed.at


RESTORED_MESSAGE = "We kept what you typed before you were signed out. Check it, then submit the form again: nothing has been sent yet."


def form_data(request: HttpRequest) -> QueryDict | None:
    """What to bind a form to: the POST on a POST; on a GET, what this same user typed
    into this form when their session had run out (given back once, with a banner,
    never submitted for them); None for a blank form.

        form = CaseForm(form_data(request))
        if request.method == "POST" and form.is_valid(): ...
    """
    if request.method == "POST":
        return request.POST
    restored = restore_saved_form(request)
    if restored is not None:
        messages.info(request, RESTORED_MESSAGE)
    return restored


class RestoredFormMixin(_FormViewBase):
    """For FormView / CreateView / UpdateView: a GET shows the form this user posted
    after their session ran out, bound to what they typed, for them to submit."""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            restored = form_data(self.request)
            if restored is not None:
                kwargs["data"] = restored
        return kwargs


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: on its field when the form has it,
    else at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def display_value(field: forms.Field | models.Field[Any, Any], value: Any) -> str:
    """A value as people read it (choice labels, dates), for conflicts and changes."""
    if value in (None, "", []):
        return "—"
    choices = dict(getattr(field, "choices", None) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(choices.get(value, value))


def edit_conflict_response(
    request: HttpRequest,
    *,
    form: forms.BaseForm,
    current: Model,
    form_class: Callable[..., forms.BaseForm],
    fields: Iterable[str],
    title: str,
    back_url: str,
    **form_kwargs: Any,
) -> HttpResponse:
    """The second save of two: show both versions and the user's typed values, bound to the
    new version, so they can re-apply their changes. Nothing was saved."""
    model_fields = {f.name: f for f in current._meta.fields}
    rows = []
    for name in fields:
        if name not in form.cleaned_data:
            continue
        mine, theirs = form.cleaned_data[name], getattr(current, name)
        if mine != theirs:
            source = model_fields.get(name) or form.fields[name]
            rows.append(
                {
                    "label": form.fields[name].label,
                    "mine": display_value(source, mine),
                    "theirs": display_value(source, theirs),
                }
            )
    history = getattr(current, "history", None)
    latest = history.select_related("history_user").first() if history is not None else None
    data = request.POST.copy()
    version = cast(Versioned, current).version
    data["version"] = str(version)
    retry = form_class(data, instance=current, version=version, **form_kwargs)
    return render(
        request,
        "core/conflict.html",
        {
            "title": title,
            "rows": rows,
            "form": retry,
            "latest": latest,
            "back_url": back_url,
            "record": current,
        },
        status=409,
    )
