"""django-filter FilterSets of the API's lists."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qingshen.cases.models import AuditCase
from qingshen.cases.selectors import is_overdue
from qingshen.cases.states import State
from qingshen.registry.models import Enterprise


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or unified social credit code contains"))
    # By id, not a choice of all rows: an id outside the caller's scope simply matches nothing.
    jurisdiction = django_filters.NumberFilter(field_name="jurisdiction_id", label=_("Jurisdiction id"))

    class Meta:
        model = Enterprise
        fields = ["q", "jurisdiction"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value.upper()))


class CaseFilter(django_filters.FilterSet):
    programme = django_filters.NumberFilter(field_name="programme_id", label=_("Programme id"))
    state = django_filters.ChoiceFilter(choices=State.choices, label=_("State"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"))

    class Meta:
        model = AuditCase
        fields = ["programme", "state", "overdue"]

    def filter_overdue(self, queryset, name, value):
        condition = is_overdue(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)
