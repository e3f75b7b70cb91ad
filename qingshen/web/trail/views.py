from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from qingshen.accounts import scoping
from qingshen.maintenance import checkpoint_mail as checkpoint_mailing
from qingshen.trail.models import Event


@login_required
def event_list(request):
    """The operation log, for the audit administrator only; newer/older links, any depth at one cost."""
    if not scoping.may_read_log(request.user):
        raise Http404
    from qingshen.trail.checkpoints import checkpoint_latest
    from qingshen.trail.selectors import events_page

    action = request.GET.get("action", "").strip()[:80]
    page = events_page(
        size=settings.QINGSHEN_ADMIN_PAGE_SIZE,
        action=action,
        before=request.GET.get("before"),
        after=request.GET.get("after"),
        oldest="oldest" in request.GET,
    )
    querystring = urlencode({"action": action}) if action else ""
    context = {"page": page, "action": action, "querystring": querystring, "checkpoint": checkpoint_latest()}
    return render(request, "trail/event_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def log_verify(request):
    """The auditor checks the log: the chain, the triggers, the keyed checkpoints, the exported file,
    and (posted) a checkpoint file they kept; each part that fails is named."""
    if not scoping.may_read_log(request.user):
        raise Http404
    from qingshen.trail.services import event_record
    from qingshen.trail.verification import log_verify_all

    kept, upload_error = None, ""
    if request.method == "POST":
        kept, upload_error = _kept_text(request.FILES.get("checkpoints"))
    report = log_verify_all(kept_text=kept)
    event_record(
        action="log.verify",
        actor=request.user,
        result="success" if report.ok else "failure",
        after={
            "ok": report.ok,
            "checked": report.verdict.checked,
            "broken_seq": report.verdict.broken_seq,
            "failed": [c.key for c in report.failed],
            "kept_file": kept is not None,
        },
    )
    context = {"verdict": report.verdict, "report": report, "upload_error": upload_error}
    return render(request, "trail/log_verify.html", context)


def _kept_text(upload) -> tuple[str | None, str]:
    from django.utils.translation import gettext as _

    if upload is None:
        return None, _("Choose the checkpoint file to compare with.")
    if upload.size > settings.QINGSHEN_UPLOAD_MAX_BYTES:
        return None, _("The file is too large for a checkpoint file.")
    try:
        return b"".join(upload.chunks()).decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return None, _("This is not a checkpoint file (JSON lines in UTF-8).")


@login_required
@require_POST
def checkpoint_download(request):
    """A checkpoint now, then every exported checkpoint as a file for the auditor to keep elsewhere."""
    if not scoping.may_export_log(request.user):
        raise Http404
    from django.http import HttpResponse

    from qingshen.trail import checkpoints
    from qingshen.trail.models import Checkpoint

    checkpoint = checkpoints.checkpoint_create(reason=Checkpoint.Reason.DOWNLOAD, actor=request.user)
    try:
        text = checkpoints.export_path().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    line = checkpoints.line_of(checkpoint)
    if line not in text:  # the file could not be written: the auditor still gets the new checkpoint
        text += line + "\n"
    response = HttpResponse(text.encode(), content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="qingshen-log-checkpoints-{checkpoint.seq}.jsonl"'
    )
    return response


@login_required
@require_POST
def checkpoint_mail(request):
    """A checkpoint now, sent to the auditor's inbox and mail address."""
    if not scoping.may_read_log(request.user):
        raise Http404
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    checkpoint = checkpoint_mailing.checkpoint_mail(users=[request.user], actor=request.user)
    if request.user.email:
        text = _("The checkpoint at row %(seq)s was sent to your inbox and to %(mail)s.")
    else:
        text = _(
            "The checkpoint at row %(seq)s is in your inbox; your account has no mail address for a copy."
        )
    messages.success(request, text % {"seq": checkpoint.seq, "mail": request.user.email})
    return redirect("event-list")


@login_required
def log_export(request):
    """The filtered log as csv or xlsx, for the auditor; the export itself is logged."""
    if not scoping.may_export_log(request.user):
        raise Http404
    from django.http import HttpResponse

    from qingshen.trail import archive
    from qingshen.trail.services import event_record

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
