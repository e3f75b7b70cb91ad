"""The technology library (清洁生产技术库) for logged-in enterprises, agencies and staff: search, export, and
the enterprise's choice of being named. Not public (cases.scoping.may_use_library)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.cases import library, scoping
from qingshen.cases.library_export import library_xlsx
from qingshen.cases.models import Indicator
from qingshen.core.errors import Refused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request):
    """(filters, the query string to keep, message): a refused search shows its message and no rows."""
    raw = {k: request.GET.get(k, "")[:200] for k in ("industry", "indicator", "q")}
    kept = urlencode({k: v for k, v in raw.items() if v})
    try:
        return library.library_filters(**raw), kept, ""
    except Refused as exc:
        return None, kept, exc.message


@login_required
def library_page(request):
    if not scoping.may_use_library(request.user):
        raise Http404
    filters, kept, refused = _filters(request)
    options = library.library_search(user=request.user, filters=filters) if filters else []
    page = Paginator(options, settings.QINGSHEN_PAGE_SIZE).get_page(request.GET.get("page"))
    for option in page:
        option.shown_name = library.shown_name(option)
    may_name = scoping.may_set_library_naming(request.user)
    return render(
        request,
        "portal/library.html",
        {
            "page": page,
            "querystring": kept,
            "refused": refused,
            "raw": {k: request.GET.get(k, "")[:200] for k in ("industry", "indicator", "q")},
            "indicators": Indicator.objects.all(),
            "may_name": may_name,
            "named": library.library_naming_of(user=request.user) if may_name else False,
        },
    )


@login_required
def library_export(request):
    if not scoping.may_use_library(request.user):
        raise Http404
    filters, kept, refused = _filters(request)
    if filters is None:
        messages.error(request, refused)
        return redirect(f"{reverse('library')}?{kept}")
    response = HttpResponse(library_xlsx(user=request.user, filters=filters), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''technology-library.xlsx"
    return response


@login_required
@require_POST
def library_naming(request):
    if not scoping.may_set_library_naming(request.user):
        raise Http404
    choice = request.POST.get("named", "")
    if choice not in {"yes", "no"}:
        messages.error(request, _("Choose whether your enterprise is named or anonymous in the library."))
        return redirect("library")
    library.library_naming_set(actor=request.user, named=choice == "yes")
    if choice == "yes":
        messages.success(request, _("Your enterprise is now named beside its options in the library."))
    else:
        messages.success(request, _("Your options are now shown as those of an anonymous enterprise."))
    return redirect("library")
