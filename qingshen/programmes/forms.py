from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Ground


class ListingAddForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    grounds = forms.MultipleChoiceField(
        label=_("Grounds (办法 Art. 8)"), choices=Ground.choices, widget=forms.CheckboxSelectMultiple
    )
    other_reason = forms.CharField(
        label=_("Reason (for the ground “other”)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises


class PublishForm(forms.Form):
    published_on = forms.DateField(
        label=_("Publication date (P)"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )
