"""Reviews with their panels, the draw's verification, and the expert pool, through reviews.scoping."""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.api.filters_reads import ReviewFilter
from qingshen.api.reads.base import allowed_if, described
from qingshen.api.serializers_reviews import ExpertSerializer, ReviewSerializer, VerificationSerializer
from qingshen.registry.bureaus import bureau_settings_prime
from qingshen.reviews import scoping
from qingshen.reviews.models import PanelSeat
from qingshen.reviews.services import draw


@described(
    _("Reviews"),
    _("Evaluation and acceptance reviews of the cases in your scope, with their panels"),
    _("One review with its panel"),
)
class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter

    def get_queryset(self):
        seats = Prefetch(
            "panel__seats", queryset=PanelSeat.objects.select_related("expert").order_by("position", "pk")
        )
        return (
            scoping.reviews_visible(self.request.user)
            .select_related("panel", "case__listing", "case__programme__city")
            .prefetch_related(seats)
            .order_by("case_id", "applied_on", "pk")
        )

    def paginate_queryset(self, queryset):
        # Each review's co-signature state asks its city's settings: one query for the page.
        page = super().paginate_queryset(queryset)
        if page is not None:
            bureau_settings_prime([r.case.programme.city for r in page])
        return page

    @extend_schema(
        tags=[_("Reviews")],
        summary=_("The panel draw recomputed from its record and compared with the seats taken"),
        description=_(
            "For authority staff over the case. The draw record names the experts excluded and why; "
            "every verification is logged."
        ),
        responses=VerificationSerializer,
    )
    @action(detail=True, methods=["get"], filterset_class=None, pagination_class=None)
    def verification(self, request, pk=None):
        review = self.get_object()
        panel = getattr(review, "panel", None)
        if panel is None or not scoping.may_verify_panel(request.user, review):
            raise exceptions.NotFound()
        result = draw.panel_verify(panel=panel, actor=request.user)
        data = {**result, "record": panel.record, "record_sha256": panel.record_sha256}
        return Response(VerificationSerializer(data).data)


@described(_("Experts"), _("The expert pool (personal data masked)"), _("One expert"))
class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExpertSerializer
    filterset_fields = ["is_active"]
    permission_classes = allowed_if(scoping.may_see_expert_pool)

    def get_queryset(self):
        return (
            scoping.experts_visible(self.request.user)
            .prefetch_related("specialties")
            .annotate(n_seats=Count("seats"))
            .order_by("name", "pk")
        )
