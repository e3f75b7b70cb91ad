"""The public data, without a token: the published lists, the results, the disclosures, the search and
the procedure. The same selectors as the public site, so the same rows and the same public fields."""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qingshen.api.reads.base import OneObjectSchema, described
from qingshen.api.serializers_public import (
    ProcedureSerializer,
    PublicCaseSerializer,
    PublicDisclosureSerializer,
    PublicListSerializer,
)
from qingshen.cases import scoping as cases_scoping
from qingshen.cases import selectors as case_selectors
from qingshen.cases.models import CaseDeadline
from qingshen.oversight import selectors as oversight_selectors
from qingshen.programmes import public_selectors as selectors

TAG = _("Public data (no token)")
Q_PARAM = OpenApiParameter(
    "q", OpenApiTypes.STR, description=_("Enterprise name, pinyin initials or unified social credit code")
)


class Public:
    # No authentication and no token: anyone may read (a token sent along is not looked at).

    authentication_classes = []
    permission_classes = [permissions.AllowAny]


@described(
    TAG, _("Published annual lists"), _("One published list"), entries=_("The entries of a published list")
)
class PublicListViewSet(Public, viewsets.ReadOnlyModelViewSet):
    serializer_class = PublicListSerializer

    def get_queryset(self):
        return selectors.lists_published().order_by("-year", "city__name", "pk")

    @extend_schema(responses=PublicCaseSerializer(many=True))
    @action(detail=True, methods=["get"], serializer_class=PublicCaseSerializer)
    def entries(self, request, pk=None):
        programme = self.get_object()
        page = self.paginate_queryset(
            selectors.list_entries(programme=programme).order_by(
                "jurisdiction__path", "enterprise__name", "pk"
            )
        )
        return self.get_paginated_response(PublicCaseSerializer(page, many=True).data)


@described(TAG, _("Published audit results, newest first"))
class PublicResultViewSet(Public, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PublicCaseSerializer

    def get_queryset(self):
        return selectors.results_published().order_by("-result_published_on", "enterprise__name", "pk")


@extend_schema(
    tags=[TAG], summary=_("Listed enterprises found by name, pinyin or credit code"), parameters=[Q_PARAM]
)
class PublicSearchViewSet(Public, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = PublicCaseSerializer

    def get_queryset(self):
        q = self.request.query_params.get("q", "").strip()[:100]
        return selectors.search(q).order_by("-programme__year", "enterprise__name", "pk")


@described(TAG, _("Published enterprise disclosures (Art. 11), newest first"), _("One published disclosure"))
class PublicDisclosureViewSet(Public, viewsets.ReadOnlyModelViewSet):
    serializer_class = PublicDisclosureSerializer

    @extend_schema(parameters=[Q_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if self.action == "retrieve":
            due = CaseDeadline.objects.filter(
                case=OuterRef("case_id"), kind=CaseDeadline.Kind.DISCLOSURE
            ).values("due_on")[:1]
            return (
                cases_scoping.disclosures_public()
                .select_related("case__enterprise", "case__programme", "case__jurisdiction")
                .annotate(due_on=Subquery(due))
            )
        q = self.request.query_params.get("q", "").strip()[:100]
        return case_selectors.disclosures_public_list(q=q)


class PublicProcedureViewSet(Public, viewsets.ViewSet):
    schema = OneObjectSchema()

    @extend_schema(
        tags=[TAG],
        summary=_("The procedure (履职行权规程) as the bureau publishes it"),
        responses=ProcedureSerializer,
    )
    def list(self, request):
        procedure = oversight_selectors.procedure_current()
        if procedure is None:
            raise exceptions.NotFound()
        return Response(ProcedureSerializer(procedure).data)
