from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from qingshen import home
from qingshen.api import urls as api_urls
from qingshen.portal import account_views as portal_accounts
from qingshen.portal import annual_views as portal_annual
from qingshen.portal import group_views as portal_groups
from qingshen.portal import library_views as portal_library
from qingshen.portal import option_views as portal_options
from qingshen.portal import revision_views as portal_revisions
from qingshen.portal import target_views as portal_targets
from qingshen.portal import views as portal_views
from qingshen.portal import voluntary_views as portal_voluntary
from qingshen.public import notice_views as public_notices
from qingshen.public import views as public_views
from qingshen.web.accounts import auth_views as account_auth_views
from qingshen.web.accounts import security_views
from qingshen.web.admin_site import restrict_admin_to_sysadmin
from qingshen.web.cases import group_views
from qingshen.web.cases import permit_views as case_permit_views
from qingshen.web.cases import views as case_views
from qingshen.web.notifications import views as notification_views
from qingshen.web.oversight import penalty_views, procedure_views, spotcheck_views
from qingshen.web.oversight import views as oversight_views
from qingshen.web.programmes import annex_views as list_annex_views
from qingshen.web.programmes import (
    history_documents_views,
    history_views,
    permit_import_views,
    progress_views,
    proposal_views,
)
from qingshen.web.programmes import io_views as list_io_views
from qingshen.web.programmes import setup_views as programme_setup_views
from qingshen.web.programmes import views as programme_views
from qingshen.web.programmes import workflow_views as list_views
from qingshen.web.registry import bureau_views, invitation_views, permit_views
from qingshen.web.registry import views as registry_views
from qingshen.web.reports import entered_views
from qingshen.web.reports import views as report_views
from qingshen.web.reviews import (
    agency_views,
    apply_views,
    expert_views,
    meeting_expert_views,
    meeting_views,
    panel_views,
    quality_views,
    review_views,
    seat_views,
    settings_views,
)
from qingshen.web.trail import views as trail_views

restrict_admin_to_sysadmin(admin.site)

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", account_auth_views.login_view, name="login"),
    path("login/otp/", account_auth_views.login_otp, name="login-otp"),
    path("account/password/", account_auth_views.password_change, name="password-change"),
    path("account/sessions/", account_auth_views.session_list, name="session-list"),
    path("account/sessions/<int:pk>/end/", account_auth_views.session_end, name="session-end"),
    path("security/grants/", security_views.grant_list, name="security-grants"),
    path("security/grants/<int:pk>/", security_views.grant_edit, name="security-grant-edit"),
    path("security/grants/<int:pk>/unlock/", security_views.account_unlock, name="security-unlock"),
    path("security/grants/<int:pk>/otp-reset/", security_views.account_otp_reset, name="security-otp-reset"),
    path("security/parameters/", security_views.parameter_edit, name="security-parameters"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cases/", case_views.case_list, name="case-list"),
    path("cases/<int:pk>/", case_views.case_detail, name="case-detail"),
    path("cases/<int:pk>/transition/", case_views.case_transition, name="case-transition"),
    path("cases/<int:pk>/acknowledge/", case_views.case_acknowledge, name="case-acknowledge"),
    path("cases/<int:pk>/permit/", case_permit_views.case_permit, name="case-permit"),
    path("cases/<int:pk>/documents/<int:doc_pk>/", case_views.document_download, name="document-download"),
    path("cases/<int:case_pk>/apply/<str:kind>/", apply_views.review_apply, name="review-apply"),
    path("reviews/", review_views.review_list, name="review-list"),
    path("reviews/settings/", settings_views.review_settings, name="review-settings"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/check/", review_views.review_check, name="review-check"),
    path("reviews/<int:pk>/cosign/", review_views.review_cosign, name="review-cosign"),
    path(
        "reviews/<int:pk>/acceptance-limit/",
        review_views.review_acceptance_limit,
        name="review-acceptance-limit",
    ),
    path("reviews/<int:pk>/dismiss/", review_views.conflict_dismiss, name="conflict-dismiss"),
    path("reviews/<int:pk>/pin/", review_views.conflict_pin, name="conflict-pin"),
    path("reviews/<int:pk>/draw/", panel_views.panel_draw, name="panel-draw"),
    path("reviews/<int:pk>/expert-ratings/", quality_views.expert_ratings, name="expert-ratings"),
    path("reviews/ratings/", quality_views.quality_ratings, name="quality-ratings"),
    path("reviews/<int:pk>/verify/", panel_views.panel_verify, name="panel-verify"),
    path("reviews/<int:pk>/seats/<int:seat_pk>/redraw/", panel_views.seat_redraw, name="seat-redraw"),
    path("reviews/meetings/", meeting_views.meeting_list, name="meeting-list"),
    path("reviews/meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting-detail"),
    path(
        "reviews/meetings/<int:pk>/cases/<int:review_pk>/dates/",
        meeting_views.meeting_dates,
        name="meeting-dates",
    ),
    path("reviews/meetings/<int:pk>/draw/", meeting_views.meeting_draw, name="meeting-draw"),
    path("reviews/meetings/<int:pk>/add/", meeting_views.meeting_add, name="meeting-add"),
    path(
        "reviews/meetings/<int:pk>/cases/<int:review_pk>/remove/",
        meeting_views.meeting_remove,
        name="meeting-remove",
    ),
    path(
        "reviews/meetings/<int:pk>/experts/<int:expert_pk>/redraw/",
        meeting_views.meeting_redraw,
        name="meeting-redraw",
    ),
    path("reviews/meetings/<int:pk>/publish/", meeting_views.meeting_publish, name="meeting-publish"),
    path(
        "reviews/meetings/<int:pk>/objections/<int:objection_pk>/answer/",
        meeting_views.objection_answer,
        name="objection-answer",
    ),
    path("expert/", seat_views.expert_portal, name="expert-portal"),
    path("expert/meetings/<int:pk>/", meeting_expert_views.expert_meeting, name="expert-meeting"),
    path(
        "expert/meetings/<int:pk>/accept/",
        meeting_expert_views.expert_meeting_accept,
        name="expert-meeting-accept",
    ),
    path("expert/seats/<int:pk>/revision/", meeting_expert_views.revision_request, name="revision-request"),
    path(
        "expert/seats/<int:pk>/revision/sign-off/",
        meeting_expert_views.revision_sign_off,
        name="revision-sign-off",
    ),
    path("expert/seats/<int:pk>/", seat_views.seat_detail, name="seat-detail"),
    path("expert/seats/<int:pk>/respond/", seat_views.seat_respond, name="seat-respond"),
    path("expert/seats/<int:pk>/score/", seat_views.score_submit, name="score-submit"),
    path("expert/seats/<int:pk>/confirm/", seat_views.review_confirm, name="review-confirm"),
    path("experts/", expert_views.expert_list, name="expert-list"),
    path("experts/import/", expert_views.expert_import, name="expert-import"),
    path("experts/new/", expert_views.expert_new, name="expert-new"),
    path("experts/<int:pk>/", expert_views.expert_detail, name="expert-detail"),
    path("experts/<int:pk>/active/", expert_views.expert_set_active, name="expert-active"),
    path("agencies/", agency_views.agency_list, name="agency-list"),
    path("agencies/<int:pk>/", agency_views.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/staff/", agency_views.agency_staff_add, name="agency-staff-add"),
    path("bureau/settings/", bureau_views.bureau_settings_page, name="bureau-settings"),
    path("enterprises/", registry_views.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", registry_views.enterprise_create, name="enterprise-create"),
    path("enterprises/<int:pk>/", registry_views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", registry_views.enterprise_edit, name="enterprise-edit"),
    path("enterprises/<int:pk>/permits/", permit_views.permit_list, name="enterprise-permits"),
    path("enterprises/<int:pk>/permits/new/", permit_views.permit_edit, name="permit-create"),
    path("enterprises/<int:pk>/permits/<int:permit_pk>/", permit_views.permit_edit, name="permit-edit"),
    path("permits/import/", permit_import_views.permit_upload, name="permit-upload"),
    path("permits/import/template.xlsx", permit_import_views.permit_template, name="permit-template"),
    path("permits/import/<int:permit_batch_pk>/", permit_import_views.permit_batch, name="permit-batch"),
    path(
        "permits/import/<int:permit_batch_pk>/status/",
        permit_import_views.permit_status,
        name="permit-status",
    ),
    path(
        "permits/import/<int:permit_batch_pk>/commit/",
        permit_import_views.permit_commit,
        name="permit-commit",
    ),
    path("programmes/", programme_views.programme_list, name="programme-list"),
    path("programmes/new/", programme_setup_views.programme_new, name="programme-new"),
    path("programmes/<int:pk>/", programme_views.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/edit/", programme_setup_views.programme_edit, name="programme-edit"),
    path("programmes/<int:pk>/milestones/", programme_setup_views.milestone_save, name="milestone-save"),
    path(
        "programmes/<int:pk>/progress/<int:milestone_pk>/",
        progress_views.progress_page,
        name="progress-return",
    ),
    path("programmes/<int:pk>/listings/", programme_views.listing_add, name="listing-add"),
    path("programmes/<int:pk>/publish/", programme_views.programme_publish, name="programme-publish"),
    # The list's workflow, imports and exports
    path(
        "programmes/<int:pk>/proposals/<int:district_pk>/", proposal_views.proposal_page, name="proposal-page"
    ),
    path(
        "programmes/<int:pk>/proposals/<int:district_pk>/submit/",
        proposal_views.proposal_submit,
        name="proposal-submit",
    ),
    path(
        "programmes/<int:pk>/proposals/<int:district_pk>/return/",
        proposal_views.proposal_return,
        name="proposal-return",
    ),
    path(
        "programmes/<int:pk>/listings/<int:listing_pk>/remove/",
        programme_views.listing_remove,
        name="listing-remove",
    ),
    path("programmes/<int:pk>/merge/", list_views.merge_page, name="programme-merge"),
    path("programmes/<int:pk>/submit/", list_views.programme_submit, name="programme-submit"),
    path("programmes/<int:pk>/confirm/", list_views.confirm_page, name="programme-confirm"),
    path("programmes/<int:pk>/groups/", group_views.programme_groups, name="programme-groups"),
    path("groups/<int:pk>/", group_views.group_detail, name="group-detail"),
    path(
        "groups/<int:pk>/members/<int:member_pk>/remove/",
        group_views.group_member_remove,
        name="group-member-remove",
    ),
    path("programmes/<int:pk>/amendments/", list_annex_views.amendments_page, name="programme-amendments"),
    path("programmes/<int:pk>/carry-over/", list_annex_views.carry_over_page, name="programme-carry-over"),
    path(
        "programmes/<int:pk>/carry-over/<int:case_pk>/relist/",
        list_annex_views.relist,
        name="programme-relist",
    ),
    path("programmes/<int:pk>/plan/", list_annex_views.plan_page, name="programme-plan"),
    path(
        "programmes/<int:pk>/plan/<int:district_pk>/submit/", list_annex_views.plan_submit, name="plan-submit"
    ),
    path(
        "programmes/<int:pk>/plan/<int:district_pk>/return/", list_annex_views.plan_return, name="plan-return"
    ),
    path("programmes/<int:pk>/plan/<int:district_pk>/merge/", list_annex_views.plan_merge, name="plan-merge"),
    path("programmes/<int:pk>/import/", list_io_views.import_upload, name="import-upload"),
    path("programmes/<int:pk>/export/annex1.xlsx", list_io_views.export_annual, name="export-annual"),
    path("programmes/<int:pk>/export/annex2.xlsx", list_io_views.export_carry_over, name="export-carry-over"),
    path("programmes/<int:pk>/export/annex4.xlsx", list_io_views.export_plan, name="export-plan"),
    path("programmes/<int:pk>/summary/", report_views.summary_page, name="summary-page"),
    path("dashboard/", report_views.dashboard_page, name="dashboard"),
    re_path(
        r"^programmes/(?P<pk>[0-9]+)/summary/circular\.(?P<ext>pdf|docx)$",
        report_views.circular_download,
        name="summary-circular",
    ),
    path("dashboard/<slug:key>.xlsx", report_views.dashboard_export, name="dashboard-export"),
    path("programmes/<int:pk>/summary/annex3.xlsx", report_views.summary_export, name="summary-export"),
    path(
        "programmes/<int:pk>/summary/<int:district_pk>/file/", report_views.summary_file, name="summary-file"
    ),
    path(
        "programmes/<int:pk>/summary/filings/<int:filing_pk>/",
        report_views.filing_detail,
        name="summary-filing",
    ),
    path(
        "programmes/<int:pk>/summary/filings/<int:filing_pk>/attachment/",
        report_views.filing_attachment,
        name="summary-filing-attachment",
    ),
    path("imports/template.xlsx", list_io_views.import_template, name="import-template"),
    path("summaries/earlier/", entered_views.entered_page, name="summary-entered"),
    path("summaries/earlier/template.xlsx", entered_views.entered_template, name="summary-entered-template"),
    path("history/", history_views.history_upload, name="history-upload"),
    path("history/template.xlsx", history_views.history_template, name="history-template"),
    path("history/documents/", history_documents_views.history_documents, name="history-documents"),
    path("history/<int:history_pk>/", history_views.history_batch, name="history-batch"),
    path("history/<int:history_pk>/status/", history_views.history_status, name="history-status"),
    path("history/<int:history_pk>/commit/", history_views.history_commit, name="history-commit"),
    path("history/<int:history_pk>/invite/", history_views.history_invite, name="history-invite"),
    path("imports/<int:batch_pk>/", list_io_views.import_batch, name="import-batch"),
    path("imports/<int:batch_pk>/status/", list_io_views.import_status, name="import-status"),
    path("imports/<int:batch_pk>/commit/", list_io_views.import_commit, name="import-commit"),
    path("cases/export.xlsx", list_io_views.export_cases, name="case-export"),
    path("rules/", oversight_views.rule_list, name="rule-list"),
    path("procedure/edit/", procedure_views.procedure_edit_page, name="procedure-edit"),
    path("warnings/", oversight_views.warning_list, name="warning-list"),
    path("penalties/", penalty_views.penalty_list, name="penalty-list"),
    path("penalties/proposals/", penalty_views.penalty_proposals, name="penalty-proposals"),
    path("penalties/credit.xlsx", penalty_views.credit_export, name="credit-export"),
    path("penalties/<int:pk>/resubmit/", penalty_views.penalty_resubmit, name="penalty-resubmit"),
    path("penalties/<int:pk>/<str:step>/", penalty_views.penalty_step, name="penalty-step"),
    path("cases/<int:case_pk>/penalty/", penalty_views.penalty_order, name="penalty-order"),
    path(
        "agencies/<int:agency_pk>/penalty/", penalty_views.penalty_order_agency, name="penalty-order-agency"
    ),
    path("spotchecks/", spotcheck_views.spotcheck_list, name="spotcheck-list"),
    path("spotchecks/<int:pk>/", spotcheck_views.spotcheck_detail, name="spotcheck-detail"),
    path(
        "spotchecks/<int:pk>/items/<int:item_pk>/",
        spotcheck_views.spotcheck_finding,
        name="spotcheck-finding",
    ),
    path("spotchecks/<int:pk>/conclude/", spotcheck_views.spotcheck_conclude, name="spotcheck-conclude"),
    path("spotchecks/<int:pk>/circular.pdf", spotcheck_views.spotcheck_circular, name="spotcheck-circular"),
    path("inbox/", notification_views.inbox, name="inbox"),
    path("inbox/unread.json", notification_views.unread, name="inbox-unread"),
    path("inbox/<int:pk>/", notification_views.notification_open, name="notification-open"),
    path("outbox/", notification_views.outbox, name="outbox"),
    path("outbox/<int:pk>/", notification_views.outbox_review, name="outbox-review"),
    path("accountability/", oversight_views.accountability_list, name="accountability-list"),
    path("accountability/<int:pk>/close/", oversight_views.accountability_close, name="accountability-close"),
    path(
        "cases/<int:case_pk>/accountability/", oversight_views.accountability_open, name="accountability-open"
    ),
    path("log/", trail_views.event_list, name="event-list"),
    path("log/verify/", trail_views.log_verify, name="log-verify"),
    path("log/export/", trail_views.log_export, name="log-export"),
    path("log/checkpoints/download/", trail_views.checkpoint_download, name="log-checkpoints-download"),
    path("log/checkpoints/mail/", trail_views.checkpoint_mail, name="log-checkpoint-mail"),
    path("public/procedure/", public_views.procedure, name="public-procedure"),
    # Enterprise and agency portal
    path("portal/", portal_views.portal_home, name="portal-home"),
    path("portal/colleagues/", portal_accounts.colleagues, name="portal-colleagues"),
    path("portal/voluntary/", portal_voluntary.voluntary_registration, name="portal-voluntary"),
    path("portal/groups/<int:pk>/", portal_groups.group_page, name="portal-group"),
    path(
        "portal/groups/<int:pk>/documents/<int:doc_pk>/",
        portal_groups.group_document,
        name="portal-group-document",
    ),
    path("invitation/<str:token>/", portal_accounts.invitation_accept, name="invitation-accept"),
    path(
        "enterprises/<int:pk>/invitation/",
        invitation_views.enterprise_invitation,
        name="enterprise-invitation",
    ),
    path("cases/<int:pk>/disclosure/", portal_views.disclosure_form, name="case-disclosure"),
    path("cases/<int:pk>/documents/", portal_views.documents, name="case-documents"),
    path("cases/<int:pk>/annual/", portal_annual.annual_disclosures, name="case-annual"),
    path("library/", portal_library.library_page, name="library"),
    path("library/export.xlsx", portal_library.library_export, name="library-export"),
    path("library/naming/", portal_library.library_naming, name="library-naming"),
    path("cases/<int:pk>/options/", portal_options.options, name="case-options"),
    path("cases/<int:pk>/options/import/", portal_options.option_import, name="case-option-import"),
    path("cases/<int:pk>/options/template.xlsx", portal_options.option_template, name="case-option-template"),
    path("cases/<int:pk>/delegations/", portal_accounts.delegations, name="case-delegations"),
    path("cases/<int:pk>/targets/", portal_targets.targets, name="case-targets"),
    path("cases/<int:pk>/performance/", portal_targets.performance_page, name="case-performance"),
    path(
        "cases/<int:pk>/performance.xlsx", portal_targets.performance_download, name="case-performance-xlsx"
    ),
    path("cases/<int:pk>/revisions/", portal_revisions.revisions_page, name="case-revisions"),
    path("public/disclosures/", public_views.disclosure_list, name="public-disclosures"),
    path("public/lists/", public_views.list_index, name="public-lists"),
    path("public/lists/<int:pk>/", public_views.list_detail, name="public-list"),
    path("public/results/", public_views.result_list, name="public-results"),
    path("public/search/", public_views.search, name="public-search"),
    path("public/disclosures/<int:pk>/", public_views.disclosure_detail, name="public-disclosure"),
    path("public/annual/", public_views.annual_index, name="public-annual"),
    path("public/annual/<int:pk>/", public_views.annual_detail, name="public-annual-disclosure"),
    path("public/review-notices/", public_notices.notice_list, name="public-notices"),
    path("public/review-notices/<int:pk>/", public_notices.notice_detail, name="public-notice"),
    *api_urls.urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
