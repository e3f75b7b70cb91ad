"""The operation log, for the audit administrator only (三员分立): everyone else is told it is not there."""

from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets

from qingshen.accounts import scoping
from qingshen.api.filters_reads import EventFilter
from qingshen.api.reads.base import allowed_if, described
from qingshen.api.serializers_trail import EventSerializer
from qingshen.trail.models import Event


@described(
    _("Operation log"), _("The operation log, newest first (audit administrator only)"), _("One event")
)
class EventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = EventSerializer
    filterset_class = EventFilter
    permission_classes = allowed_if(scoping.may_read_log)

    def get_queryset(self):
        # The whole log is the auditor's scope; the guard above is the only door (as on the log page).
        return Event.objects.order_by("-at", "-id")
