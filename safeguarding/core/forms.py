from crispy_forms_gds.helper import FormHelper
from django import forms


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
