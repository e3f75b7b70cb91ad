from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.models import Jurisdiction
from qingshen.accounts.parameters import PARAMETERS
from qingshen.accounts.roles import Authority, Role
from qingshen.registry.models import Agency


class OtpForm(forms.Form):
    token = forms.CharField(
        label=_("Code"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "one-time-code"})
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise forms.ValidationError(_("The current password is not correct."))
        return self.cleaned_data["old_password"]

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("No role")), *list(Role.choices)], required=False
    )
    authority = forms.ChoiceField(
        label=_("Department"),
        choices=Authority.choices,
        initial=Authority.ENVIRONMENT,
        required=False,
        help_text=_(
            "For bureau staff: the energy-saving authority leads the cases listed for energy use only."
        ),
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdiction"), queryset=Jurisdiction.objects.all(), required=False
    )
    enterprise_uscc = forms.CharField(
        label=_("Enterprise (unified social credit code)"), max_length=18, required=False
    )
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "enterprise_uscc" else "form-select"

    def clean_authority(self):
        return self.cleaned_data["authority"] or Authority.ENVIRONMENT

    def clean_enterprise_uscc(self):
        from qingshen.registry.models import Enterprise

        code = self.cleaned_data["enterprise_uscc"].strip().upper()
        if not code:
            return None
        enterprise = Enterprise.objects.filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError(_("No enterprise has this code."))
        return enterprise


class SecurityParametersForm(forms.Form):
    def __init__(self, *args, values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for key, p in PARAMETERS.items():
            # A list of roles may be empty (no role), a number may not.
            self.fields[key] = forms.CharField(
                label=p.label, initial=values.get(key, p.default), max_length=300, required=p.kind != "roles"
            )
