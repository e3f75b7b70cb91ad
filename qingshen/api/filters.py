"""django-filter FilterSets of the API's lists. The case list's is the case list page's own
(programmes.case_filters)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingshen.api.filter_fields import WholeNumberFilter
from qingshen.programmes.case_filters import CaseFilter
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


__all__ = ["CaseFilter", "EnterpriseFilter"]
