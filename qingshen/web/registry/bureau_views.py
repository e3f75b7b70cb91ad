"""The bureau's own settings (registry.BureauSettings) and, for a city, each programme's choice of who
organises its reviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingshen.accounts.models import Jurisdiction
from qingshen.core.errors import Refused
from qingshen.core.pages import refusal_on_form
from qingshen.programmes import scoping as programmes_scoping
from qingshen.programmes.organiser import programme_review_organiser_set
from qingshen.registry import scoping
from qingshen.registry.bureaus import bureau_settings, bureau_settings_set
from qingshen.web.registry.bureau_forms import CitySettingsForm, DistrictSettingsForm, ProgrammeOrganiserForm


def _programmes(user, own):
    """The city's programmes whose organiser its staff may choose."""
    if own.level != Jurisdiction.Level.CITY:
        return []
    rows = programmes_scoping.programmes_visible(user).filter(city=own).order_by("-year")
    return [p for p in rows if programmes_scoping.may_manage_programme(user, p)]


@login_required
def bureau_settings_page(request):
    own = scoping.bureau_settings_jurisdiction(request.user)
    if own is None:
        raise Http404
    form_class = CitySettingsForm if own.level == Jurisdiction.Level.CITY else DistrictSettingsForm
    current = bureau_settings(own)
    initial = {f: getattr(current, f) for f in form_class.base_fields}
    form = form_class(initial=initial)
    if request.method == "POST" and request.POST.get("op") == "programme":
        programme_form = ProgrammeOrganiserForm(request.POST)
        programmes = {p.pk: p for p in _programmes(request.user, own)}
        if programme_form.is_valid():
            programme = programmes.get(programme_form.cleaned_data["programme"])
            if programme is None:
                raise Http404
            try:
                programme_review_organiser_set(
                    programme=programme,
                    actor=request.user,
                    organiser=programme_form.cleaned_data["review_organiser"],
                )
            except Refused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Saved."))
            return redirect("bureau-settings")
        messages.error(request, _("Choose who organises the programme's reviews."))
        return redirect("bureau-settings")
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                bureau_settings_set(jurisdiction=own, actor=request.user, **form.cleaned_data)
            except Refused as exc:
                refusal_on_form(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("bureau-settings")
    programmes = [
        (p, ProgrammeOrganiserForm(initial={"programme": p.pk, "review_organiser": p.review_organiser}))
        for p in _programmes(request.user, own)
    ]
    return render(
        request,
        "registry/bureau_settings.html",
        {"jurisdiction": own, "form": form, "programmes": programmes},
    )
