from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingshen.core.text import PUBLIC_TEXT_VALIDATORS
from qingshen.procedures.models import Procedure, ProcedureStep
from qingshen.procedures.versions import FIELDS, STEP_FIELDS

TEXTAREAS = {"scope", "legal_basis", "mandate", "accountability", "supervision", "remedies", "remarks"}
HELP = {
    "legal_basis": _("Each law or rule to the article, with the article's text quoted."),
    "mandate": _("The bureau's 三定规定: 第X条第X款, and the section it gives this work to."),
    "supervision": _("The channels the public may use, e.g. the 12345 hotline."),
    "remedies": _("Administrative reconsideration and litigation, with their articles and time limits."),
}


class ProcedureEditForm(forms.Form):
    """The procedure's fields, each step's text, and when the new edition takes effect."""

    def __init__(self, *args, procedure: Procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = list(procedure.steps.order_by("order"))
        for name in FIELDS:
            model_field = Procedure._meta.get_field(name)
            if name == "power_type":
                field = forms.ChoiceField(
                    choices=Procedure.PowerType.choices, widget=forms.Select(attrs={"class": "form-select"})
                )
            else:
                widget = (
                    forms.Textarea(attrs={"rows": 3, "class": "form-control"})
                    if name in TEXTAREAS
                    else forms.TextInput(attrs={"class": "form-control"})
                )
                field = forms.CharField(
                    max_length=model_field.max_length or 20000,
                    widget=widget,
                    validators=PUBLIC_TEXT_VALIDATORS,
                )
            field.label = model_field.verbose_name
            field.required = not model_field.blank
            field.initial = getattr(procedure, name)
            field.help_text = HELP.get(name, "")
            self.fields[name] = field
        for step in self.steps:
            for name in STEP_FIELDS:
                model_field = ProcedureStep._meta.get_field(name)
                self.fields[f"step_{step.order}_{name}"] = forms.CharField(
                    label=f"{step.order}. {model_field.verbose_name}",
                    required=name in ("name", "responsible_section"),
                    max_length=model_field.max_length or 5000,
                    initial=getattr(step, name),
                    validators=PUBLIC_TEXT_VALIDATORS,
                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
                    if name == "description"
                    else forms.TextInput(attrs={"class": "form-control"}),
                )
        self.fields["effective_on"] = forms.DateField(
            label=_("Takes effect on"),
            initial=timezone.localdate,
            widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        )
        self.fields["note"] = forms.CharField(
            label=_("What this edition changes"),
            max_length=500,
            validators=PUBLIC_TEXT_VALIDATORS,
            widget=forms.TextInput(attrs={"class": "form-control"}),
        )

    def record_fields(self):
        return [self[name] for name in FIELDS]

    def step_rows(self):
        return [(step, [self[f"step_{step.order}_{name}"] for name in STEP_FIELDS]) for step in self.steps]

    def values(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        fields = {name: data[name] for name in FIELDS}
        steps = {s.order: {name: data[f"step_{s.order}_{name}"] for name in STEP_FIELDS} for s in self.steps}
        return fields, steps
