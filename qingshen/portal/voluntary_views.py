"""The enterprise registers a voluntary audit (自愿审核). Thin: scoping decides, programmes writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingshen.cases import scoping
from qingshen.core.errors import NotFound, Refused
from qingshen.programmes.voluntary import voluntary_register


@login_required
def voluntary_registration(request):
    if not scoping.may_register_voluntary(request.user):
        raise Http404
    refusal = ""
    if request.method == "POST":
        try:
            case = voluntary_register(actor=request.user)
        except NotFound as exc:
            raise Http404 from exc
        except Refused as exc:
            refusal = str(exc)
        else:
            messages.success(
                request,
                _(
                    "Your voluntary audit is registered and your bureau can see it. Submit the audit report when it is finished."
                ),
            )
            return redirect(f"{redirect('portal-home').url}#case-{case.pk}")
    return render(
        request,
        "portal/voluntary_registration.html",
        {"enterprise": request.user.enterprise, "refusal": refusal},
        status=400 if refusal else 200,
    )
