from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from qingshen.accounts import scoping

from .models import Event


@login_required
def event_list(request):
    """The operation log, for the audit administrator only."""
    if not scoping.may_read_log(request.user):
        raise Http404
    qs = Event.objects.select_related("actor").order_by("-at", "-id")
    action = request.GET.get("action", "").strip()[:80]
    if action:
        qs = qs.filter(action__startswith=action)
    page = Paginator(qs, settings.QINGSHEN_ADMIN_PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = urlencode({"action": action}) if action else ""
    return render(
        request, "trail/event_list.html", {"page": page, "action": action, "querystring": querystring}
    )


@login_required
def log_verify(request):
    """The auditor checks the hash chain; the first broken link is shown."""
    if not scoping.may_read_log(request.user):
        raise Http404
    from .chain import verify
    from .services import event_record

    verdict = verify()
    event_record(
        action="log.verify",
        actor=request.user,
        result="success" if verdict.ok else "failure",
        after={"ok": verdict.ok, "checked": verdict.checked, "broken_seq": verdict.broken_seq},
    )
    return render(request, "trail/log_verify.html", {"verdict": verdict})


@login_required
def log_export(request):
    """The filtered log as csv or xlsx, for the auditor; the export itself is logged."""
    if not scoping.may_export_log(request.user):
        raise Http404
    from django.http import HttpResponse

    from . import archive
    from .services import event_record

    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    action = request.GET.get("action", "").strip()[:80]
    qs = Event.objects.all()
    if action:
        qs = qs.filter(action__startswith=action)
    event_record(
        action="log.export", actor=request.user, after={"format": fmt, "action": action, "rows": qs.count()}
    )
    if fmt == "csv":
        body, ctype = archive.export_csv(qs), "text/csv; charset=utf-8"
    else:
        body, ctype = (
            archive.export_xlsx(qs),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="qingshen-log.{fmt}"'
    return response
