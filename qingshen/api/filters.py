"""django-filter FilterSets of the API's lists."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.scoping import jurisdictions_visible
from qingshen.api.filter_fields import WholeNumberFilter
from qingshen.api.filters_reads import grounds_include
from qingshen.cases.kinds import CaseKind
from qingshen.cases.models import AuditCase
from qingshen.cases.selectors import cases_matching, is_overdue
from qingshen.cases.states import State
from qingshen.programmes.models import Ground, LeadAuthority
from qingshen.registry.models import Enterprise


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or unified social credit code contains"))
    # By id, not a choice of all rows: an id outside the caller's scope simply matches nothing.
    jurisdiction = WholeNumberFilter(field_name="jurisdiction_id", label=_("Jurisdiction id"))

    class Meta:
        model = Enterprise
        fields = ["q", "jurisdiction"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value.upper()))


class CaseFilter(django_filters.FilterSet):
    """The case list page's filters (cases.selectors.case_list), plus the listing's ground and lead
    authority."""

    q = django_filters.CharFilter(
        method="search", max_length=100, label=_("Enterprise name, pinyin initials or credit code")
    )
    programme = WholeNumberFilter(field_name="programme_id", label=_("Programme id"))
    district = WholeNumberFilter(
        method="filter_district", label=_("Jurisdiction id: its cases and those below it")
    )
    state = django_filters.ChoiceFilter(choices=State.choices, label=_("State"))
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices, label=_("Kind of audit"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"))
    ground = django_filters.ChoiceFilter(choices=Ground.choices, method="filter_ground", label=_("Ground"))
    lead_authority = django_filters.ChoiceFilter(
        field_name="listing__lead_authority", choices=LeadAuthority.choices, label=_("Lead authority")
    )

    class Meta:
        model = AuditCase
        fields = ["q", "programme", "district", "state", "kind", "overdue", "ground", "lead_authority"]

    def search(self, queryset, name, value):
        return cases_matching(queryset, value)

    def filter_district(self, queryset, name, value):
        # A jurisdiction outside the caller's scope matches nothing, as an unknown one.
        area = jurisdictions_visible(self.request.user).filter(pk=value).first()
        return queryset.filter(jurisdiction_path__startswith=area.path) if area else queryset.none()

    def filter_ground(self, queryset, name, value):
        return grounds_include(queryset, "listing__grounds", value)

    def filter_overdue(self, queryset, name, value):
        condition = is_overdue(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
