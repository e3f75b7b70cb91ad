from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qingshen.cases.disclosure_fields import fields_for
from qingshen.cases.models import Document, Indicator, Option
from qingshen.core.names import LocalNameChoiceField
from qingshen.core.text import NAME_VALIDATORS, PUBLIC_TEXT_VALIDATORS
from qingshen.programmes.models import Ground
from qingshen.registry.models import Agency

SECTION_LABELS = {"common": _("About the enterprise"), **dict(Ground.choices)}
# Kinds the enterprise side uploads; opinions and withdrawal proofs come from the bureau.
ENTERPRISE_KINDS = [(k, label) for k, label in Document.Kind.choices if k not in Document.ISSUED_KINDS]


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-control")


class DisclosureForm(forms.Form):
    """The items of the listing's grounds (cases/disclosure_fields.py), then where it was published and
    the proof. Sections are kept so the template can group the items."""

    published_where = forms.CharField(
        label=_("Where you published it (newspaper, or the web address)"),
        max_length=300,
        required=False,
        validators=NAME_VALIDATORS,
    )
    proof = forms.FileField(label=_("Proof of publication (screenshot, scan or PDF)"), required=False)

    def __init__(self, *args, grounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = []
        current = None
        for section, item in fields_for(grounds):
            widget = forms.Textarea(attrs={"rows": 3}) if item.long else forms.TextInput()
            self.fields[item.key] = forms.CharField(
                label=item.label,
                max_length=4000,
                required=False,
                widget=widget,
                # Published as typed (办法 Art. 11): no direction marks; one line unless the item is long.
                validators=PUBLIC_TEXT_VALIDATORS if item.long else NAME_VALIDATORS,
            )
            if current is None or current[0] != section:
                current = (section, SECTION_LABELS.get(section, section), [])
                self.sections.append(current)
            current[2].append(item.key)
        _style(self)

    def section_fields(self):
        return [(label, [self[k] for k in keys]) for _s, label, keys in self.sections]

    def content(self) -> dict:
        keys = [k for _s, _l, ks in self.sections for k in ks]
        return {k: self.cleaned_data.get(k, "") for k in keys}


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ENTERPRISE_KINDS)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class GroupReportForm(forms.Form):
    """The group's audit report: stored as a new version, or stored and submitted in one step."""

    file = forms.FileField(label=_("The group's audit report"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class OptionForm(forms.Form):
    code = forms.CharField(label=_("Number"), max_length=20, validators=NAME_VALIDATORS)
    name = forms.CharField(label=_("Name"), max_length=200, validators=NAME_VALIDATORS)
    cost_class = forms.ChoiceField(label=_("Cost class"), choices=Option.CostClass.choices)
    investment = forms.DecimalField(label=_("Investment (10k yuan)"), max_digits=12, decimal_places=2)
    status = forms.ChoiceField(label=_("Status"), choices=Option.Status.choices)
    planned_on = forms.DateField(label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"}))
    started_on = forms.DateField(
        label=_("Implementation started on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    implemented_on = forms.DateField(
        label=_("Implemented on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    dropped_reason = forms.CharField(
        label=_("Why it was dropped"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator_rows = []
        for ind in indicators:
            e, v = f"expected_{ind.code}", f"verified_{ind.code}"
            self.fields[e] = forms.DecimalField(
                label=_("expected"), required=False, max_digits=14, decimal_places=4
            )
            self.fields[v] = forms.DecimalField(
                label=_("verified"), required=False, max_digits=14, decimal_places=4
            )
            self.indicator_rows.append((ind, e, v))
        _style(self)

    def date_bounds(self, earliest, latest) -> None:
        """The browser's date pickers open on the allowed range (the service checks it anyway)."""
        for name in ("planned_on", "started_on", "implemented_on"):
            self.fields[name].widget.attrs.update({"min": earliest.isoformat(), "max": latest.isoformat()})

    def indicator_fields(self):
        return [(ind, self[e], self[v]) for ind, e, v in self.indicator_rows]

    def benefits(self) -> dict:
        result = {}
        for ind, e, v in self.indicator_rows:
            expected, verified = self.cleaned_data.get(e), self.cleaned_data.get(v)
            if expected is not None or verified is not None:
                result[ind.code] = (expected or 0, verified)
        return result


class BaselineForm(forms.Form):
    year = forms.IntegerField(
        label=_("Base year (审核基准年)"),
        help_text=_("The year the figures are of; one for all the audit's baselines."),
    )
    indicator = LocalNameChoiceField(label=_("Indicator"), queryset=Indicator.objects.all())
    value = forms.DecimalField(label=_("Value per year before the audit"), max_digits=14, decimal_places=4)
    source = forms.CharField(
        label=_("Source of the figure"), max_length=200, required=False, validators=NAME_VALIDATORS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Option table (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class DelegationForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Consulting agency"), queryset=Agency.objects.filter(is_active=True)
    )
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Until (optional)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class ColleagueForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=150, validators=NAME_VALIDATORS)
    email = forms.EmailField(label=_("E-mail (the link is sent there)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)


class PasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Repeat it"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style(self)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("The two passwords differ."))
        return data


class AnnualDisclosureForm(forms.Form):
    """The four items of 部令第24号 Art. 14 (cases/annual_disclosures.py ITEMS), prefilled from the case."""

    def __init__(self, *args, **kwargs):
        from qingshen.cases.annual_disclosures import ITEMS, MAX_ITEM_LENGTH

        super().__init__(*args, **kwargs)
        for key, label in ITEMS:
            self.fields[key] = forms.CharField(
                label=label,
                max_length=MAX_ITEM_LENGTH,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                validators=PUBLIC_TEXT_VALIDATORS,
            )
        _style(self)

    def content(self) -> dict:
        return {k: self.cleaned_data.get(k, "") for k in self.fields}
