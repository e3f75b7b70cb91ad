from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.models import Jurisdiction, User
from qingshen.accounts.roles import Role
from qingshen.core.text import NAME_VALIDATORS


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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # Every one-line text of reference data is a name, code or label (accounts/characters.py).
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.CharField) and field is not None:
            field.validators = [*field.validators, *NAME_VALIDATORS]
        return field


class ResetPasswordForm(AdminPasswordChangeForm):
    """A password the sysadmin sets is an initial/reset one: the user must change it at next login."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(SysadminOnly, BaseUserAdmin):
    # 三员分立: the sysadmin creates and disables accounts; roles and their scope are granted by the
    # security administrator (security pages), so they are read-only here.
    change_password_form = ResetPasswordForm
    list_display = (
        "username",
        "first_name",
        "role",
        "jurisdiction",
        "enterprise",
        "phone_masked",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "authority", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets[:2],
        (
            _("Role and scope"),
            {"fields": ("role", "authority", "jurisdiction", "enterprise", "agency", "section", "phone")},
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
                )
            },
        ),
    )
    readonly_fields = (
        "last_login",
        "date_joined",
        "role",
        "authority",
        "jurisdiction",
        "enterprise",
        "agency",
    )

    @admin.display(description=_("phone"))
    def phone_masked(self, obj):
        from qingshen.core.masking import mask

        return mask(obj.phone)  # personal data: masked in lists

    def user_change_password(self, request, id, form_url=""):
        # The sysadmin may not take over the other two administrators' accounts (三员分立); their
        # passwords are reset from the shell (manage.py changepassword), which is itself audited.
        target = self.get_object(request, id)
        if target is not None and target.role in (Role.SECURITY, Role.AUDITOR):
            raise Http404
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.must_change_password = True  # an initial password
        super().save_model(request, obj, form, change)


@admin.register(Jurisdiction)
class JurisdictionAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ("name", "level", "code", "parent", "is_functional_zone")
    list_filter = ("level", "is_functional_zone")
    search_fields = ("name", "code")
