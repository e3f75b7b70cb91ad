"""GET /api/v1/export/programme/{id}: a programme as one JSON document (programme with milestones,
listings, cases with states and dates, option and benefit totals, the summary table), for a
province's system that mirrors its cities. Every part is read through the caller's scoping: a city
exports its own, a province each city below it; a programme outside the scope is not found."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from qingshen.api.export_serializers import ProgrammeExport
from qingshen.cases.models import BenefitRollup, OptionRollup
from qingshen.cases.scoping import cases_visible
from qingshen.programmes import scoping as programme_scoping
from qingshen.programmes import selectors as programme_selectors
from qingshen.registry.scoping import enterprises_visible
from qingshen.reports import figures
from qingshen.reports import scoping as report_scoping

FORMAT = "qingshen.programme-export/1"
CASE_FIELDS = [f for f in ProgrammeExport().fields["cases"].child.fields if f not in ("listing",)]


def _programme(programme) -> dict:
    return {
        "id": programme.pk,
        "year": programme.year,
        "city": {"id": programme.city_id, "code": programme.city.code, "name": programme.city.name},
        "title": programme.title,
        "document_number": programme.document_number,
        "issuing_body": programme.issuing_body,
        "issued_on": programme.issued_on,
        "list_state": programme.list_state,
        "published_on": programme.published_on,
        "milestones": list(
            programme.milestones.order_by("due_on", "pk").values("kind", "name", "due_on", "source")
        ),
    }


def _listings(user, programme) -> list[dict]:
    rows = (
        programme.listings.filter(enterprise__in=enterprises_visible(user).values("pk"))
        .order_by("pk")
        .values(
            "id",
            "grounds",
            "other_reason",
            "lead_authority",
            "enterprise__uscc",
            "enterprise__name",
            "enterprise__industry__code",
            "enterprise__jurisdiction_id",
            "carried_from_id",
        )
    )
    return [
        {
            "id": r["id"],
            "enterprise_uscc": r["enterprise__uscc"],
            "enterprise_name": r["enterprise__name"],
            "industry": r["enterprise__industry__code"] or "",
            "jurisdiction": r["enterprise__jurisdiction_id"],
            "grounds": r["grounds"] or [],
            "other_reason": r["other_reason"],
            "lead_authority": r["lead_authority"],
            "carried_from_case": r["carried_from_id"],
        }
        for r in rows.iterator(chunk_size=2000)
    ]


def _cases(cases) -> list[dict]:
    rows = cases.order_by("pk").values(
        "listing_id", "jurisdiction_id", *[f for f in CASE_FIELDS if f != "jurisdiction"]
    )
    return [
        {
            **{k: v for k, v in r.items() if k not in ("listing_id", "jurisdiction_id")},
            "listing": r["listing_id"],
            "jurisdiction": r["jurisdiction_id"],
        }
        for r in rows.iterator(chunk_size=2000)
    ]


def _totals(cases, programme):
    cells = {"cell__programme": programme, "cell__jurisdiction_id__in": cases.values("jurisdiction_id")}
    options = [
        {
            "jurisdiction": r["cell__jurisdiction_id"],
            "case_kind": r["cell__case_kind"],
            "cost_class": r["cost_class"],
            "options": r["options"],
            "investment": r["investment"],
            "options_implemented": r["options_done"],
            "investment_implemented": r["investment_done"],
        }
        for r in OptionRollup.objects.filter(**cells)
        .order_by("cell__jurisdiction_id", "cell__case_kind", "cost_class")
        .values(
            "cell__jurisdiction_id",
            "cell__case_kind",
            "cost_class",
            "options",
            "investment",
            "options_done",
            "investment_done",
        )
    ]
    benefits = [
        {
            "jurisdiction": r["cell__jurisdiction_id"],
            "case_kind": r["cell__case_kind"],
            "indicator": r["indicator__code"],
            "expected": r["expected"],
            "verified": r["verified"],
        }
        for r in BenefitRollup.objects.filter(**cells)
        .order_by("cell__jurisdiction_id", "cell__case_kind", "indicator__code")
        .values("cell__jurisdiction_id", "cell__case_kind", "indicator__code", "expected", "verified")
    ]
    return options, benefits


def _summary(user, programme) -> dict:
    districts = report_scoping.summary_districts_visible(user, programme)
    table = figures.summary_table(
        programme=programme,
        cases=cases_visible(user),
        counts=report_scoping.counts_visible(user),
        districts=districts,
    )
    as_text = lambda values: {k: str(v) for k, v in values.items()}  # noqa: E731
    rows = [{"district": d.pk, "figures": as_text(f)} for d, f in table.rows]
    rows.append({"district": None, "figures": as_text(table.total)})
    return {"columns": {c.key: f"{c.group} · {c.label}" for c in table.columns}, "rows": rows}


@extend_schema(
    tags=[_("Export")],
    summary=_("A programme as one document, for systems that mirror it"),
    description=_(
        "The programme with its milestones, its listings, its cases with their states and dates, the "
        "option and benefit totals per jurisdiction and the summary table (附件3), each as far as the "
        "caller's scope reaches. `format` names the document's version; fields are only ever added."
    ),
    responses=ProgrammeExport,
)
@api_view(["GET"])
def programme_export(request, pk: int):
    programme = programme_selectors.programme_get(user=request.user, pk=pk)
    if programme is None or not programme_scoping.may_export_list(request.user, programme):
        raise Http404
    cases = cases_visible(request.user).filter(programme=programme)
    option_totals, benefit_totals = _totals(cases, programme)
    document = {
        "format": FORMAT,
        "generated_at": timezone.now(),
        "programme": _programme(programme),
        "listings": _listings(request.user, programme),
        "cases": _cases(cases),
        "option_totals": option_totals,
        "benefit_totals": benefit_totals,
        "summary": _summary(request.user, programme),
    }
    return Response(ProgrammeExport(document).data)
