"""The API's addresses: /api/v1/ (the endpoints), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from qingshen.api import docs_views, errors, export, token_views, views
from qingshen.api.writes import documents as document_writes
from qingshen.api.writes import programmes as programme_writes
from qingshen.api.writes import transitions

router = SimpleRouter()
router.register("jurisdictions", views.JurisdictionViewSet, basename="api-jurisdiction")
router.register("enterprises", views.EnterpriseViewSet, basename="api-enterprise")
router.register("programmes", programme_writes.ProgrammeViewSet, basename="api-programme")
router.register("cases", views.CaseViewSet, basename="api-case")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/export/programme/<int:pk>", export.programme_export, name="api-programme-export"),
    path(
        "api/v1/cases/<int:pk>/transitions/",
        transitions.CaseTransitionView.as_view(),
        name="api-case-transition",
    ),
    path(
        "api/v1/cases/<int:pk>/documents/",
        document_writes.CaseDocumentUploadView.as_view(),
        name="api-case-document-upload",
    ),
    path(
        "api/v1/programmes/<int:pk>/milestones/",
        programme_writes.MilestoneListView.as_view(),
        name="api-milestone-list",
    ),
    path(
        "api/v1/programmes/<int:pk>/milestones/<int:milestone_pk>/",
        programme_writes.MilestoneDetailView.as_view(),
        name="api-milestone-detail",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", docs_views.docs, name="api-docs"),
    path("account/api-tokens/", token_views.token_list, name="api-tokens"),
    path("account/api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="api-token-revoke"),
    # Last: any other address under /api/ ending in a slash is the API's 404 (one without the slash
    # still gets Django's redirect to the slashed form).
    re_path(r"^api/.*/$", errors.not_found),
]
