from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from qingshen.accounts import views as account_views
from qingshen.accounts.admin_site import restrict_admin_to_sysadmin
from qingshen.cases import views as case_views
from qingshen.oversight import views as oversight_views
from qingshen.portal import views as portal_views
from qingshen.programmes import views as programme_views
from qingshen.public import views as public_views
from qingshen.registry import views as registry_views
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
    # Enterprise and agency portal (issue 5)
    path("portal/", portal_views.portal_home, name="portal-home"),
    path("portal/colleagues/", portal_views.colleagues, name="portal-colleagues"),
    path("invitation/<str:token>/", portal_views.invitation_accept, name="invitation-accept"),
    path(
        "enterprises/<int:pk>/invitation/", portal_views.enterprise_invitation, name="enterprise-invitation"
    ),
    path("cases/<int:pk>/disclosure/", portal_views.disclosure_form, name="case-disclosure"),
    path("cases/<int:pk>/documents/", portal_views.documents, name="case-documents"),
    path("cases/<int:pk>/options/", portal_views.options, name="case-options"),
    path("cases/<int:pk>/options/import/", portal_views.option_import, name="case-option-import"),
    path("cases/<int:pk>/options/template.xlsx", portal_views.option_template, name="case-option-template"),
    path("cases/<int:pk>/delegations/", portal_views.delegations, name="case-delegations"),
    path("public/disclosures/", public_views.disclosure_list, name="public-disclosures"),
    path("public/disclosures/<int:pk>/", public_views.disclosure_detail, name="public-disclosure"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
