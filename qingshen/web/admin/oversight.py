from django.contrib import admin

from qingshen.procedures.models import CalendarDay, Procedure, ProcedureStep, Rule
from qingshen.web.admin.accounts import SysadminOnly


@admin.register(Rule)
class RuleAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ("code", "name", "amount", "unit", "basis")
    readonly_fields = ("code",)

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()


@admin.register(CalendarDay)
class CalendarDayAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ("date", "is_workday", "name", "source")
    list_filter = ("is_workday",)


class StepInline(admin.TabularInline):
    model = ProcedureStep
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(SysadminOnly, admin.ModelAdmin):
    list_display = ("name", "power_type", "acting_body")
    inlines = [StepInline]
