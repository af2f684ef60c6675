import re

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib import messages
from django.forms.utils import pretty_name
from django.http import HttpRequest, QueryDict

from .middleware import restore_saved_form

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


def _in_sentence(label: str) -> str:
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_error_messages(self)
        self.helper = gov_helper(self)


class GovModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_error_messages(self)
        self.helper = gov_helper(self)


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


class RestoredFormMixin:
    """For FormView / CreateView / UpdateView: a GET shows the form this user posted
    after their session ran out, bound to what they typed, for them to submit."""

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            restored = form_data(self.request)
            if restored is not None:
                kwargs["data"] = restored
        return kwargs
