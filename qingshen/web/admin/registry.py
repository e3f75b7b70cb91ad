from django.contrib import admin

from qingshen.registry.models import Agency, AgencyStaff, Industry
from qingshen.web.admin.accounts import SysadminOnly


@admin.register(Industry)
class IndustryAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ("code", "name_zh", "level", "edition", "is_key_industry")
    list_filter = ("edition", "level", "is_key_industry")
    search_fields = ("code", "name_zh", "name_en")


class AgencyStaffInline(admin.TabularInline):
    model = AgencyStaff
    extra = 0


@admin.register(Agency)
class AgencyAdmin(SysadminOnly, admin.ModelAdmin):
    inlines = [AgencyStaffInline]
    list_display = ("name", "uscc", "is_active")
    search_fields = ("name", "uscc")
