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


class EnteredSummaryForm(forms.Form):
    """A summary table of a year before the system: the year, one text box per figure of the computed
    table (checked together by reports.entered), the written summary and the plan; or a workbook in
    the export's layout that fills the boxes for the district to check before keeping them."""

    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )
    workbook = forms.FileField(
        label=_("Or import the table (.xlsx in the export's layout)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )
    narrative = SummaryFilingForm.base_fields["narrative"]
    work_plan = SummaryFilingForm.base_fields["work_plan"]

    def __init__(self, *args, years, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        self.fields["year"].choices = [(y, str(y)) for y in years]
        for col in columns:
            self.fields[f"c_{col.key}"] = forms.CharField(
                label=col.label,
                required=False,
                max_length=40,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm text-end",
                        "inputmode": "decimal",
                        "data-key": col.key,
                    }
                ),
            )

    def raw_figures(self) -> dict:
        return {c.key: self.cleaned_data.get(f"c_{c.key}") or "" for c in self.columns}

    def groups(self):
        """The figure boxes by the table's column groups, for the page."""
        out = []
        for col in self.columns:
            if not out or str(out[-1][0]) != str(col.group):
                out.append((col.group, []))
            out[-1][1].append(self[f"c_{col.key}"])
        return out
