"""Summary tables (computed today and filed snapshots) and the dashboard's figures as the API shows
them. Figures are keyed by column; decimals are written as strings, as in a filed snapshot."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from qingshen.reports import figures as summary
from qingshen.reports.models import SummaryFiling


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    group = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField(allow_null=True)


class FilingSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.local_name", read_only=True)
    milestone_name = serializers.CharField(source="milestone.name", read_only=True, default=None)
    figures = serializers.JSONField(read_only=True)
    attachment = serializers.SerializerMethodField(
        help_text=_(
            "The signed file, from the summary page's download address (it checks the scope and logs)."
        )
    )

    class Meta:
        model = SummaryFiling
        fields = [
            "id",
            "programme",
            "district",
            "district_name",
            "milestone",
            "milestone_name",
            "filed_at",
            "figures",
            "narrative",
            "work_plan",
            "attachment",
            "attachment_name",
            "attachment_sha256",
            "attachment_size",
        ]

    def get_attachment(self, obj) -> str | None:
        if not obj.attachment:
            return None
        url = reverse("summary-filing-attachment", kwargs={"pk": obj.programme_id, "filing_pk": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class SummaryRowSerializer(serializers.Serializer):
    district = serializers.IntegerField()
    district_name = serializers.CharField()
    figures = serializers.JSONField()
    filing = FilingSerializer(allow_null=True)
    changed_since_filing = serializers.ListField(child=serializers.CharField())


class SummarySerializer(serializers.Serializer):
    programme = serializers.IntegerField()
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = SummaryRowSerializer(many=True)
    total = serializers.JSONField()


def summary_data(programme, table, filings) -> dict:
    """The table as plain data, each row with its district's latest filing and what changed since."""
    rows = []
    for district, figures in table.rows:
        filing = filings.get(district.pk)
        changed = summary.difference(filing.figures, figures, table.columns) if filing else []
        rows.append(
            {
                "district": district.pk,
                "district_name": district.local_name,
                "figures": summary.frozen(figures),
                "filing": filing,
                "changed_since_filing": [c.key for c, _then, _now in changed],
            }
        )
    return {
        "programme": programme.pk,
        "title": programme.title,
        "columns": [
            {"key": c.key, "group": str(c.group), "label": str(c.label), "unit": c.unit}
            for c in table.columns
        ],
        "rows": rows,
        "total": summary.frozen(table.total),
    }


class ReductionSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    unit = serializers.CharField()
    expected = serializers.DecimalField(max_digits=20, decimal_places=4)
    verified = serializers.DecimalField(max_digits=20, decimal_places=4)


class HeadlineSerializer(serializers.Serializer):
    listed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    evaluation_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    acceptance_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    investment_planned = serializers.DecimalField(max_digits=20, decimal_places=2)
    investment_implemented = serializers.DecimalField(max_digits=20, decimal_places=2)
    reductions = ReductionSerializer(many=True)
    groups = serializers.IntegerField(help_text="Group audits, apart from the cases listed")
    group_members = serializers.IntegerField(help_text="Member enterprises of the group audits, each once")


class SeriesSerializer(serializers.Serializer):
    name = serializers.CharField()
    data = serializers.ListField(child=serializers.FloatField())


class ChartSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    category_label = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    series = SeriesSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    headline = HeadlineSerializer()
    charts = ChartSerializer(many=True)


def dashboard_data(board) -> dict:
    head = board.headline
    return {
        "headline": {
            "listed": head.listed,
            "overdue": head.overdue,
            "evaluation_rate": head.evaluation_rate,
            "acceptance_rate": head.acceptance_rate,
            "investment_planned": head.investment_planned,
            "investment_implemented": head.investment_implemented,
            "reductions": [
                {"indicator": ind.code, "unit": ind.unit, "expected": e, "verified": v}
                for ind, e, v in head.reductions
            ],
            "groups": head.groups,
            "group_members": head.group_members,
        },
        "charts": [
            {**c.as_json(), "key": c.key, "category_label": str(c.category_label), "title": str(c.title)}
            for c in board.charts
        ],
    }
