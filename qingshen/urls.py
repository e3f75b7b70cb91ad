from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from qingshen.accounts import auth_views as account_auth_views
from qingshen.accounts import security_views
from qingshen.accounts import views as account_views
from qingshen.accounts.admin_site import restrict_admin_to_sysadmin
from qingshen.cases import views as case_views
from qingshen.oversight import views as oversight_views
from qingshen.programmes import views as programme_views
from qingshen.public import views as public_views
from qingshen.registry import views as registry_views
from qingshen.trail import views as trail_views

restrict_admin_to_sysadmin(admin.site)

urlpatterns = [
    path("", account_views.home, name="home"),
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
    path("cases/<int:pk>/documents/<int:doc_pk>/", case_views.document_download, name="document-download"),
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
    path("log/verify/", trail_views.log_verify, name="log-verify"),
    path("log/export/", trail_views.log_export, name="log-export"),
    path("public/procedure/", public_views.procedure, name="public-procedure"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
