"""Every form built on GovForm / GovModelForm says what to do, GOV.UK style, instead of
Django's generic "This field is required." / "Enter a valid date." / "Select a valid
choice. ..."; a message a form sets itself is kept."""

from __future__ import annotations

import pytest
from crispy_forms.utils import render_crispy_form
from django import forms

from safeguarding.accounts.forms import SignInForm, UserCreateForm
from safeguarding.accounts.models import Agency
from safeguarding.core.forms import GovForm, gov_helper
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


class ExampleForm(GovForm):
    first_name = forms.CharField(label="The young person's first name")
    outcome = forms.ChoiceField(label="Outcome", choices=[("charged", "Charged"), ("bailed", "Bailed")])
    date_of_birth = forms.DateField(label="Date of birth")
    arrested_at = forms.DateTimeField(label="Arrest time")
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.all())
    agrees = forms.BooleanField(label="I agree")
    review = forms.CharField(label="MoPI review")
    reason = forms.CharField(label="Why is this not needed?")
    notes = forms.CharField(label="Notes (optional)")
    own = forms.CharField(label="Own message", error_messages={"required": "Say something, please"})
    own_date = forms.DateField(label="Own date", error_messages={"invalid": "That is not a date we know"})
    own_choice = forms.ChoiceField(
        label="Own choice", choices=[("a", "A")], error_messages={"invalid_choice": "Pick A"}
    )


def errors(data: dict) -> dict[str, list[str]]:
    form = ExampleForm(data)
    assert not form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_required_messages_say_what_to_enter_or_select():
    got = errors({})
    assert got["first_name"] == ["Enter the young person's first name"]
    assert got["outcome"] == ["Select outcome"]
    assert got["date_of_birth"] == ["Enter date of birth"]
    assert got["arrested_at"] == ["Enter arrest time"]
    assert got["agency"] == ["Select agency"]
    assert got["agrees"] == ["Select I agree"]
    # Acronyms keep their capitals; a trailing aside is dropped; a question does not fit a sentence.
    assert got["review"] == ["Enter MoPI review"]
    assert got["notes"] == ["Enter notes"]
    assert got["reason"] == ["Enter your answer"]


def test_invalid_date_and_choice_messages_say_what_to_do():
    got = errors({"outcome": "escaped", "date_of_birth": "31 2 2010", "arrested_at": "yesterday", "agency": "0"})
    assert got["outcome"] == ["Select outcome from the list"]
    assert got["date_of_birth"] == ["Enter date of birth as a real date, for example 27 3 2026"]
    assert got["arrested_at"] == ["Enter arrest time as a real date and time, for example 27/3/2026 14:30"]
    assert got["agency"] == ["Select agency from the list"]


def test_a_field_with_its_own_message_keeps_it():
    got = errors({"own_date": "not a date", "own_choice": "b"})
    assert got["own"] == ["Say something, please"]
    assert got["own_date"] == ["That is not a date we know"]
    assert got["own_choice"] == ["Pick A"]


def test_no_form_shows_djangos_generic_messages():
    got = errors({"outcome": "x", "date_of_birth": "x", "arrested_at": "x", "agency": "x"})
    shown = [message for messages in got.values() for message in messages]
    for generic in ("This field is required.", "Enter a valid date.", "Enter a valid date/time.", "Select a valid"):
        assert not any(message.startswith(generic) for message in shown)


def test_the_forms_messages_are_tuned_where_the_label_reads_badly():
    sign_in = SignInForm({})
    assert not sign_in.is_valid()
    assert sign_in.errors["email"] == ["Enter your email address"]
    assert sign_in.errors["password"] == ["Enter your password"]
    AgencyFactory()
    create = UserCreateForm({})
    assert not create.is_valid()
    assert create.errors["full_name"] == ["Enter the user's full name"]
    assert create.errors["role"] == ["Select the user's role"]
    assert create.errors["agency"] == ["Select the user's agency"]


class RadiosForm(GovForm):
    outcome = forms.ChoiceField(label="Outcome", choices=[("a", "A")], widget=forms.RadioSelect)
    name = forms.CharField(label="Name")


def test_legends_are_sized_like_labels():
    helper = gov_helper(RadiosForm())
    assert (helper.label_size, helper.legend_size, helper.form_tag) == ("s", "s", False)
    html = render_crispy_form(RadiosForm())
    assert "govuk-fieldset__legend--s" in html
    assert "govuk-label--s" in html


def test_an_empty_required_gov_date_says_enter_the_date_not_that_it_is_not_real():
    from cases.forms import VoiceEntryForm

    form = VoiceEntryForm({"account": "They said so"})
    assert not form.is_valid()
    assert form.errors["spoken_on"] == ["Enter the date they said this"]
    form = VoiceEntryForm({"account": "They said so", "spoken_on_0": "31", "spoken_on_1": "2", "spoken_on_2": "2025"})
    assert not form.is_valid()
    assert form.errors["spoken_on"] == ["Date they said this must be a real date, for example 27 3 2009"]
