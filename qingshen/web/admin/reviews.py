"""The expert pool's accounts for the system administrator (no case data: reviews, panels and scores
are not shown here; the city works with them on its pages)."""

from django.contrib import admin

from qingshen.reviews.models import Expert
from qingshen.web.admin.accounts import SysadminOnly


@admin.register(Expert)
class ExpertAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ("name", "employer_name", "employer_uscc", "certificate_no", "is_active", "user")
    list_filter = ("is_active",)
    search_fields = ("name", "employer_name", "employer_uscc", "certificate_no")
    filter_horizontal = ("specialties",)
    raw_id_fields = ("user", "region")
    readonly_fields = ("last_drawn_on",)
