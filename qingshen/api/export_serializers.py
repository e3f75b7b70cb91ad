"""The shape of a programme's export (GET /api/v1/export/programme/{id}): one JSON document a
province's system mirrors. Built from plain rows (api.export), so the document and its schema agree."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ExportJurisdiction(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(allow_blank=True)
    name = serializers.CharField()


class ExportMilestone(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    due_on = serializers.DateField()
    source = serializers.CharField(allow_blank=True)


class ExportProgramme(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    city = ExportJurisdiction()
    title = serializers.CharField()
    document_number = serializers.CharField(allow_blank=True, help_text=_("文号 of the year's notice"))
    issuing_body = serializers.CharField(allow_blank=True)
    issued_on = serializers.DateField(allow_null=True)
    list_state = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    milestones = ExportMilestone(many=True)


class ExportListing(serializers.Serializer):
    id = serializers.IntegerField()
    enterprise_uscc = serializers.CharField(help_text=_("Unified social credit code"))
    enterprise_name = serializers.CharField()
    industry = serializers.CharField(allow_blank=True, help_text=_("GB/T 4754 code"))
    jurisdiction = serializers.IntegerField()
    grounds = serializers.ListField(child=serializers.CharField())
    other_reason = serializers.CharField(allow_blank=True)
    lead_authority = serializers.CharField()
    carried_from_case = serializers.IntegerField(allow_null=True)


class ExportCase(serializers.Serializer):
    id = serializers.IntegerField()
    listing = serializers.IntegerField(allow_null=True, help_text=_("None for a voluntary audit"))
    jurisdiction = serializers.IntegerField()
    kind = serializers.CharField(help_text=_("mandatory or voluntary"))
    state = serializers.CharField()
    version = serializers.IntegerField()
    level = serializers.CharField(allow_blank=True)
    published_on = serializers.DateField()
    disclosed_on = serializers.DateField(allow_null=True)
    audit_started_on = serializers.DateField(allow_null=True)
    report_submitted_on = serializers.DateField(allow_null=True)
    evaluation_passed_on = serializers.DateField(allow_null=True)
    evaluation_concluded_on = serializers.DateField(allow_null=True)
    accepted_on = serializers.DateField(allow_null=True)
    acceptance_concluded_on = serializers.DateField(allow_null=True)
    result_published_on = serializers.DateField(allow_null=True)
    withdrawn_on = serializers.DateField(allow_null=True)
    next_due_on = serializers.DateField(allow_null=True)
    next_due_kind = serializers.CharField(allow_blank=True)


class ExportOptionTotals(serializers.Serializer):
    jurisdiction = serializers.IntegerField()
    case_kind = serializers.CharField(help_text=_("mandatory or voluntary"))
    cost_class = serializers.CharField()
    options = serializers.IntegerField()
    investment = serializers.DecimalField(max_digits=16, decimal_places=2, help_text=_("10k yuan"))
    options_implemented = serializers.IntegerField()
    investment_implemented = serializers.DecimalField(max_digits=16, decimal_places=2)


class ExportBenefitTotals(serializers.Serializer):
    jurisdiction = serializers.IntegerField()
    case_kind = serializers.CharField(help_text=_("mandatory or voluntary"))
    indicator = serializers.CharField()
    expected = serializers.DecimalField(max_digits=18, decimal_places=4)
    verified = serializers.DecimalField(max_digits=18, decimal_places=4)


class ExportSummaryRow(serializers.Serializer):
    district = serializers.IntegerField(allow_null=True, help_text=_("null for the total row (合计)"))
    figures = serializers.DictField(child=serializers.CharField(), help_text=_("figure key → value"))


class ExportSummary(serializers.Serializer):
    columns = serializers.DictField(child=serializers.CharField(), help_text=_("figure key → its label"))
    rows = ExportSummaryRow(many=True)


class ProgrammeExport(serializers.Serializer):
    format = serializers.CharField(help_text=_("qingshen.programme-export/1"))
    generated_at = serializers.DateTimeField()
    programme = ExportProgramme()
    listings = ExportListing(many=True)
    cases = ExportCase(many=True)
    option_totals = ExportOptionTotals(many=True)
    benefit_totals = ExportBenefitTotals(many=True)
    summary = ExportSummary()
