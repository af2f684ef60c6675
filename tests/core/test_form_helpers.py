from django import forms
from django.core.exceptions import ValidationError

from safeguarding.core.forms import GovDateField, GovForm, apply_service_errors


class NameForm(GovForm):
    name = forms.CharField(label="Name")


def test_service_error_on_a_field_of_the_form_lands_on_that_field():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    apply_service_errors(form, ValidationError({"name": "Too short", "elsewhere": "Not a field here"}))
    assert form.errors["name"] == ["Too short"]
    assert form.non_field_errors() == ["Not a field here"]


def test_service_error_without_a_field_goes_to_the_top_of_the_form():
    form = NameForm({"name": "x"})
    assert form.is_valid()
    apply_service_errors(form, ValidationError("Something is wrong"))
    assert form.non_field_errors() == ["Something is wrong"]


class BirthForm(GovForm):
    born = GovDateField(label="Date of birth")


def test_a_date_with_a_year_too_big_for_any_calendar_is_a_form_error_not_a_crash():
    form = BirthForm({"born_0": "1", "born_1": "2", "born_2": "9" * 30})
    assert not form.is_valid()
    assert form.errors["born"] == ["Date of birth must be a real date, for example 27 3 2009"]
