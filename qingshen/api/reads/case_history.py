"""A case's history (its timeline on the case page): whoever sees the case, through cases.selectors."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, viewsets

from qingshen.api.serializers_trail import CaseStepSerializer
from qingshen.cases import selectors


class CaseHistoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CaseStepSerializer
    filter_backends = []

    @extend_schema(
        tags=[_("Cases")],
        summary=_("A case's history, oldest first (its steps with the states they left and entered)"),
        parameters=[
            OpenApiParameter("case_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("Case id"))
        ],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        try:
            pk = int(self.kwargs["case_pk"])
        except (TypeError, ValueError):
            raise exceptions.NotFound() from None
        case = selectors.case_get(user=self.request.user, pk=pk)
        if case is None:
            raise exceptions.NotFound()
        return selectors.case_timeline(case=case)
