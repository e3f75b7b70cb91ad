from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models import GroupAudit
from qingshen.core.text import NAME_VALIDATORS


class GroupOpenForm(forms.Form):
    name = forms.CharField(
        label=_("Group name"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        validators=NAME_VALIDATORS,
    )
    lead_kind = forms.ChoiceField(
        label=_("Kind of lead"),
        choices=GroupAudit.LeadKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    lead = forms.ModelChoiceField(
        label=_("Lead (as entered in the registry)"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    lead_account = forms.BooleanField(label=_("Give the lead an account now"), required=False)

    def __init__(self, *args, leads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads


class MemberAddForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Member enterprise"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, enterprises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
