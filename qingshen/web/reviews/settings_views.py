"""The city's checklists and rubric versions, one section per review kind. A form that fails comes
back in its section with its errors beside the fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qingshen.cases.models import Document
from qingshen.reviews import rubric_text, scoping
from qingshen.reviews.models import ChecklistItem, ReviewKind, Rubric
from qingshen.reviews.services import configuration
from qingshen.web.reviews.calls import flashed, on_form, refused_elsewhere
from qingshen.web.reviews.settings_forms import ChecklistAddForm, ChecklistUpdateForm, RubricForm


def _rubric_initial(kind: str, rubric) -> dict:
    if rubric is None:
        return {"kind": kind, "veto_unmet_targets": True}
    return {
        "kind": kind,
        "lines": rubric_text.rubric_lines(rubric.items.all()),
        "name": rubric.name,
        "pass_mark": rubric.pass_mark,
        "bonus_max": rubric.bonus_max,
        "pass_mark_source": rubric.pass_mark_source,
        "veto_unmet_targets": rubric.veto_unmet_targets,
    }


def _settings_page(request, *, bound=None, bound_kind: str = ""):
    """The page; `bound`, a checklist or rubric form that failed, stands in its kind's section."""
    kinds = []
    type_labels = dict(Document.Kind.choices)
    for kind in ReviewKind:
        rubric = Rubric.objects.filter(kind=kind, is_active=True).order_by("-version").first()
        items = list(ChecklistItem.objects.filter(kind=kind))
        for item in items:
            item.document_kind_label = type_labels.get(item.document_kind, item.document_kind)
        here = bound if bound_kind == kind else None
        kinds.append(
            {
                "kind": kind,
                "items": items,
                "rubric": rubric,
                "add_form": here if isinstance(here, ChecklistAddForm) else ChecklistAddForm(kind=kind),
                "rubric_form": here
                if isinstance(here, RubricForm)
                else RubricForm(kind=kind, initial=_rubric_initial(kind, rubric)),
                "versions": Rubric.objects.filter(kind=kind).annotate(n_reviews=Count("reviews")),
            }
        )
    return render(request, "reviews/settings.html", {"kinds": kinds})


def _checklist_add(request, kind: str):
    form = ChecklistAddForm(request.POST, kind=kind)
    if form.is_valid():
        d = form.cleaned_data
        if on_form(
            request,
            form,
            configuration.checklist_item_add,
            actor=request.user,
            kind=d["kind"],
            name=d["name"],
            required=d["required"],
            source=d["source"],
            document_kind=d["document_kind"],
        ):
            return None
    return form


def _rubric_version(request, kind: str):
    form = RubricForm(request.POST, kind=kind)
    if form.is_valid():
        d = form.cleaned_data
        if on_form(
            request,
            form,
            configuration.rubric_version_create,
            actor=request.user,
            kind=d["kind"],
            name=d["name"],
            lines=d["lines"],
            pass_mark=d["pass_mark"],
            pass_mark_source=d["pass_mark_source"],
            bonus_max=d["bonus_max"],
            veto_unmet_targets=d["veto_unmet_targets"],
        ):
            return None
    return form


@login_required
def review_settings(request):
    if not scoping.may_configure_reviews(request.user):
        raise Http404
    if request.method != "POST":
        return _settings_page(request)
    op, kind = request.POST.get("op"), request.POST.get("kind", "")
    if op == "checklist_update":
        form = ChecklistUpdateForm(request.POST)
        if not form.is_valid():
            raise Http404
        if flashed(
            request,
            configuration.checklist_item_update,
            actor=request.user,
            item_id=form.cleaned_data["item"],
            required=form.cleaned_data["required"],
            is_active=form.cleaned_data["is_active"],
        ):
            messages.success(request, _("Saved."))
        return redirect("review-settings")
    if op == "checklist_add":
        failed = _checklist_add(request, kind)
    elif op == "rubric_version":
        failed = _rubric_version(request, kind)
    else:
        messages.error(request, _("Unknown action."))
        return redirect("review-settings")
    if failed is None:
        messages.success(request, _("Saved."))
        return redirect("review-settings")
    if kind not in ReviewKind.values:
        return refused_elsewhere(request, failed, "review-settings")
    return _settings_page(request, bound=failed, bound_kind=kind)
