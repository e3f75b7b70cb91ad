"""The forms of the city's checklists and rubrics page. One page holds a set per review kind, so each
form's ids carry its kind (the field names stay as the page posts them)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models import Document
from qingshen.reviews import rubric_text
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import ReviewKind

SMALL = {"class": "form-control form-control-sm"}


def _ids(kind: str) -> str:
    return f"id_{kind}_%s"


class ChecklistAddForm(forms.Form):
    kind = forms.ChoiceField(choices=ReviewKind.choices, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Material"),
        max_length=200,
        error_messages={"required": _("Name the material.")},
        widget=forms.TextInput(attrs={**SMALL, "placeholder": _("Material")}),
    )
    document_kind = forms.ChoiceField(
        label=_("Document type"),
        choices=Document.Kind.choices,
        initial="other",
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=2000,
        required=False,
        widget=forms.TextInput(attrs={**SMALL, "placeholder": _("Source")}),
    )
    required = forms.BooleanField(
        label=_("Required"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("auto_id", _ids(kind))
        kwargs.setdefault("initial", {"kind": kind})
        super().__init__(*args, **kwargs)

    def clean_document_kind(self):
        return self.cleaned_data["document_kind"] or "other"


class ChecklistUpdateForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    required = forms.BooleanField(required=False)
    is_active = forms.BooleanField(required=False)


class RubricForm(forms.Form):
    """A new version of a kind's rubric: its lines are checked here as the service checks them."""

    kind = forms.ChoiceField(choices=ReviewKind.choices, widget=forms.HiddenInput)
    lines = forms.CharField(
        label=_("Items"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 12}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    pass_mark = forms.CharField(
        label=_("Pass mark"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    bonus_max = forms.CharField(
        label=_("Bonus points at most"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    pass_mark_source = forms.CharField(
        label=_("Source of the pass mark"),
        max_length=2000,
        error_messages={"required": _("Give the source of the pass mark.")},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    veto_unmet_targets = forms.BooleanField(
        label=_("Veto: a cleaner production target not met"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, kind: str, **kwargs):
        kwargs.setdefault("auto_id", _ids(kind))
        super().__init__(*args, **kwargs)

    def clean_lines(self):
        lines = self.cleaned_data["lines"]
        _items, errors = rubric_text.rubric_lines_parse(lines)
        if errors:
            raise ValidationError(errors)
        return lines

    def _mark(self, field_name: str):
        raw = self.cleaned_data[field_name]
        try:
            rubric_text.mark_parse(raw, field_name)
        except ReviewRefused as exc:
            raise ValidationError(exc.message) from exc
        return raw

    def clean_pass_mark(self):
        return self._mark("pass_mark")

    def clean_bonus_max(self):
        return self._mark("bonus_max")
