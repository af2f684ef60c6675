"""The chronology filter."""

from __future__ import annotations

from typing import cast

from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from safeguarding.core.forms import GovForm


class ChronologyFilterForm(GovForm):
    type = forms.MultipleChoiceField(label="Show only", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, types: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["type"]).choices = list(types.items())
        self.helper.layout = Layout(Field.checkboxes("type", small=True, legend_size=Size.SMALL))
