"""django-filter FilterSets of the read endpoints added beside the first four (filters.py).

Ids are plain numbers, not choices of all rows: an id outside the caller's scope simply matches nothing."""

import django_filters
from django.utils.translation import gettext_lazy as _

from qingshen.api.filter_fields import WholeNumberFilter
from qingshen.oversight.models import AccountabilityRecord, Penalty, Warning
from qingshen.oversight.selectors import warning_still_open
from qingshen.programmes.case_filters import grounds_include
from qingshen.programmes.models import Ground, LeadAuthority, Listing
from qingshen.reviews.models import Review
from qingshen.trail.models import Event


class ListingFilter(django_filters.FilterSet):
    programme = WholeNumberFilter(field_name="programme_id", label=_("Programme id"))
    ground = django_filters.ChoiceFilter(choices=Ground.choices, method="filter_ground", label=_("Ground"))
    lead_authority = django_filters.ChoiceFilter(choices=LeadAuthority.choices, label=_("Lead authority"))

    class Meta:
        model = Listing
        fields = ["programme", "ground", "lead_authority"]

    def filter_ground(self, queryset, name, value):
        return grounds_include(queryset, "grounds", value)


class CaseRelatedFilter(django_filters.FilterSet):
    """For rows that belong to a case: narrow to one case."""

    case = WholeNumberFilter(field_name="case_id", label=_("Case id"))


class ReviewFilter(CaseRelatedFilter):
    status = django_filters.ChoiceFilter(choices=Review.Status.choices, label=_("Status"))

    class Meta:
        model = Review
        fields = ["case", "status", "kind"]


class WarningFilter(CaseRelatedFilter):
    level = django_filters.ChoiceFilter(choices=Warning.Level.choices, label=_("Level"))
    still_open = django_filters.BooleanFilter(
        method="filter_still_open",
        label=_(
            "true: only warnings whose deadline is still open (as the warning page shows); false: history"
        ),
    )

    class Meta:
        model = Warning
        fields = ["case", "level", "still_open"]

    def filter_still_open(self, queryset, name, value):
        condition = warning_still_open()
        return queryset.filter(condition) if value else queryset.exclude(condition)


class AccountabilityFilter(CaseRelatedFilter):
    open = django_filters.BooleanFilter(field_name="closed_at", lookup_expr="isnull", label=_("Still open"))

    class Meta:
        model = AccountabilityRecord
        fields = ["case", "open", "kind", "responsible_section"]


class PenaltyFilter(CaseRelatedFilter):
    class Meta:
        model = Penalty
        fields = ["case", "state", "credit_marked", "enterprise", "agency"]


class EventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", max_length=80, label=_("Action starts with")
    )
    object_type = django_filters.CharFilter(label=_("Object type (app.model)"))
    object_id = django_filters.CharFilter(label=_("Object id"))
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("At or after"))
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", label=_("Before"))

    class Meta:
        model = Event
        fields = ["action", "object_type", "object_id", "since", "until"]
