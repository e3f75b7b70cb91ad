"""Setting up a year's programme: the new-programme form of the city, and the edit page of a draft
programme with its milestones. Anyone else is answered 404; a refusal of the service is shown beside
the field it names, or above the form's fields."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.core.pages import refusal_on_form
from qingshen.programmes import scoping, services
from qingshen.programmes.errors import ProgrammeError
from qingshen.web.programmes.forms import MilestoneForm, ProgrammeForm
from qingshen.web.programmes.pages import programme_or_404


def _own_city(user):
    city = user.jurisdiction if getattr(user, "jurisdiction_id", None) else None
    if not scoping.may_create_programme(user, city):
        raise Http404
    return city


def _editable_or_404(request, pk):
    programme = programme_or_404(request, pk)
    if not scoping.may_edit_programme(request.user, programme):
        raise Http404
    return programme


def _refused(form, exc: ProgrammeError, request) -> None:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        refusal_on_form(form, exc, here=request.path)


@login_required
def programme_new(request):
    city = _own_city(request.user)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(city=city, actor=request.user, **form.cleaned_data)
        except ProgrammeError as exc:
            _refused(form, exc, request)
        else:
            messages.success(request, _("The programme is set up; add its milestones."))
            return redirect("programme-edit", pk=programme.pk)
    return render(request, "programmes/programme_new.html", {"form": form, "city": city})


def _milestone_form(milestone, data=None):
    return MilestoneForm(
        data,
        prefix=f"m{milestone.pk}",
        initial={
            "kind": milestone.kind,
            "name": milestone.name,
            "due_on": milestone.due_on,
            "source": milestone.source,
        },
    )


def _edit_page(request, programme, *, form=None, add_form=None, bound=None):
    """The edit page; `bound` is a (milestone, form) shown again with its errors."""
    if form is None:
        form = ProgrammeForm(
            initial={
                "year": programme.year,
                "title": programme.title,
                "document_number": programme.document_number,
                "issuing_body": programme.issuing_body,
                "issued_on": programme.issued_on,
            }
        )
    rows = []
    for milestone in programme.milestones.all():
        if bound is not None and bound[0].pk == milestone.pk:
            rows.append((milestone, bound[1]))
        else:
            rows.append((milestone, _milestone_form(milestone)))
    return render(
        request,
        "programmes/programme_edit.html",
        {
            "programme": programme,
            "form": form,
            "rows": rows,
            "add_form": add_form if add_form is not None else MilestoneForm(prefix="new"),
        },
    )


@login_required
def programme_edit(request, pk: int):
    programme = _editable_or_404(request, pk)
    if request.method != "POST":
        return _edit_page(request, programme)
    form = ProgrammeForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.programme_update(programme=programme, actor=request.user, **data)
        except ProgrammeError as exc:
            _refused(form, exc, request)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("programme-edit", pk=pk)
    return _edit_page(request, programme, form=form)


@login_required
@require_POST
def milestone_save(request, pk: int):
    """Add a milestone (no `milestone` in the POST), change one, or remove it (`remove`)."""
    programme = _editable_or_404(request, pk)
    milestone = None
    if request.POST.get("milestone"):
        try:
            milestone_pk = int(request.POST["milestone"])
        except ValueError:
            raise Http404 from None
        milestone = programme.milestones.filter(pk=milestone_pk).first()
        if milestone is None:
            raise Http404
    if milestone is not None and "remove" in request.POST:
        try:
            services.milestone_remove(milestone=milestone, actor=request.user)
        except ProgrammeError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The milestone is removed."))
        return redirect("programme-edit", pk=pk)
    form = (
        MilestoneForm(request.POST, prefix="new")
        if milestone is None
        else _milestone_form(milestone, request.POST)
    )
    if form.is_valid():
        try:
            if milestone is None:
                services.milestone_add(programme=programme, actor=request.user, **form.cleaned_data)
            else:
                services.milestone_update(milestone=milestone, actor=request.user, **form.cleaned_data)
        except ProgrammeError as exc:
            _refused(form, exc, request)
        else:
            messages.success(request, _("The milestone is saved."))
            return redirect("programme-edit", pk=pk)
    if milestone is None:
        return _edit_page(request, programme, add_form=form)
    return _edit_page(request, programme, bound=(milestone, form))
