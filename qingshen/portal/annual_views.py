"""The annual disclosure of 部令第24号 Art. 14: one page per case listing its years, with the chosen year's
form (prefilled from the case) for the enterprise or its agency, read-only for everyone else who sees the case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qingshen.cases import annual_disclosures as annual
from qingshen.cases import scoping
from qingshen.cases import selectors as case_selectors
from qingshen.core.errors import NotFound, Refused
from qingshen.core.pages import refusal_on_form
from qingshen.portal.forms import AnnualDisclosureForm


def _year(raw):
    """The year asked for as a number; None when none was asked, False when it is no number."""
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        return False


@login_required
def annual_disclosures(request, pk: int):
    case = case_selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise Http404
    years = annual.disclosure_years(case)
    records = {r.year: r for r in case.annual_disclosures.all()}
    asked = _year(request.POST.get("year") if request.method == "POST" else request.GET.get("year"))
    if asked is None:
        open_years = [y for y in years if getattr(records.get(y), "status", "") != "submitted"]
        year = open_years[0] if open_years else (years[-1] if years else None)
    elif asked is False or (request.method == "GET" and asked not in years):
        messages.error(
            request, _("The case has no annual disclosure for that year; choose one of the years listed.")
        )
        return redirect("case-annual", pk=case.pk)
    else:
        year = asked
    record = records.get(year)
    may_edit = scoping.may_edit_case_materials(request.user, case)
    editable = may_edit and year is not None and (record is None or record.status == "draft")
    if request.method == "POST":
        if not may_edit:
            raise Http404
        form = AnnualDisclosureForm(request.POST)
        if form.is_valid():
            try:
                saved = annual.annual_disclosure_save(
                    case=case,
                    year=year,
                    actor=request.user,
                    content=form.content(),
                    submit="submit" in request.POST,
                )
            except NotFound as exc:
                raise Http404 from exc
            except Refused as exc:
                refusal_on_form(form, exc, here=request.path)
            else:
                if saved.status == "submitted":
                    messages.success(
                        request, _("Submitted. The annual disclosure is now on the public site.")
                    )
                else:
                    messages.success(request, _("Saved. Review the text and submit it when it is right."))
                return redirect(f"{reverse('case-annual', args=[case.pk])}?year={year}")
    else:
        initial = dict(record.content) if record else (annual.annual_prefill(case, year) if year else {})
        form = AnnualDisclosureForm(initial=initial)
    rows = [
        {"year": y, "record": records.get(y), "due_on": annual.due_on(y), "current": y == year} for y in years
    ]
    return render(
        request,
        "portal/annual_disclosure.html",
        {
            "case": case,
            "form": form,
            "year": year,
            "record": record,
            "rows": rows,
            "editable": editable,
            "due_on": annual.due_on(year) if year else None,
        },
    )
