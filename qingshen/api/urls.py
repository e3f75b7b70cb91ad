"""The API's addresses: /api/v1/ (the endpoints), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from qingshen.api import docs_views, errors, export, token_views, views
from qingshen.api.reads import case_history
from qingshen.api.reads import cases as case_reads
from qingshen.api.reads import oversight as oversight_reads
from qingshen.api.reads import public as public_reads
from qingshen.api.reads import registry as registry_reads
from qingshen.api.reads import reports as report_reads
from qingshen.api.reads import reviews as review_reads
from qingshen.api.reads import trail as trail_reads
from qingshen.api.urls_permits_targets import more_urlpatterns, register_more
from qingshen.api.writes import baselines as baseline_writes
from qingshen.api.writes import disclosures as disclosure_writes
from qingshen.api.writes import documents as document_writes
from qingshen.api.writes import imports as import_writes
from qingshen.api.writes import listings as listing_writes
from qingshen.api.writes import options as option_writes
from qingshen.api.writes import programmes as programme_writes
from qingshen.api.writes import reviews_applications, reviews_panels, reviews_sheets, transitions

router = SimpleRouter()
router.register("jurisdictions", views.JurisdictionViewSet, basename="api-jurisdiction")
router.register("enterprises", views.EnterpriseViewSet, basename="api-enterprise")
router.register("programmes", programme_writes.ProgrammeViewSet, basename="api-programme")
router.register("cases", views.CaseViewSet, basename="api-case")
router.register(
    r"cases/(?P<case_pk>[^/.]+)/history", case_history.CaseHistoryViewSet, basename="api-case-history"
)
router.register("industries", registry_reads.IndustryViewSet, basename="api-industry")
router.register("agencies", registry_reads.AgencyViewSet, basename="api-agency")
router.register("listings", listing_writes.ListingWriteViewSet, basename="api-listing")
router.register("imports", import_writes.ImportJobViewSet, basename="api-import")
router.register("documents", case_reads.DocumentViewSet, basename="api-document")
router.register("disclosures", case_reads.DisclosureViewSet, basename="api-disclosure")
router.register("options", option_writes.OptionWriteViewSet, basename="api-option")
router.register("option-totals", case_reads.OptionTotalViewSet, basename="api-option-total")
router.register("benefit-totals", case_reads.BenefitTotalViewSet, basename="api-benefit-total")
router.register("reviews", review_reads.ReviewViewSet, basename="api-review")
router.register("experts", review_reads.ExpertViewSet, basename="api-expert")
router.register("warnings", oversight_reads.WarningViewSet, basename="api-warning")
router.register("accountability", oversight_reads.AccountabilityViewSet, basename="api-accountability")
router.register("penalties", oversight_reads.PenaltyViewSet, basename="api-penalty")
router.register("spotchecks", oversight_reads.SpotCheckViewSet, basename="api-spotcheck")
router.register("summaries", report_reads.SummaryViewSet, basename="api-summary")
router.register("summary-filings", report_reads.FilingViewSet, basename="api-summary-filing")
router.register("dashboard", report_reads.DashboardViewSet, basename="api-dashboard")
router.register("log", trail_reads.EventViewSet, basename="api-log")
router.register("public/lists", public_reads.PublicListViewSet, basename="api-public-list")
router.register("public/results", public_reads.PublicResultViewSet, basename="api-public-result")
router.register("public/search", public_reads.PublicSearchViewSet, basename="api-public-search")
router.register("public/disclosures", public_reads.PublicDisclosureViewSet, basename="api-public-disclosure")
router.register("public/procedure", public_reads.PublicProcedureViewSet, basename="api-public-procedure")
register_more(router)

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/", include("qingshen.api.urls_audits")),
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
        "api/v1/cases/<int:pk>/disclosure/",
        disclosure_writes.DisclosureDraftView.as_view(),
        name="api-case-disclosure",
    ),
    path(
        "api/v1/cases/<int:pk>/disclosure/proof/",
        disclosure_writes.DisclosureProofView.as_view(),
        name="api-case-disclosure-proof",
    ),
    path(
        "api/v1/cases/<int:pk>/disclosure/submit/",
        disclosure_writes.DisclosureSubmitView.as_view(),
        name="api-case-disclosure-submit",
    ),
    path(
        "api/v1/cases/<int:pk>/baselines/",
        baseline_writes.CaseBaselineView.as_view(),
        name="api-case-baselines",
    ),
    path(
        "api/v1/cases/<int:pk>/options/",
        option_writes.CaseOptionListView.as_view(),
        name="api-case-option-add",
    ),
    path(
        "api/v1/programmes/<int:pk>/listings/",
        listing_writes.ProgrammeListingView.as_view(),
        name="api-programme-listing-add",
    ),
    path(
        "api/v1/programmes/<int:pk>/imports/",
        import_writes.ProgrammeImportView.as_view(),
        name="api-programme-import",
    ),
    path(
        "api/v1/programmes/<int:pk>/list-steps/",
        listing_writes.ListStepView.as_view(),
        name="api-programme-list-step",
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
    path(
        "api/v1/cases/<int:pk>/reviews/",
        reviews_applications.ReviewApplyView.as_view(),
        name="api-review-apply",
    ),
    path(
        "api/v1/reviews/<int:pk>/check/",
        reviews_applications.ReviewCheckView.as_view(),
        name="api-review-check",
    ),
    path("api/v1/reviews/<int:pk>/panel/", reviews_panels.PanelDrawView.as_view(), name="api-panel-draw"),
    path(
        "api/v1/reviews/<int:pk>/seats/<int:seat_pk>/redraw/",
        reviews_panels.SeatRedrawView.as_view(),
        name="api-seat-redraw",
    ),
    path(
        "api/v1/reviews/<int:pk>/confirmation/",
        reviews_sheets.ReviewConfirmView.as_view(),
        name="api-review-confirm",
    ),
    path("api/v1/seats/<int:pk>/answer/", reviews_sheets.SeatAnswerView.as_view(), name="api-seat-answer"),
    path(
        "api/v1/seats/<int:pk>/score-sheet/",
        reviews_sheets.ScoreSheetView.as_view(),
        name="api-score-sheet",
    ),
    *more_urlpatterns,
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", docs_views.docs, name="api-docs"),
    path("account/api-tokens/", token_views.token_list, name="api-tokens"),
    path("account/api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="api-token-revoke"),
    # Last: any other address under /api/ is the API's 404 (one that lacks only its final slash is
    # redirected to the slashed form, as Django would).
    re_path(r"^api/", errors.not_found),
]
