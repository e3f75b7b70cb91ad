from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.core.names import LocalNameChoiceField
from qingshen.oversight.models import Warning


class WarningFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Warning.Level.choices]
    )
    history = forms.BooleanField(label=_("Include met and moved deadlines"), required=False)


class AccountabilityFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed"))],
    )
    section = forms.ChoiceField(label=_("Responsible section"), required=False)
    district = LocalNameChoiceField(label=_("District"), required=False, queryset=None)

    def __init__(self, *args, sections, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("All sections"))] + [(s, s) for s in sections]
        self.fields["district"].queryset = districts


class AccountabilityCloseForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class AccountabilityOpenForm(forms.Form):
    duty = forms.CharField(label=_("Duty not performed"), max_length=200)
    explanation = forms.CharField(
        label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class PenaltyOrderForm(forms.Form):
    violation = forms.ModelChoiceField(label=_("Violation"), queryset=None)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    correct_by = forms.DateField(label=_("Correct by"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, violations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation"].queryset = violations


class PenaltyImposeForm(forms.Form):
    fine = forms.IntegerField(label=_("Fine (yuan)"), required=False, min_value=0)


class PenaltyConfirmForm(forms.Form):
    correct_by = forms.DateField(
        label=_("Correct by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PenaltyReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is returned"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": _("Say why the proposal is returned.")},
    )


class SpotCheckDrawForm(forms.Form):
    year = forms.IntegerField(label=_("Cases accepted in"), min_value=2000, max_value=2100)
    mode = forms.ChoiceField(
        label=_("Sample by"),
        choices=[("count", _("a number of cases")), ("percent", _("a percentage per district"))],
    )
    amount = forms.IntegerField(label=_("Number or percentage"), min_value=1, max_value=100_000)


class SpotCheckFindingForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=[("compliant", _("compliant")), ("deficient", _("deficient"))]
    )
    finding = forms.CharField(label=_("Finding"), required=False, max_length=4000)


class SpotCheckConcludeForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000)
