"""The bureau's own settings page: the city's (province-level, who organises reviews, review section) or a
district's (its review section), and each programme's choice of organiser."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.registry.bureau_models import DistrictPenalties, EnergyConsultation, ReviewOrganiser


class DistrictSettingsForm(forms.Form):
    review_section = forms.CharField(
        label=_("Section answering for reviews"),
        required=False,
        max_length=100,
        help_text=_("Named on the accountability records of the reviews this bureau organises."),
    )


class CitySettingsForm(DistrictSettingsForm):
    province_level = forms.BooleanField(
        label=_("Province-level city (直辖市)"),
        required=False,
        help_text=_("The city bureau confirms and publishes its list itself; there is no province step."),
    )
    review_organiser = forms.ChoiceField(
        label=_("Who organises evaluations and acceptances"),
        choices=ReviewOrganiser.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who organises the reviews.")},
    )
    district_penalties = forms.ChoiceField(
        label=_("Penalties of the districts' enterprises"),
        choices=DistrictPenalties.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the districts record penalties or propose them.")},
    )
    energy_consultation = forms.ChoiceField(
        label=_("How the energy-saving authority is consulted on mixed-ground cases"),
        choices=EnergyConsultation.choices,
        widget=forms.RadioSelect,
        help_text=_("Cases listed on energy use and another ground are led by the environment bureau."),
        required=False,
    )
    field_order = [
        "province_level",
        "review_organiser",
        "district_penalties",
        "energy_consultation",
        "review_section",
    ]

    def clean(self):
        data = super().clean()
        if not data.get("energy_consultation"):
            data.pop("energy_consultation", None)  # not sent: the setting stays as it is
        return data


class ProgrammeOrganiserForm(forms.Form):
    programme = forms.IntegerField(widget=forms.HiddenInput)
    review_organiser = forms.ChoiceField(
        label=_("Who organises its reviews"),
        choices=[("", _("As the city's setting")), *ReviewOrganiser.choices],
        required=False,
    )
