from django.contrib import admin

from qingshen.accounts.admin import SysadminOnly

from .models import Agency, Industry


@admin.register(Industry)
class IndustryAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ("code", "name_zh", "level", "edition", "is_key_industry")
    list_filter = ("edition", "level", "is_key_industry")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Agency)
class AgencyAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ("name", "uscc", "is_active")
    search_fields = ("name", "uscc")
