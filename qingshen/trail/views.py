from urllib.parse import urlencode

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
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    querystring = urlencode({"action": action}) if action else ""
    return render(
        request, "trail/event_list.html", {"page": page, "action": action, "querystring": querystring}
    )
