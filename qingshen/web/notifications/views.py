from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from qingshen.notifications import scoping, selectors, services
from qingshen.notifications.models import Delivery


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(user=request.user), settings.QINGSHEN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "querystring": ""})


@login_required
def unread(request):
    """The nav badge's count, fetched by qingshen/static/qingshen/inbox.js (no query on every page)."""
    return JsonResponse({"unread": selectors.unread_count(user=request.user)})


@login_required
def notification_open(request, pk: int):
    """Mark read and follow the link to the object."""
    notification = scoping.notifications_visible(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.notification_read(notification=notification)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    return redirect("inbox")


@login_required
def outbox(request):
    if not scoping.may_review_outbox(request.user):
        raise Http404
    state = request.GET.get("state", Delivery.Status.HELD)
    if state not in Delivery.Status.values:
        state = ""
    page = Paginator(selectors.outbox(user=request.user, state=state), settings.QINGSHEN_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/outbox.html",
        {"page": page, "state": state, "states": Delivery.Status.choices, "querystring": f"state={state}"},
    )


@login_required
@require_POST
def outbox_review(request, pk: int):
    delivery = scoping.outbox_visible(request.user).filter(pk=pk).first()
    if delivery is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "release":
            services.delivery_release(delivery_id=delivery.pk, actor=request.user)
        elif action == "withdraw":
            services.delivery_withdraw(delivery_id=delivery.pk, actor=request.user)
        else:
            raise Http404
    except services.NotificationRefused as exc:
        messages.error(request, str(exc))
    return redirect("outbox")
