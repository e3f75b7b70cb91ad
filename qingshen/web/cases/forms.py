from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qingshen.cases.states import Level, State
from qingshen.core.names import LocalNameChoiceField
from qingshen.programmes.models import Programme

SORT_CHOICES = [
    ("deadline", _("Next deadline (earliest first)")),
    ("-deadline", _("Next deadline (latest first)")),
    ("enterprise", _("Enterprise name")),
    ("district", _("District")),
    ("state", _("State")),
    ("year", _("Year")),
]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Enterprise or credit code"), required=False, max_length=100)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    district = LocalNameChoiceField(label=_("District"), queryset=None, required=False)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *State.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, programmes, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["district"].queryset = jurisdictions
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-select"
            if isinstance(field.widget, forms.TextInput):
                css = "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css}"


class TransitionForm(forms.Form):
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

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload is not None and upload.size > settings.QINGSHEN_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the upload limit."))
        return upload
