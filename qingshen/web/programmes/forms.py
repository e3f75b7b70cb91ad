from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.core.text import NAME_VALIDATORS
from qingshen.programmes.models import Ground, Milestone


class ListingAddForm(forms.Form):
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    grounds = forms.MultipleChoiceField(
        label=_("Grounds (办法 Art. 8)"), choices=Ground.choices, widget=forms.CheckboxSelectMultiple
    )
    other_reason = forms.CharField(
        label=_("Reason (for the ground “other”)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        validators=NAME_VALIDATORS,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        validators=NAME_VALIDATORS,
    )

    def __init__(self, *args, enterprises, grounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        if grounds is not None:  # the grounds the user may list on (programmes.scoping.listing_grounds)
            self.fields["grounds"].choices = [c for c in Ground.choices if c[0] in grounds]
            if list(grounds) == [Ground.ENERGY]:
                self.fields["grounds"].initial = [Ground.ENERGY]


class PublishForm(forms.Form):
    published_on = forms.DateField(
        label=_("Publication date (P)"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )


class AmendAddForm(ListingAddForm):
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    document = forms.FileField(
        label=_("Supporting document"), widget=forms.FileInput(attrs={"class": "form-control"})
    )


class AmendRemoveForm(forms.Form):
    listing = forms.ModelChoiceField(
        label=_("Enterprise"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    document = forms.FileField(
        label=_("Supporting document"), widget=forms.FileInput(attrs={"class": "form-control"})
    )

    def __init__(self, *args, listings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = listings
        self.fields["listing"].label_from_instance = lambda lst: (
            f"{lst.enterprise.name}（{lst.enterprise.uscc}）"
        )


class RelistForm(forms.Form):
    grounds = forms.MultipleChoiceField(
        label=_("Grounds (办法 Art. 8)"), choices=Ground.choices, widget=forms.CheckboxSelectMultiple
    )
    other_reason = forms.CharField(
        label=_("Reason (for the ground “other”)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        validators=NAME_VALIDATORS,
    )


class PlanAddForm(ListingAddForm):
    planned_year = forms.TypedChoiceField(
        label=_("Planned year"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_year"].choices = [(y, y) for y in years]
        self.fields["grounds"].required = False


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("List"), widget=forms.Select(attrs={"class": "form-select"}))
    file = forms.FileField(
        label=_("File (.xlsx, .xls or .csv in UTF-8 or GB18030)"),
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".xlsx,.xls,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        from qingshen.programmes.models import ImportBatch

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ImportBatch.Kind.choices


def _date_input():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class ProgrammeForm(forms.Form):
    """A year's programme as its notice states it (文号, issuing body, date)."""

    year = forms.IntegerField(label=_("Year"), widget=forms.NumberInput(attrs={"class": "form-control"}))
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Left empty, the title is made from the year and the city."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
        validators=NAME_VALIDATORS,
    )
    document_number = forms.CharField(
        label=_("Document number (文号)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        validators=NAME_VALIDATORS,
    )
    issuing_body = forms.CharField(
        label=_("Issuing body"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        validators=NAME_VALIDATORS,
    )
    issued_on = forms.DateField(label=_("Issue date"), required=False, widget=_date_input())


class MilestoneForm(forms.Form):
    """One date of the notice; for a kind other than "other" the name may be left to the kind."""

    kind = forms.ChoiceField(label=_("Kind"), widget=forms.Select(attrs={"class": "form-select"}))
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        validators=NAME_VALIDATORS,
    )
    due_on = forms.DateField(label=_("Date"), widget=_date_input())
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        validators=NAME_VALIDATORS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Milestone.Kind.choices


class ProgressReturnForm(forms.Form):
    """A district's progress return: what it has done, and a few figures if it has them."""

    text = forms.CharField(
        label=_("Progress"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
    )
    evaluations_held = forms.IntegerField(
        label=_("Evaluations held"),
        required=False,
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    acceptances_held = forms.IntegerField(
        label=_("Acceptances held"),
        required=False,
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    enterprises_behind = forms.IntegerField(
        label=_("Enterprises behind schedule"),
        required=False,
        min_value=0,
        max_value=100_000,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class HistoryImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx, .xls or .csv in UTF-8 or GB18030)"),
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".xlsx,.xls,.csv"}),
    )


class HistoryDocumentsForm(forms.Form):
    archive = forms.FileField(
        label=_("Zip of the old rounds' documents"),
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".zip"}),
    )
