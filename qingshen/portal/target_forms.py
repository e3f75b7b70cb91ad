"""The forms of the enterprise's audit focus and targets page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models import Indicator, Target
from qingshen.core.names import LocalNameChoiceField
from qingshen.core.text import NAME_VALIDATORS, PUBLIC_TEXT_VALIDATORS
from qingshen.portal.forms import _style


def _figure(label, required=True):
    return forms.DecimalField(label=label, max_digits=14, decimal_places=4, required=required)


class AuditFocusForm(forms.Form):
    audit_focus = forms.CharField(
        label=_("Audit focus (审核重点)"),
        max_length=2000,
        help_text=_("The process, unit or plant chosen in pre-assessment, and why."),
        validators=PUBLIC_TEXT_VALIDATORS,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe the audit focus (审核重点).")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class TargetForm(forms.Form):
    target = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Indicator"),
        max_length=100,
        validators=NAME_VALIDATORS,
        help_text=_("e.g. 单位产品综合能耗, COD 排放量"),
        error_messages={"required": _("Name the indicator of the target.")},
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=30,
        validators=NAME_VALIDATORS,
        error_messages={"required": _("Give the unit of the indicator.")},
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Target.Direction.choices)
    baseline = _figure(_("Baseline (before the audit)"))
    target_value = _figure(_("Target value"))
    target_year = forms.IntegerField(label=_("Target year"), min_value=1900, max_value=2999)
    indicator = LocalNameChoiceField(
        label=_("Measured by the benefit (optional)"),
        queryset=Indicator.objects.all(),
        required=False,
        help_text=_(
            "If chosen and no actual value is entered, the actual value is the baseline less "
            "(or plus) the options' verified benefits."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ActualForm(forms.Form):
    target = forms.IntegerField(widget=forms.HiddenInput)
    actual = forms.DecimalField(
        label=_("Actual value"), max_digits=14, decimal_places=4, required=False, min_value=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class WithdrawForm(forms.Form):
    target = forms.IntegerField(widget=forms.HiddenInput)
