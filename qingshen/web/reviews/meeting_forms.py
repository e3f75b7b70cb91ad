"""The forms of the review meeting pages (staff, expert, the public's objection)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.reviews.models import ReviewKind, ReviewMeeting

TEXT = {"class": "form-control", "rows": 3}
DATE = {"class": "form-control", "type": "date"}


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ReviewKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    held_on = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs=DATE))
    place = forms.CharField(
        label=_("Place"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    panel_mode = forms.ChoiceField(
        label=_("Panel"),
        choices=ReviewMeeting.PanelMode.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reviews = forms.TypedMultipleChoiceField(
        label=_("Applications"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].choices = [
            (r.pk, f"{r.case.enterprise.name} · {r.get_kind_display()}") for r in candidates
        ]


class AddForm(forms.Form):
    """Applications to add to an organised meeting (accepted, of its kind, in no meeting yet)."""

    reviews = forms.TypedMultipleChoiceField(
        label=_("Applications to add"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].choices = [(r.pk, r.case.enterprise.name) for r in candidates]


class DatesForm(forms.Form):
    site_visit_on = forms.DateField(
        label=_("Site visit on"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    meeting_on = forms.DateField(
        label=_("Reviewed at the meeting on"), required=False, widget=forms.DateInput(attrs=DATE)
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs=TEXT))


class AcceptAllForm(forms.Form):
    no_conflict = forms.BooleanField(
        label=_("I have no conflict of interest with any enterprise of this meeting"),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class RevisionForm(forms.Form):
    items = forms.CharField(
        label=_("What to revise (one point per line)"), max_length=10000, widget=forms.Textarea(attrs=TEXT)
    )
    due_on = forms.DateField(
        label=_("Revise by"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        help_text=_("Leave empty for the rule's period."),
    )


class SignOffForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )
