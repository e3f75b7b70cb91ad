"""The dashboard's filter: a programme year and one of the jurisdictions just below the user's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qingshen.cases.kinds import CaseKind
from qingshen.programmes import scoping as programmes_scoping
from qingshen.reports import scoping


class DashboardFilter(forms.Form):
    year = forms.TypedChoiceField(label=_("Programme year"), coerce=int, required=False, empty_value=None)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, required=False, empty_value=None)
    # One kind at a time: voluntary audits have their own figures (Guangdong keeps separate accounts).
    kind = forms.ChoiceField(label=_("Kind of audit"), choices=CaseKind.choices, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = {j.pk: j for j in scoping.dashboard_areas_visible(user)}
        years = (
            programmes_scoping.programmes_visible(user)
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        self.fields["year"].choices = [("", _("All years")), *[(y, str(y)) for y in years]]
        self.fields["district"].choices = [
            ("", _("All districts")),
            *[(pk, j.local_name) for pk, j in self.areas.items()],
        ]

    @property
    def out_of_scope(self) -> bool:
        """A district outside the user's scope (or no district at all): the page is not found."""
        return "district" in self.errors

    def chosen(self) -> dict:
        """The valid part of the filter, as dashboard() takes it."""
        data = getattr(self, "cleaned_data", {})
        return {
            "area": self.areas.get(data.get("district")),
            "year": data.get("year"),
            "kind": data.get("kind") or CaseKind.MANDATORY,
        }
