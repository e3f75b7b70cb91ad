from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qingshen.cases.kinds import CaseKind
from qingshen.cases.lifecycle import transition_get
from qingshen.cases.models import CasePermitRecord
from qingshen.cases.states import Level, State
from qingshen.core.names import LocalNameChoiceField, in_language
from qingshen.programmes.case_filters import SORT_CHOICES
from qingshen.programmes.models import Ground, LeadAuthority, Programme


class ErrorsBesideFields:
    """A field that fails validation is marked invalid (Bootstrap's is-invalid), so the page shows its
    errors beside it rather than in a message at the top."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class ProgrammeChoiceField(forms.ModelChoiceField):
    """A programme by its title; the page's options read the titles alone (core/field_html.py)."""

    option_columns = ("title",)

    @staticmethod
    def option_label(title: str) -> str:
        return title


class DistrictChoiceField(LocalNameChoiceField):
    """A district by its name in the page's language; the options read the names alone."""

    option_columns = ("name", "name_en")

    @staticmethod
    def option_label(name: str, name_en: str) -> str:
        return in_language(name, name_en or "")


class CaseFilterForm(ErrorsBesideFields, forms.Form):
    q = forms.CharField(label=_("Enterprise or credit code"), required=False, max_length=100)
    programme = ProgrammeChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False, widget=forms.Select
    )
    district = DistrictChoiceField(label=_("District"), queryset=None, required=False, widget=forms.Select)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *State.choices], required=False, widget=forms.Select
    )
    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[("", _("All grounds")), *Ground.choices],
        required=False,
        widget=forms.Select,
    )
    lead_authority = forms.ChoiceField(
        label=_("Lead authority"),
        choices=[("", _("All authorities")), *LeadAuthority.choices],
        required=False,
        widget=forms.Select,
    )
    kind = forms.ChoiceField(
        label=_("Kind of audit"),
        choices=[("", _("All kinds")), *CaseKind.choices],
        required=False,
        widget=forms.Select,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False, widget=forms.Select)

    def __init__(self, *args, programmes, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["district"].queryset = jurisdictions
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-select"
            if isinstance(field.widget, forms.TextInput):
                css = "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css}"


class TransitionForm(ErrorsBesideFields, forms.Form):
    """One step's button on the case page. `action` and `version` are hidden inputs the page writes for the
    case it shows, so a form shown again after a refusal carries the version the user now sees."""

    HIDDEN = ("action", "version")

    action = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    level = forms.ChoiceField(
        label=_("Level reached"),
        required=False,
        choices=[("", "—"), *Level.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    document = forms.FileField(
        label=_("Supporting document"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, action: str = "", **kwargs):
        # Each step's form on the page has its own element ids (every one has a comment field).
        kwargs.setdefault("auto_id", f"id_{action}_%s" if transition_get(action) else "id_%s")
        super().__init__(*args, **kwargs)

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is not None and upload.size > settings.QINGSHEN_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the upload limit."))
        return upload

    def full_clean(self):
        super().full_clean()
        # Nobody can correct a hidden input: a bad one is reported as the form's own error.
        if any([self._errors.pop(name, None) for name in self.HIDDEN]):
            self.add_error(None, _("This form is out of date or incomplete; reload the page and try again."))


class PermitFindingsForm(forms.Form):
    """The audit's findings on the discharge permit (申领、登记与实施情况)."""

    application = forms.ChoiceField(
        label=_("Application or registration"),
        choices=CasePermitRecord.Application.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    implementation = forms.ChoiceField(
        label=_("Implementation"),
        choices=CasePermitRecord.Implementation.choices,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(
        label=_("Findings"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
