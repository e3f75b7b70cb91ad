from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Jurisdiction, User


class SysadminOnly:
    """Every model the admin shows: the sysadmin may do everything with it, nobody else anything."""

    def has_module_permission(self, request):
        return True

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, *args):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return False  # reference data is referenced by cases: deactivate instead


@admin.register(User)
class UserAdmin(SysadminOnly, BaseUserAdmin):
    list_display = ("username", "first_name", "role", "jurisdiction", "enterprise", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets[:2],
        (
            _("Role and scope"),
            {"fields": ("role", "jurisdiction", "enterprise", "agency", "section", "phone")},
        ),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "password1",
                    "password2",
                    "role",
                    "jurisdiction",
                    "enterprise",
                    "agency",
                )
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")


@admin.register(Jurisdiction)
class JurisdictionAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ("name", "level", "code", "parent", "is_functional_zone")
    list_filter = ("level", "is_functional_zone")
    search_fields = ("name", "code")
