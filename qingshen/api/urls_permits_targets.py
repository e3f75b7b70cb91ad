"""The addresses of the lead authority, co-signature, permit, target, annual-disclosure and public notice
endpoints, kept apart from urls.py so each group of endpoints adds its own lines."""

from django.urls import path

from qingshen.api.reads import annual, me, permits, public_notices
from qingshen.api.writes import annual as annual_writes
from qingshen.api.writes import permit_imports, reviews_cosign, targets
from qingshen.api.writes import permits as permit_writes


def register_more(router) -> None:
    router.register("permits", permits.PermitViewSet, basename="api-permit")
    router.register("permit-imports", permit_imports.PermitImportViewSet, basename="api-permit-import")
    router.register("annual-disclosures", annual.AnnualDisclosureViewSet, basename="api-annual-disclosure")
    router.register(
        "public/annual-disclosures", annual.PublicAnnualDisclosureViewSet, basename="api-public-annual"
    )
    router.register("public/notices", public_notices.PublicNoticeViewSet, basename="api-public-notice")


more_urlpatterns = [
    path(
        "api/v1/cases/<int:pk>/annual-disclosures/<str:year>/",
        annual_writes.AnnualDraftView.as_view(),
        name="api-case-annual",
    ),
    path(
        "api/v1/cases/<int:pk>/annual-disclosures/<str:year>/submit/",
        annual_writes.AnnualSubmitView.as_view(),
        name="api-case-annual-submit",
    ),
    path(
        "api/v1/enterprises/<int:pk>/permits/",
        permit_writes.EnterprisePermitListView.as_view(),
        name="api-enterprise-permits",
    ),
    path(
        "api/v1/enterprises/<int:pk>/permits/<int:permit_pk>/",
        permit_writes.EnterprisePermitDetailView.as_view(),
        name="api-enterprise-permit",
    ),
    path("api/v1/me/", me.MeView.as_view(), name="api-me"),
    path(
        "api/v1/reviews/<int:pk>/cosign/", reviews_cosign.ReviewCosignView.as_view(), name="api-review-cosign"
    ),
    path("api/v1/cases/<int:pk>/focus/", targets.CaseFocusView.as_view(), name="api-case-focus"),
    path("api/v1/cases/<int:pk>/targets/", targets.CaseTargetListView.as_view(), name="api-case-targets"),
    path(
        "api/v1/cases/<int:pk>/targets/<int:target_pk>/",
        targets.CaseTargetDetailView.as_view(),
        name="api-case-target",
    ),
    path(
        "api/v1/cases/<int:pk>/targets/<int:target_pk>/withdraw/",
        targets.TargetWithdrawView.as_view(),
        name="api-case-target-withdraw",
    ),
    path(
        "api/v1/cases/<int:pk>/targets/<int:target_pk>/actual/",
        targets.TargetActualView.as_view(),
        name="api-case-target-actual",
    ),
]
