"""The forms of the review pages. Each checks what it can beside its fields (a score with the same
rule the service applies, qingshen.reviews.scoring); what only the service knows comes back as a
refusal shown on the form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models import Document
from qingshen.cases.states import Level
from qingshen.reviews import rules, scoring
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import RubricItem

TEXT = {"class": "form-control", "rows": 2}


class ApplicationForm(forms.Form):
    """Per checklist item: a file to upload, or (where the case holds current documents of the item's
    type) one of those, pre-selected where one is the obvious choice. An upload wins over a choice."""

    def __init__(self, *args, items, offers=None, **kwargs):
        super().__init__(*args, **kwargs)
        offers = offers or {}
        self.rows = []
        for item in items:
            candidates, preselected = offers.get(item.code, ([], None))
            # What the bureau issued (the technical review opinion) is chosen, never uploaded again.
            issued = bool(candidates) and item.document_kind in Document.ISSUED_KINDS
            upload = None if issued else f"item_{item.code}"
            if upload:
                self.fields[upload] = forms.FileField(
                    label=item.name,
                    required=False,
                    widget=forms.ClearableFileInput(attrs={"class": "form-control", "aria-label": item.name}),
                )
            existing = None
            if candidates:
                existing = f"existing_{item.code}"
                self.fields[existing] = forms.TypedChoiceField(
                    label=_("Hand in a document the case already holds"),
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=([] if issued else [("", _("— no, upload a file —"))])
                    + [(d.pk, _document_label(d)) for d in candidates],
                    initial=preselected.pk if preselected else "",
                    widget=forms.Select(attrs={"class": "form-select"}),
                )
            self.rows.append((item, upload, existing))
        self.items = items

    def item_rows(self):
        return [
            (item, self[upload] if upload else None, self[existing] if existing else None)
            for item, upload, existing in self.rows
        ]

    def materials(self) -> dict:
        return {
            item.code: self.cleaned_data.get(upload)
            for item, upload, _existing in self.rows
            if upload and self.cleaned_data.get(upload)
        }

    def existing(self) -> dict:
        return {
            item.code: self.cleaned_data.get(existing)
            for item, _upload, existing in self.rows
            if existing and self.cleaned_data.get(existing)
        }


def _document_label(doc) -> str:
    return f"{doc.get_kind_display()} v{doc.version} · {doc.original_name} · {timezone.localtime(doc.uploaded_at):%Y-%m-%d}"


class CheckForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept (受理)")), ("refuse", _("Refuse (不予受理)"))],
        error_messages={
            "required": _("Choose accept or refuse."),
            "invalid_choice": _("Choose accept or refuse."),
        },
    )
    missing = forms.MultipleChoiceField(
        label=_("Missing or deficient materials"), required=False, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )
    override_reason = forms.CharField(
        label=_("Override: reason to refuse a complete application"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = [(i.code, i.name) for i in items]


class ActionForm(forms.Form):
    """A button without fields (draw, redraw): only to carry a refusal back onto the button's form."""


class CosignForm(forms.Form):
    """The consulted energy-saving authority's co-signature (reviews.services.cosign)."""

    comment = forms.CharField(
        label=_("Comment of the energy-saving authority"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class DismissForm(forms.Form):
    expert = forms.IntegerField(widget=forms.HiddenInput)
    rule = forms.CharField(widget=forms.HiddenInput, max_length=30)
    reason = forms.CharField(
        label=_("Why this is a false positive"),
        max_length=2000,
        error_messages={"required": _("Give the reason why this exclusion is a false positive.")},
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class PinForm(forms.Form):
    """A conflict the city pins between one of the eligible experts and the case's enterprise."""

    expert = forms.IntegerField(
        label=_("Expert"),
        error_messages={"required": _("Choose an expert."), "invalid": _("Choose an expert.")},
        widget=forms.Select(attrs={"class": "form-select form-select-sm", "aria-label": _("Expert")}),
    )
    reason = forms.CharField(
        label=_("Reason for the conflict"),
        max_length=2000,
        error_messages={"required": _("Give the reason for the conflict.")},
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("Reason for the conflict")}
        ),
    )

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].widget.choices = [(e.pk, e.name) for e in experts]


class RespondForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        error_messages={
            "required": _("Choose accept or decline."),
            "invalid_choice": _("Choose accept or decline."),
        },
    )
    no_conflict = forms.BooleanField(
        label=_("I declare that I have no conflict of interest with this enterprise or its agency."),
        required=False,
    )
    conflict = forms.CharField(
        label=_("Conflict to declare"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )
    reason = forms.CharField(
        label=_("Other reason for declining"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
    )


class ScoreForm(forms.Form):
    """An expert's sheet: a number per scored item (bonus items may stay empty), a box per veto item."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            if item.kind == RubricItem.Kind.VETO:
                self.fields[f"veto_{item.pk}"] = forms.BooleanField(
                    label=item.text,
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input", "value": "1"}),
                )
                continue
            attrs = {
                "class": "form-control",
                "inputmode": "decimal",
                "step": "0.5",
                "min": "0",
                "max": f"{item.max_points.normalize():f}",
            }
            if item.kind != RubricItem.Kind.BONUS:
                attrs["required"] = True
            # Checked in clean() by the service's own rule, so the message is the one it would give.
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=item.text, required=False, max_length=40, widget=forms.NumberInput(attrs=attrs)
            )

    def item_rows(self):
        """(item, bound field) in the rubric's order: what the sheet template lays out."""
        return [
            (item, self[f"veto_{item.pk}" if item.kind == RubricItem.Kind.VETO else f"item_{item.pk}"])
            for item in self.items
        ]

    def clean(self):
        data = super().clean()
        for item in self.items:
            name = f"item_{item.pk}"
            if item.kind == RubricItem.Kind.VETO or name in self.errors:
                continue
            raw = data.get(name, "")
            if item.kind == RubricItem.Kind.BONUS and not raw.strip():
                continue
            try:
                scoring.points_parse(raw, label=item.text, max_points=item.max_points)
            except ReviewRefused as exc:
                self.add_error(name, exc.message)
        return data

    def points(self) -> dict:
        return {
            item.pk: self.cleaned_data.get(f"item_{item.pk}", "")
            for item in self.items
            if item.kind != RubricItem.Kind.VETO
        }

    def vetoes(self) -> list[int]:
        return [
            item.pk
            for item in self.items
            if item.kind == RubricItem.Kind.VETO and self.cleaned_data.get(f"veto_{item.pk}")
        ]


class ConfirmForm(forms.Form):
    level = forms.ChoiceField(label=_("Level reached"), required=False, choices=[("", "—"), *Level.choices])
    requirements = forms.CharField(
        label=_("Requirements"), required=False, max_length=4000, widget=forms.Textarea(attrs=TEXT)
    )
    agency_rating = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    agency_comment = forms.CharField(label=_("Comment on the agency"), required=False, max_length=2000)
    acceptance_due_on = forms.DateField(
        label=_("Acceptance time limit (提出验收时限)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        help_text=_("Empty: the rule's date. An earlier date must stay within the bounds shown."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The scale is read when the form is made, so a changed rule changes the choices.
        low, high = rules.agency_rating_scale()
        field = self.fields["agency_rating"]
        field.label = _("Rating of the agency (%(min)s–%(max)s)") % {"min": low, "max": high}
        field.choices = [("", "—"), *[(n, str(n)) for n in range(low, high + 1)]]


class AcceptanceLimitForm(forms.Form):
    """The organiser moves an enterprise's acceptance time limit within the rules' bounds."""

    due_on = forms.DateField(
        label=_("Acceptance time limit"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)


class ExpertForm(forms.Form):
    """One expert, with the import's columns (reviews.importing checks them the same way)."""

    name = forms.CharField(label=_("Name"), max_length=50)
    industries = forms.CharField(
        label=_("Industry codes (GB/T 4754 divisions, separated by commas)"), max_length=200
    )
    expertise = forms.CharField(label=_("Fields (工艺、环境、能源、审核)"), max_length=100, required=False)
    employer_name = forms.CharField(label=_("Employer"), max_length=200, required=False)
    employer_uscc = forms.CharField(label=_("Employer's credit code"), max_length=18, required=False)
    region = forms.CharField(label=_("Region"), max_length=60, required=False)
    title = forms.CharField(label=_("Professional title (职称)"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail (the first-login link is mailed there)"), required=False)
    certificate_no = forms.CharField(label=_("Training certificate"), max_length=60, required=False)
    username = forms.CharField(label=_("Login name (optional)"), max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def row(self) -> dict:
        """The cleaned form as an import row (reviews.importing.COLUMNS' keys)."""
        data = dict(self.cleaned_data)
        data["fields"] = data.pop("expertise", "")
        return data


class StaffForm(forms.Form):
    """One member of an agency's staff; the certificate feeds the conflict check."""

    name = forms.CharField(
        label=_("Name"),
        max_length=50,
        error_messages={"required": _("Give the name.")},
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": _("Name")}),
    )
    role = forms.CharField(
        label=_("Role"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": _("Role")}),
    )
    certificate_no = forms.CharField(
        label=_("Training certificate"),
        max_length=60,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("Training certificate")}
        ),
    )


class ExpertImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        error_messages={"required": _("Choose a file to upload.")},
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )
