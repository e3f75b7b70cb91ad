"""Where a list page's form returns to: the page it was sent from (its `next` field) when that is on
this site, else the programme page."""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def next_or_programme(request, pk: int) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("programme-detail", args=[pk])
