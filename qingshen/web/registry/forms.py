from django import forms

from qingshen.registry import uscc as uscc_codes
from qingshen.registry.models import Enterprise, Industry
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
