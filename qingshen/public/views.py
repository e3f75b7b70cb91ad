from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from qingshen.cases import annual_disclosures as annual
from qingshen.cases import scoping
from qingshen.cases import selectors as case_selectors
from qingshen.cases.disclosure_fields import fields_for
from qingshen.cases.kinds import CaseKind
from qingshen.cases.states import level_label
from qingshen.oversight import scoping as oversight_scoping
from qingshen.oversight import selectors as oversight_selectors
from qingshen.programmes import public_selectors


def procedure(request):
    """The public procedure page (履职行权规程): no login."""
    procedure = oversight_selectors.procedure_current()
    versions = list(oversight_selectors.procedure_versions(procedure)) if procedure else []
    upcoming = [v for v in versions if v.applied_at is None and (procedure and v.number > procedure.version)]
    return render(
        request,
        "public/procedure.html",
        {
            "procedure": procedure,
            "versions": versions,
            "upcoming": upcoming[-1] if upcoming else None,
            "may_edit": oversight_scoping.may_edit_procedure(request.user),
        },
    )


def disclosure_list(request):
    """Published enterprise disclosures (办法 Art. 11): no login, no contacts, no private data."""
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(case_selectors.disclosures_public_list(q=q), settings.QINGSHEN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "public/disclosure_list.html",
        {"page": page, "q": q, "querystring": urlencode({"q": q}) if q else ""},
    )


def disclosure_detail(request, pk: int):
    disclosure = (
        scoping.disclosures_public()
        .select_related("case__enterprise", "case__programme", "case__jurisdiction")
        .filter(pk=pk)
        .first()
    )
    if disclosure is None:
        raise Http404
    items = [(f.label, disclosure.content.get(f.key, "")) for _s, f in fields_for(disclosure.grounds)]
    deadline = disclosure.case.deadlines.filter(kind="disclosure").first()
    return render(
        request,
        "public/disclosure_detail.html",
        {"disclosure": disclosure, "items": items, "deadline": deadline},
    )


def _page(request, qs):
    return Paginator(qs, settings.QINGSHEN_PAGE_SIZE).get_page(request.GET.get("page"))


def list_index(request):
    """Published annual lists (no login)."""
    return render(request, "public/list_index.html", {"programmes": public_selectors.lists_published()})


def list_detail(request, pk: int):
    programme = public_selectors.list_get(pk)
    if programme is None:
        raise Http404
    page = _page(request, public_selectors.list_entries(programme=programme))
    return render(
        request, "public/list_detail.html", {"programme": programme, "page": page, "querystring": ""}
    )


def result_list(request):
    """Published audit results with dates and levels (no login): mandatory (with the group audits that
    passed and their members), or voluntary with ?kind=voluntary; the two are never mixed in one table."""
    kind = CaseKind.VOLUNTARY if request.GET.get("kind") == CaseKind.VOLUNTARY else CaseKind.MANDATORY
    page = _page(request, public_selectors.results_published(kind=kind))
    groups = (
        public_selectors.group_results()[: settings.QINGSHEN_PAGE_SIZE] if kind == CaseKind.MANDATORY else []
    )
    return render(
        request,
        "public/result_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": [(k.value, k.label) for k in (CaseKind.MANDATORY, CaseKind.VOLUNTARY)],
            "querystring": urlencode({"kind": kind}) if kind == CaseKind.VOLUNTARY else "",
            "groups": groups,
        },
    )


def search(request):
    """Search by enterprise name, pinyin initials (e.g. "cqst") or credit code (no login)."""
    q = request.GET.get("q", "").strip()[:100]
    page = _page(request, public_selectors.search(q))
    return render(
        request,
        "public/search.html",
        {"page": page, "q": q, "querystring": urlencode({"q": q}) if q else ""},
    )


def annual_index(request):
    """Annual disclosures (部令第24号 Art. 14) by year: the years with any, and the chosen year's enterprises."""
    years = case_selectors.annual_public_years()
    raw = request.GET.get("year", "")
    year = None
    if raw:
        try:
            year = int(raw)
        except ValueError:
            year = None
        if year not in years:
            return render(
                request, "public/annual_index.html", {"years": years, "year": None, "bad_year": True}
            )
    year = year or (years[0] if years else None)
    page = _page(request, case_selectors.annual_public_list(year=year)) if year else None
    return render(
        request,
        "public/annual_index.html",
        {
            "years": years,
            "year": year,
            "page": page,
            "querystring": urlencode({"year": year}) if year else "",
        },
    )


def annual_detail(request, pk: int):
    """One enterprise's annual disclosure of one year, as submitted."""
    record = (
        scoping.annual_disclosures_public()
        .select_related("case__enterprise", "case__programme", "case__jurisdiction", "case__listing")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404
    items = [(label, record.content.get(key, "")) for key, label in annual.ITEMS]
    steps = [(annual.STEP_LABELS.get(field, field), day) for field, day in record.facts.get("steps", [])]
    return render(
        request,
        "public/annual_detail.html",
        {
            "record": record,
            "items": items,
            "steps": steps,
            "due_on": annual.due_on(record.year),
            "level": level_label(record.facts.get("level", "")),
        },
    )
