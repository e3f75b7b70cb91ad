from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.reports.models import TEXT_VALIDATORS


class SummaryFilingForm(forms.Form):
    """What a district files with its row of the table (the notice's 11/30 item)."""

    narrative = forms.CharField(
        label=_("Written summary of the year's work"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
        validators=TEXT_VALIDATORS,
    )
    work_plan = forms.CharField(
        label=_("Next year's work plan"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        validators=TEXT_VALIDATORS,
    )
    attachment = forms.FileField(
        label=_("Attachment (optional: the summary as a signed document)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
