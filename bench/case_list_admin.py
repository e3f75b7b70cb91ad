"""Django admin's changelist of audit cases, built for bench_case_list only (the project's admin has no
case data): the same rows, filters, search and page size as the staff case list. Two sites: one sorted
as the case list sorts by default (next deadline, name, pk), one with the admin's own default (the
model's ordering: year, name, then -pk)."""

from django.conf import settings
from django.contrib import admin
from django.db.models import F
from django.urls import path

from qingshen.cases.models import AuditCase
from qingshen.urls import urlpatterns as project_urlpatterns

same_order = admin.AdminSite(name="bench_admin")
model_order = admin.AdminSite(name="bench_admin_model_order")


class CaseAdmin(admin.ModelAdmin):
    list_display = ("programme", "enterprise", "jurisdiction", "state", "next_due_on")
    list_select_related = ("enterprise", "jurisdiction", "programme")
    list_filter = ("state", "jurisdiction")
    search_fields = ("enterprise__name", "enterprise__uscc")
    list_per_page = settings.QINGSHEN_PAGE_SIZE
    show_facets = admin.ShowFacets.NEVER


class SameOrderCaseAdmin(CaseAdmin):
    ordering = (F("next_due_on").asc(nulls_last=True), "enterprise__name", "pk")


same_order.register(AuditCase, SameOrderCaseAdmin)
model_order.register(AuditCase, CaseAdmin)

urlpatterns = [
    path("bench-admin/", same_order.urls),
    path("bench-admin-model-order/", model_order.urls),
    *project_urlpatterns,
]
