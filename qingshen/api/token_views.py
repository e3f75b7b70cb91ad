"""My account → API tokens: the user's own tokens, a new one (its key shown once) and revocation."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qingshen.accounts import api_tokens
from qingshen.accounts.models import ApiToken
from qingshen.core.errors import Refused


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    scope = forms.ChoiceField(label=gettext_lazy("Access"), choices=ApiToken.Scope.choices)


@login_required
def token_list(request):
    key = None
    default_expiry = timezone.localdate() + datetime.timedelta(days=settings.QINGSHEN_API_TOKEN_MAX_DAYS)
    form = TokenForm(
        request.POST or None, initial={"expires_on": default_expiry, "scope": ApiToken.Scope.READ}
    )
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = api_tokens.api_token_create(
                user=request.user, second_factor=request.user.is_verified(), **form.cleaned_data
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            form = TokenForm(initial={"expires_on": default_expiry, "scope": ApiToken.Scope.READ})
    context = {
        "tokens": api_tokens.api_tokens_of(request.user),
        "form": form,
        "key": key,
        "now": timezone.now(),
    }
    # The new key is in this one answer only: it must not be kept by the browser or a proxy.
    response = render(request, "api/token_list.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    api_tokens.api_token_revoke(user=request.user, pk=pk)
    messages.success(request, _("The token was revoked."))
    return redirect("api-tokens")
