from django import forms
from django.contrib import admin

from qingshen.procedures.models import CalendarDay, Procedure, ProcedureStep, Rule
from qingshen.reviews import rules as panel_rules
from qingshen.web.admin.accounts import SysadminOnly


def _bounds_problem(code: str, amount: int) -> str:
    """An edit that would put the panel rules out of bounds (an even panel, a floor above the size, a
    rating scale upside down) is refused here, before a draw or a rating meets it."""
    pairs = {
        panel_rules.PANEL_SIZE: (panel_rules.PANEL_SIZE, panel_rules.PANEL_MIN_SIZE),
        panel_rules.PANEL_MIN_SIZE: (panel_rules.PANEL_SIZE, panel_rules.PANEL_MIN_SIZE),
        panel_rules.AGENCY_RATING_MIN: (panel_rules.AGENCY_RATING_MIN, panel_rules.AGENCY_RATING_MAX),
        panel_rules.AGENCY_RATING_MAX: (panel_rules.AGENCY_RATING_MIN, panel_rules.AGENCY_RATING_MAX),
    }
    if code not in pairs:
        return ""
    amounts = dict(Rule.objects.filter(code__in=pairs[code]).values_list("code", "amount"))
    amounts[code] = amount
    first, second = (amounts.get(c) for c in pairs[code])
    if first is None or second is None:
        return ""
    if code in (panel_rules.PANEL_SIZE, panel_rules.PANEL_MIN_SIZE):
        return panel_rules.panel_size_problem(first, second)
    return panel_rules.rating_scale_problem(first, second)


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["code", "name", "amount", "unit", "roll_forward", "source", "basis"]

    def clean(self):
        data = super().clean()
        amount = data.get("amount")
        if amount is not None and (
            problem := _bounds_problem(self.instance.code or data.get("code"), amount)
        ):
            raise forms.ValidationError(problem)
        return data


@admin.register(Rule)
class RuleAdmin(SysadminOnly, admin.ModelAdmin):
    form = RuleForm
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
