"""Fields drawn in Python (core/field_html.py) are the HTML Django's own widgets and labels draw, in
both languages, chosen or not, valid or not."""

import pytest
from django import forms
from django.test.html import parse_html
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.models import Jurisdiction
from qingshen.cases.states import State
from qingshen.core.field_html import DrawnField, drawn_fields
from qingshen.core.names import LocalNameChoiceField
from qingshen.programmes.models import Programme
from qingshen.web.cases.forms import DistrictChoiceField, ProgrammeChoiceField

LANGUAGES = ("zh-hans", "en")


class SampleForm(forms.Form):
    q = forms.CharField(label=_("Enterprise or credit code"), required=False, max_length=5)
    needed = forms.CharField(label="<b>needed</b> & more")
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *State.choices], required=False
    )
    odd = forms.ChoiceField(label="odd", choices=[("a&b", "<A & B>"), ("1", "one"), ("1", "one again")])
    district = LocalNameChoiceField(label=_("District"), queryset=None, required=False)
    # The case list's choices, whose options are read as values (option_columns).
    area = DistrictChoiceField(label=_("District"), queryset=None, required=False)
    programme = ProgrammeChoiceField(label=_("Programme"), queryset=None, required=False)
    flag = forms.BooleanField(label=_("Overdue only"), required=False)
    note = forms.CharField(label="note", required=False, widget=forms.Textarea)  # left to Django

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Jurisdiction.objects.filter(level="district")
        self.fields["area"].queryset = Jurisdiction.objects.filter(level="district").only("name", "name_en")
        self.fields["programme"].queryset = Programme.objects.only("title")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


def _django(bound) -> str:
    html = bound.label_tag() + str(bound)
    if bound.errors:
        html += f'<div class="invalid-feedback" id="{bound.auto_id}_error">{" ".join(bound.errors)}</div>'
    return html


DATA = [
    None,
    {},
    {"q": "a<b>", "needed": "x", "state": "listed", "odd": "1", "flag": "on"},
    {"q": "toolong", "state": "teleported", "odd": "a&b", "district": "abc", "flag": "false"},
    {"needed": "", "state": "", "district": "999999"},
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("data", DATA)
def test_drawn_fields_are_what_django_draws(world, language, data):
    world.north.name_en = "North <district> & co"
    world.north.save()
    Programme.objects.filter(pk=world.programme.pk).update(title='<i>"2026"</i> & 年度')
    with translation.override(language):
        for chosen in ("", str(world.north.pk)):
            if data is not None and chosen:
                data = {**data, "district": chosen, "area": chosen, "programme": str(world.programme.pk)}
            form = SampleForm(data)
            form.is_valid()
            for name, drawn in drawn_fields(form).items():
                bound = form[name]
                assert parse_html(str(drawn)) == parse_html(_django(bound)), (name, data)
                assert parse_html(drawn.widget) == parse_html(str(bound)), (name, data)
                assert drawn.label == bound.label_tag()


def test_labels_and_fixed_choices_follow_the_language(world):
    """The parts kept per language are not served to the other one."""
    drawn = {}
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            drawn[language] = str(DrawnField(SampleForm()["state"]))
            assert str(State.LISTED.label) in drawn[language] and str(_("All states")) in drawn[language]
    assert drawn["en"] != drawn["zh-hans"]
