"""Warnings, accountability records, penalties and spot checks, through oversight's scoping and
selectors (the same querysets as the supervision pages)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from qingshen.api.filters_reads import AccountabilityFilter, PenaltyFilter, WarningFilter
from qingshen.api.reads.base import allowed_if, described
from qingshen.api.serializers_oversight import (
    AccountabilitySerializer,
    PenaltySerializer,
    SpotCheckSerializer,
    WarningSerializer,
)
from qingshen.oversight import scoping, selectors
from qingshen.oversight.models import SpotCheckItem


@described(
    _("Warnings"),
    _("Early warnings in your scope, newest first (their history too unless still_open)"),
    _("One warning"),
)
class WarningViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WarningSerializer
    filterset_class = WarningFilter
    permission_classes = allowed_if(scoping.may_see_warnings)

    def get_queryset(self):
        return selectors.warning_list(user=self.request.user, still_open=False)


@described(
    _("Accountability"),
    _("Accountability records in your scope, newest first"),
    _("One accountability record"),
)
class AccountabilityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AccountabilitySerializer
    filterset_class = AccountabilityFilter
    permission_classes = allowed_if(scoping.may_see_accountability)

    def get_queryset(self):
        return selectors.accountability_list(user=self.request.user)


@described(_("Penalties"), _("Orders to correct and penalties in your scope, newest first"), _("One penalty"))
class PenaltyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PenaltySerializer
    filterset_class = PenaltyFilter

    def get_queryset(self):
        return selectors.penalty_list(user=self.request.user)


@described(
    _("Spot checks"), _("Spot checks of the cities in your scope, with their cases"), _("One spot check")
)
class SpotCheckViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SpotCheckSerializer
    filterset_fields = ["year"]
    permission_classes = allowed_if(scoping.may_see_accountability)

    def get_queryset(self):
        items = Prefetch(
            "items",
            queryset=SpotCheckItem.objects.select_related("case__enterprise").order_by(
                "case__jurisdiction__name", "case_id", "pk"
            ),
        )
        return scoping.spotchecks_visible(self.request.user).prefetch_related(items).order_by("-year", "-pk")
