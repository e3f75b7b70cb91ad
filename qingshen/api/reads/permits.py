"""Discharge permits through registry.scoping: the bureau's staff read those of the enterprises they
see, an enterprise its own; filtered by enterprise, management class and validity today (expiring: in
force and ending within the renewal rule's notice days, as the sweep's permit warnings count them)."""

import datetime

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from qingshen.api.filter_fields import WholeNumberFilter
from qingshen.api.reads.base import described
from qingshen.api.serializers_permits import PermitSerializer
from qingshen.oversight.permit_warnings import permit_notice_days
from qingshen.registry.permit_models import Permit, PermittedPollutant
from qingshen.registry.scoping import permits_visible

VALIDITY = [
    ("in_force", _("In force today")),
    ("expiring", _("In force and ending within the renewal notice period")),
    ("expired", _("Ended before today")),
    ("not_yet", _("Valid only from a later day")),
]


class PermitFilter(django_filters.FilterSet):
    enterprise = WholeNumberFilter(field_name="enterprise_id", label=_("Enterprise id"))
    management_class = django_filters.ChoiceFilter(
        choices=Permit.ManagementClass.choices, label=_("Management class")
    )
    validity = django_filters.ChoiceFilter(
        choices=VALIDITY, method="filter_validity", label=_("Validity today")
    )

    class Meta:
        model = Permit
        fields = ["enterprise", "management_class", "validity"]

    def filter_validity(self, queryset, name, value):
        today = timezone.localdate()
        in_force = queryset.filter(valid_from__lte=today, valid_to__gte=today)
        if value == "in_force":
            return in_force
        if value == "expiring":
            return in_force.filter(valid_to__lte=today + datetime.timedelta(days=permit_notice_days()))
        if value == "expired":
            return queryset.filter(valid_to__lt=today)
        return queryset.filter(valid_from__gt=today)


@described(
    _("Discharge permits"),
    _("Discharge permits of the enterprises in your scope, with their permitted pollutants"),
    _("One discharge permit"),
)
class PermitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PermitSerializer
    filterset_class = PermitFilter

    def get_queryset(self):
        pollutants = Prefetch(
            "pollutants", queryset=PermittedPollutant.objects.order_by("outlet", "pollutant", "pk")
        )
        return (
            permits_visible(self.request.user)
            .select_related("enterprise")
            .prefetch_related(pollutants)
            .order_by("enterprise__name", "enterprise_id", "-valid_to", "pk")
        )
