import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.registry import uscc as uscc_codes
from qingshen.registry.models import Enterprise, Industry, Permit
from qingshen.registry.services import EDITABLE_FIELDS

FIELDS = EDITABLE_FIELDS

# On creation the key-industry flag follows the industry; staff change it afterwards if needed.
CREATE_FIELDS = tuple(f for f in FIELDS if f != "is_key_industry")


def _style(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs["class"] = "form-check-input"
        elif isinstance(field.widget, forms.Select):
            field.widget.attrs["class"] = "form-select"
        else:
            field.widget.attrs["class"] = "form-control"


class EnterpriseEditForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].queryset = Industry.objects.filter(level__in=["division", "group", "class"])
        _style(self)


class EnterpriseCreateForm(forms.ModelForm):
    class Meta:
        model = Enterprise
        fields = ("uscc", "jurisdiction", *CREATE_FIELDS)

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions
        self.fields["industry"].queryset = Industry.objects.filter(level__in=["division", "group", "class"])
        _style(self)

    def clean_uscc(self):
        try:
            return uscc_codes.validate(self.cleaned_data["uscc"])
        except uscc_codes.InvalidCode as exc:
            raise forms.ValidationError(exc.reason) from exc

    def validate_unique(self):
        # The service reports an existing code with the name it is registered under.
        pass


class PermitForm(forms.Form):
    """A discharge permit and its pollutants, one a line: pollutant, outlet (may be empty), limit, unit."""

    number = forms.CharField(label=_("Permit number"), max_length=40)
    management_class = forms.ChoiceField(label=_("Management class"), choices=Permit.ManagementClass.choices)
    issuing_authority = forms.CharField(label=_("Issuing authority"), max_length=100, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Valid to"), widget=forms.DateInput(attrs={"type": "date"}))
    pollutants = forms.CharField(
        label=_("Permitted pollutants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One a line: pollutant, outlet (may be left empty), limit, unit — e.g. 化学需氧量, DW001, 50, mg/L"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_pollutants(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["pollutants"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in re.split(r"[,，\t;；]", line)]
            limit = None
            if len(parts) == 4 and parts[0] and parts[3]:
                try:
                    limit = Decimal(parts[2])
                except InvalidOperation:
                    limit = None
            if limit is None or limit < 0 or not limit.is_finite():
                raise forms.ValidationError(
                    _("Line %(n)d: write pollutant, outlet, limit (a number of zero or more) and unit.")
                    % {"n": n}
                )
            rows.append({"pollutant": parts[0], "outlet": parts[1], "limit_value": limit, "unit": parts[3]})
        return rows

    @staticmethod
    def pollutants_text(permit) -> str:
        return "\n".join(
            f"{p.pollutant}, {p.outlet}, {p.limit_value.normalize():f}, {p.unit}"
            for p in permit.pollutants.all()
        )
