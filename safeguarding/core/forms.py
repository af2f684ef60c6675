from crispy_forms_gds.helper import FormHelper
from django import forms
from django.contrib import messages
from django.http import HttpRequest, QueryDict

from .middleware import restore_saved_form


class GovForm(forms.Form):
    """A form rendered with the GOV.UK template pack; the page template supplies
    the <form> tag, the error summary and the buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.label_size = "s"


class GovModelForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.label_size = "s"


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
