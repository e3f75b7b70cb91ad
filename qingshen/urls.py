from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from qingshen.accounts import views as account_views
from qingshen.accounts.admin_site import restrict_admin_to_sysadmin
from qingshen.cases import views as case_views
from qingshen.oversight import views as oversight_views
from qingshen.programmes import views as programme_views
from qingshen.public import views as public_views
from qingshen.registry import views as registry_views
from qingshen.reviews import views as review_views
from qingshen.trail import views as trail_views

restrict_admin_to_sysadmin(admin.site)

urlpatterns = [
    path("", account_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cases/", case_views.case_list, name="case-list"),
    path("cases/<int:pk>/", case_views.case_detail, name="case-detail"),
    path("cases/<int:pk>/transition/", case_views.case_transition, name="case-transition"),
    path("cases/<int:pk>/documents/<int:doc_pk>/", case_views.document_download, name="document-download"),
    path("cases/<int:case_pk>/apply/<str:kind>/", review_views.review_apply, name="review-apply"),
    path("reviews/", review_views.review_list, name="review-list"),
    path("reviews/settings/", review_views.review_settings, name="review-settings"),
    path("reviews/<int:pk>/", review_views.review_detail, name="review-detail"),
    path("reviews/<int:pk>/check/", review_views.review_check, name="review-check"),
    path("reviews/<int:pk>/dismiss/", review_views.conflict_dismiss, name="conflict-dismiss"),
    path("reviews/<int:pk>/pin/", review_views.conflict_pin, name="conflict-pin"),
    path("reviews/<int:pk>/draw/", review_views.panel_draw, name="panel-draw"),
    path("reviews/<int:pk>/verify/", review_views.panel_verify, name="panel-verify"),
    path("reviews/<int:pk>/seats/<int:seat_pk>/redraw/", review_views.seat_redraw, name="seat-redraw"),
    path("expert/", review_views.expert_portal, name="expert-portal"),
    path("expert/seats/<int:pk>/", review_views.seat_detail, name="seat-detail"),
    path("expert/seats/<int:pk>/respond/", review_views.seat_respond, name="seat-respond"),
    path("expert/seats/<int:pk>/score/", review_views.score_submit, name="score-submit"),
    path("expert/seats/<int:pk>/confirm/", review_views.review_confirm, name="review-confirm"),
    path("experts/", review_views.expert_list, name="expert-list"),
    path("experts/import/", review_views.expert_import, name="expert-import"),
    path("experts/<int:pk>/active/", review_views.expert_set_active, name="expert-active"),
    path("agencies/", review_views.agency_list, name="agency-list"),
    path("agencies/<int:pk>/", review_views.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/staff/", review_views.agency_staff_add, name="agency-staff-add"),
    path("enterprises/", registry_views.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", registry_views.enterprise_create, name="enterprise-create"),
    path("enterprises/<int:pk>/", registry_views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", registry_views.enterprise_edit, name="enterprise-edit"),
    path("programmes/", programme_views.programme_list, name="programme-list"),
    path("programmes/<int:pk>/", programme_views.programme_detail, name="programme-detail"),
    path("programmes/<int:pk>/listings/", programme_views.listing_add, name="listing-add"),
    path("programmes/<int:pk>/publish/", programme_views.programme_publish, name="programme-publish"),
    path("rules/", oversight_views.rule_list, name="rule-list"),
    path("log/", trail_views.event_list, name="event-list"),
    path("public/procedure/", public_views.procedure, name="public-procedure"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
