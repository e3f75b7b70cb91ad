"""The case list's filters and sort as one django-filter FilterSet, shared by the case list page, its
xlsx export and the API's case list: the same parameters narrow the same cases everywhere. It lives here,
not in cases, because the grounds and the lead authority are the listing's.

The FilterSet narrows a queryset already scoped to the user (cases.scoping); a programme or district id
outside that scope simply matches nothing."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.scoping import jurisdictions_visible
from qingshen.cases.kinds import CaseKind
from qingshen.cases.selectors import case_order, cases_matching, is_overdue
from qingshen.cases.states import State
from qingshen.core.filter_numbers import WholeNumberFilter
from qingshen.programmes.models import Ground, LeadAuthority

SORT_CHOICES = [
    ("deadline", _("Next deadline (earliest first)")),
    ("-deadline", _("Next deadline (latest first)")),
    ("enterprise", _("Enterprise name")),
    ("district", _("District")),
    ("state", _("State")),
    ("year", _("Year")),
]
DEFAULT_SORT = "deadline"


class CheckedField(forms.NullBooleanField):
    """true/false as the API sends them, and a checked box's "on" as the page's form sends it (read as
    text: the select widget's own mapping would drop "on")."""

    widget = forms.TextInput

    def to_python(self, value):
        return True if value == "on" else super().to_python(value)


class CheckedFilter(django_filters.BooleanFilter):
    field_class = CheckedField


def grounds_include(queryset, field: str, value: str):
    """Grounds are a JSON list of slugs; matching the quoted slug in its text works on every database
    (no slug is part of another with its quotes)."""
    return queryset.filter(**{f"{field}__icontains": f'"{value}"'})


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("Enterprise name, pinyin initials or credit code")
    )
    programme = WholeNumberFilter(field_name="programme_id", label=_("Programme id"))
    district = WholeNumberFilter(
        method="filter_district", label=_("Jurisdiction id: its cases and those below it")
    )
    state = django_filters.ChoiceFilter(choices=State.choices, label=_("State"))
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices, label=_("Kind of audit"))
    overdue = CheckedFilter(method="filter_overdue", label=_("Overdue only"))
    ground = django_filters.ChoiceFilter(choices=Ground.choices, method="filter_ground", label=_("Ground"))
    lead_authority = django_filters.ChoiceFilter(
        choices=LeadAuthority.choices, method="filter_lead", label=_("Lead authority")
    )
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="order", label=_("Sort by"))

    def __init__(self, data=None, queryset=None, *, request=None, user=None, today=None, **kwargs):
        # The default order unless `sort` asks for another (a stable one: the id breaks ties), also
        # when nothing is asked at all (an unbound FilterSet filters nothing).
        if queryset is not None:
            queryset = queryset.order_by(*case_order(DEFAULT_SORT).order_by())
        super().__init__(data, queryset, request=request, **kwargs)
        self.user = user if user is not None else getattr(request, "user", None)
        self.today = today or timezone.localdate()

    def search(self, queryset, name, value):
        return cases_matching(queryset, value)

    def filter_district(self, queryset, name, value):
        area = jurisdictions_visible(self.user).filter(pk=value).first()
        return queryset.filter(jurisdiction_path__startswith=area.path) if area else queryset.none()

    def filter_ground(self, queryset, name, value):
        return grounds_include(queryset, "listing__grounds", value)

    def filter_lead(self, queryset, name, value):
        # A case no list carries (a voluntary audit) is the environment bureau's (cases.scoping).
        led = Q(listing__lead_authority=value)
        if value == LeadAuthority.ENVIRONMENT:
            led |= Q(listing__isnull=True)
        return queryset.filter(led)

    def filter_overdue(self, queryset, name, value):
        condition = is_overdue(self.today)
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def order(self, queryset, name, value):
        return queryset.order_by(*case_order(value).order_by())
