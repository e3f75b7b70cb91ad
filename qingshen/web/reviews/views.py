"""Pages for applications, panels, experts and agencies. Thin: services write, selectors read."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qingshen.accounts import scoping as accounts_scoping
from qingshen.cases import scoping as cases_scoping
from qingshen.cases.lifecycle import ReviewStep, review_action, transition_get
from qingshen.cases.models import Delegation, Document
from qingshen.core.errors import NotFound, Refused
from qingshen.oversight import scoping as oversight_scoping
from qingshen.registry import scoping as registry_scoping
from qingshen.reviews import applications, scoping, selectors, services
from qingshen.reviews.models import Expert, PanelSeat, Review, ReviewKind, RubricItem
from qingshen.web.reviews.forms import ApplicationForm, CheckForm, ConfirmForm, DismissForm, RespondForm


def _review_or_404(user, pk):
    review = (
        scoping.reviews_visible(user)
        .select_related(
            "case__enterprise__industry", "case__jurisdiction", "rubric", "applied_by", "checked_by"
        )
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise Http404
    return review


def _run(request, fn, **kwargs):
    """Call a service; a refusal becomes a message, out of scope a 404. Returns the result or None."""
    try:
        return fn(**kwargs)
    except NotFound as exc:
        raise Http404 from exc
    except Refused as exc:
        messages.error(request, exc.message)
        return None


# --- Queue and review page ------------------------------------------------------------------------------


@login_required
def review_list(request):
    if scoping.sits_on_panels(request.user):
        return redirect("expert-portal")
    if not accounts_scoping.sees_case_data(request.user):
        raise Http404
    status = request.GET.get("status", "")
    if status not in Review.Status.values:
        status = ""
    page = Paginator(
        selectors.review_list(user=request.user, status=status), settings.QINGSHEN_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/review_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Review.Status.choices,
            "querystring": urlencode({"status": status}) if status else "",
        },
    )


@login_required
def review_detail(request, pk: int):
    review = _review_or_404(request.user, pk)
    organiser = scoping.may_organise_review(request.user, review)
    panel = getattr(review, "panel", None)
    items = selectors.checklist_for(review.kind)
    materials = {m.item_id: m for m in review.materials.select_related("document")}
    ctx = {
        "review": review,
        "case": review.case,
        "organiser": organiser,
        "checklist": [(i, materials.get(i.pk)) for i in items],
        "missing": selectors.missing_items(review),
        "panel": panel,
        "seats": list(selectors.panel_seats(panel)) if panel else [],
        "may_verify": scoping.may_verify_panel(request.user, review),
        "opinions": review.case.documents.filter(kind__in=Document.OPINION_KINDS).order_by("-uploaded_at")
        if review.status == Review.Status.CONCLUDED
        else [],
    }
    if organiser and review.status == Review.Status.APPLIED:
        ctx["check_form"] = CheckForm(items=items)
    if organiser and review.status == Review.Status.ACCEPTED and panel is None:
        check = selectors.conflict_check(review=review)
        names = {e.pk: e for e in check.matching}
        ctx["conflicts"] = {
            "check": check,
            "excluded": [(names[pk], reasons) for pk, reasons in sorted(check.exclusions.items())],
            "dismissed": [(names[pk], items) for pk, items in sorted(check.dismissed.items())],
            "dismissable": selectors.Exclusion.DISMISSABLE,
            "labels": {
                r: selectors.Exclusion.label(r)
                for r in selectors.Exclusion.DISMISSABLE | {"declared", "pinned"}
            },
        }
    return render(request, "reviews/review_detail.html", ctx)


@login_required
@require_POST
def review_check(request, pk: int):
    review = _review_or_404(request.user, pk)
    form = CheckForm(request.POST, items=selectors.checklist_for(review.kind))
    if not form.is_valid():
        messages.error(request, _("Choose accept or refuse."))
        return redirect("review-detail", pk=pk)
    data = form.cleaned_data
    done = _run(
        request,
        services.review_check,
        review_id=pk,
        actor=request.user,
        accept=data["decision"] == "accept",
        missing=data["missing"],
        reason=data["reason"],
        override_reason=data["override_reason"],
    )
    if done:
        messages.success(request, _("Checked: %(status)s.") % {"status": done.get_status_display()})
    return redirect("review-detail", pk=pk)


@login_required
@require_POST
def conflict_dismiss(request, pk: int):
    _review_or_404(request.user, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason why this exclusion is a false positive."))
        return redirect("review-detail", pk=pk)
    d = form.cleaned_data
    if _run(
        request,
        services.conflict_dismiss,
        review_id=pk,
        actor=request.user,
        expert_id=d["expert"],
        rule=d["rule"],
        reason=d["reason"],
    ):
        messages.success(request, _("The exclusion was dismissed."))
    return redirect("review-detail", pk=pk)


@login_required
@require_POST
def panel_draw(request, pk: int):
    _review_or_404(request.user, pk)
    if _run(request, services.panel_draw, review_id=pk, actor=request.user):
        messages.success(request, _("The panel was drawn."))
    return redirect("review-detail", pk=pk)


@login_required
@require_POST
def panel_verify(request, pk: int):
    review = _review_or_404(request.user, pk)
    panel = getattr(review, "panel", None)
    if panel is None or not scoping.may_verify_panel(request.user, review):
        raise Http404
    result = services.panel_verify(panel=panel, actor=request.user)
    names = dict(
        Expert.objects.filter(pk__in=set(result["expected"]) | set(result["actual"])).values_list(
            "pk", "name"
        )
    )
    rows = [
        (n + 1, names.get(e), names.get(a), e == a)
        for n, (e, a) in enumerate(
            zip(result["expected"] + [None] * len(result["actual"]), result["actual"], strict=False)
        )
    ]
    return render(
        request, "reviews/verify.html", {"review": review, "panel": panel, "result": result, "rows": rows}
    )


@login_required
@require_POST
def seat_redraw(request, pk: int, seat_pk: int):
    _review_or_404(request.user, pk)
    if not PanelSeat.objects.filter(pk=seat_pk, panel__review_id=pk).exists():
        raise Http404
    if _run(request, services.seat_redraw, seat_id=seat_pk, actor=request.user):
        messages.success(request, _("The seat was redrawn from the same record."))
    return redirect("review-detail", pk=pk)


# --- Applying -------------------------------------------------------------------------------------------


@login_required
def review_apply(request, case_pk: int, kind: str):
    case = cases_scoping.cases_visible(request.user).select_related("enterprise").filter(pk=case_pk).first()
    if (
        case is None
        or kind not in ReviewKind.values
        or not cases_scoping.may_apply_for_review(request.user, case)
    ):
        raise Http404
    transition = transition_get(review_action(kind, ReviewStep.APPLY))
    items = selectors.checklist_for(kind)
    offers = {}
    for item in items:
        candidates = applications.item_candidates(case, item)
        offers[item.code] = (candidates, applications.item_preselected(case, item, items, candidates))
    form = ApplicationForm(request.POST or None, request.FILES or None, items=items, offers=offers)
    if request.method == "POST":
        if form.is_valid():
            review = _run(
                request,
                services.review_apply,
                case_id=case.pk,
                actor=request.user,
                kind=kind,
                materials=form.materials(),
                existing=form.existing(),
            )
            if review:
                messages.success(request, _("Your application was submitted."))
                return redirect("review-detail", pk=review.pk)
        else:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return render(
        request,
        "reviews/apply.html",
        {"case": case, "kind": ReviewKind(kind), "form": form, "possible": case.state in transition.sources},
    )


# --- The expert's portal --------------------------------------------------------------------------------


@login_required
def expert_portal(request):
    if not scoping.sits_on_panels(request.user):
        raise Http404
    return render(
        request, "reviews/expert_portal.html", {"seats": selectors.seats_for_expert(user=request.user)}
    )


def _seat_or_404(user, pk):
    seat = (
        scoping.seats_visible(user)
        .select_related("panel__review__case__enterprise", "panel__review__rubric", "expert")
        .filter(pk=pk)
        .first()
    )
    if seat is None:
        raise Http404
    return seat


@login_required
def seat_detail(request, pk: int):
    seat = _seat_or_404(request.user, pk)
    review = seat.panel.review
    own = getattr(seat, "score", None) if hasattr(seat, "score") else None
    ctx = {"seat": seat, "review": review, "case": review.case, "own": own}
    if seat.status == PanelSeat.Status.INVITED:
        ctx["respond_form"] = RespondForm()
    if seat.status == PanelSeat.Status.ACCEPTED:
        ctx["materials"] = review.materials.select_related("item", "document")
        ctx["items"] = list(review.rubric.items.all()) if review.rubric_id else []
        if own is not None:
            # Other sheets only after one's own is in.
            ctx["others"] = [s for s in selectors.submitted_scores(review) if s.pk != seat.pk]
            ctx["own_lines"] = {line.item_id: line for line in own.lines.all()}
        if seat.is_chair and review.proposed_outcome and not review.outcome:
            ctx["confirm_form"] = ConfirmForm()
            ctx["has_agency"] = Delegation.objects.filter(case=review.case, revoked_at__isnull=True).exists()
    ctx["veto_kind"], ctx["bonus_kind"] = RubricItem.Kind.VETO, RubricItem.Kind.BONUS
    return render(request, "reviews/seat_detail.html", ctx)


@login_required
@require_POST
def seat_respond(request, pk: int):
    _seat_or_404(request.user, pk)
    form = RespondForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return redirect("seat-detail", pk=pk)
    d = form.cleaned_data
    if _run(
        request,
        services.seat_respond,
        seat_id=pk,
        actor=request.user,
        accept=d["answer"] == "accept",
        no_conflict=d["no_conflict"],
        conflict=d["conflict"],
        reason=d["reason"],
    ):
        messages.success(request, _("Your answer was recorded."))
    return redirect("seat-detail", pk=pk)


@login_required
@require_POST
def score_submit(request, pk: int):
    seat = _seat_or_404(request.user, pk)
    review = seat.panel.review
    items = list(review.rubric.items.all()) if review.rubric_id else []
    points = {i.pk: request.POST.get(f"item_{i.pk}", "") for i in items if i.kind != RubricItem.Kind.VETO}
    vetoes = [i.pk for i in items if i.kind == RubricItem.Kind.VETO and request.POST.get(f"veto_{i.pk}")]
    if _run(
        request,
        services.score_submit,
        seat_id=pk,
        actor=request.user,
        points=points,
        vetoes=vetoes,
        comment=request.POST.get("comment", "")[:4000],
    ):
        messages.success(request, _("Your sheet was submitted."))
    return redirect("seat-detail", pk=pk)


@login_required
@require_POST
def review_confirm(request, pk: int):
    seat = _seat_or_404(request.user, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the form."))
        return redirect("seat-detail", pk=pk)
    d = form.cleaned_data
    if _run(
        request,
        services.review_confirm,
        review_id=seat.panel.review_id,
        actor=request.user,
        level=d["level"],
        requirements=d["requirements"],
        agency_rating=d["agency_rating"],
        agency_comment=d["agency_comment"],
    ):
        messages.success(request, _("The conclusion is confirmed; the opinion was issued."))
    return redirect("seat-detail", pk=pk)


# --- Experts and agencies -------------------------------------------------------------------------------


@login_required
def expert_list(request):
    if not scoping.may_see_expert_pool(request.user):
        raise Http404
    experts = (
        scoping.experts_visible(request.user)
        .select_related("region")
        .prefetch_related("specialties")
        .annotate(n_seats=Count("seats"))
        .order_by("name", "pk")
    )
    page = Paginator(experts, settings.QINGSHEN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reviews/expert_list.html",
        {"page": page, "may_import": scoping.may_manage_experts(request.user)},
    )


@login_required
def agency_list(request):
    if not registry_scoping.may_see_agencies(request.user):
        raise Http404
    agencies = (
        registry_scoping.agencies_visible(request.user)
        .annotate(
            n_cases=Count("delegations__case", distinct=True),
            rating=Avg("ratings__rating"),
            n_staff=Count("staff", distinct=True),
        )
        .order_by("name", "pk")
    )
    page = Paginator(agencies, settings.QINGSHEN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/agency_list.html", {"page": page})


@login_required
@require_POST
def conflict_pin(request, pk: int):
    review = _review_or_404(request.user, pk)
    try:
        expert_id = int(request.POST.get("expert", ""))
    except ValueError:
        messages.error(request, _("Choose an expert."))
        return redirect("review-detail", pk=pk)
    if _run(
        request,
        services.conflict_pin,
        actor=request.user,
        expert_id=expert_id,
        enterprise=review.case.enterprise,
        reason=request.POST.get("reason", "")[:2000],
    ):
        messages.success(request, _("The conflict is pinned."))
    return redirect("review-detail", pk=pk)


@login_required
@require_POST
def expert_set_active(request, pk: int):
    if _run(
        request,
        services.expert_set_active,
        actor=request.user,
        expert_id=pk,
        is_active=bool(request.POST.get("is_active")),
    ):
        messages.success(request, _("Saved."))
    return redirect("expert-list")


@login_required
@require_POST
def agency_staff_add(request, pk: int):
    get_object_or_404(registry_scoping.agencies_visible(request.user), pk=pk)
    if _run(
        request,
        services.agency_staff_add,
        actor=request.user,
        agency_id=pk,
        name=request.POST.get("name", ""),
        role=request.POST.get("role", ""),
        certificate_no=request.POST.get("certificate_no", ""),
    ):
        messages.success(request, _("Saved."))
    return redirect("agency-detail", pk=pk)


@login_required
def agency_detail(request, pk: int):
    agency = get_object_or_404(
        registry_scoping.agencies_visible(request.user).prefetch_related(
            "staff",
            Prefetch("ratings", queryset=_ratings_qs(request.user)),
            Prefetch("delegations", queryset=_delegations_qs(request.user)),
        ),
        pk=pk,
    )
    return render(
        request,
        "reviews/agency_detail.html",
        {
            "agency": agency,
            "may_edit": registry_scoping.may_edit_agency(request.user, agency.pk),
            "may_penalise": oversight_scoping.may_penalise(request.user),
        },
    )


def _ratings_qs(user):
    from qingshen.reviews.models import AgencyRating

    return (
        AgencyRating.objects.filter(review__case__in=cases_scoping.cases_visible(user).values("pk"))
        .select_related("review__case__enterprise")
        .order_by("-given_at")
    )


def _delegations_qs(user):
    return Delegation.objects.filter(case__in=cases_scoping.cases_visible(user).values("pk")).select_related(
        "case__enterprise", "case__programme"
    )


@login_required
def expert_import(request):
    if not scoping.may_manage_experts(request.user):
        raise Http404
    from qingshen.reviews.importing import COLUMNS, expert_import

    report = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file to upload."))
        else:
            report = expert_import(
                actor=request.user, fileobj=upload, base_url=request.build_absolute_uri("/")
            )
            if report.ok:
                messages.success(request, _("%(n)s experts imported.") % {"n": report.created})
            else:
                messages.error(request, _("Nothing was imported; correct the rows below and try again."))
    return render(request, "reviews/expert_import.html", {"report": report, "columns": list(COLUMNS)})


@login_required
def review_settings(request):
    """The city's checklists and rubric versions."""
    if not scoping.may_configure_reviews(request.user):
        raise Http404
    from qingshen.reviews.models import ChecklistItem, Rubric

    if request.method == "POST":
        op = request.POST.get("op")
        kind = request.POST.get("kind", "")
        if op == "checklist_add":
            done = _run(
                request,
                services.checklist_item_add,
                actor=request.user,
                kind=kind,
                name=request.POST.get("name", "")[:200],
                required=bool(request.POST.get("required")),
                source=request.POST.get("source", "")[:2000],
                document_kind=request.POST.get("document_kind", "other")[:30],
            )
        elif op == "checklist_update":
            try:
                item_id = int(request.POST.get("item", ""))
            except ValueError as exc:
                raise Http404 from exc
            done = _run(
                request,
                services.checklist_item_update,
                actor=request.user,
                item_id=item_id,
                required=bool(request.POST.get("required")),
                is_active=bool(request.POST.get("is_active")),
            )
        elif op == "rubric_version":
            done = _run(
                request,
                services.rubric_version_create,
                actor=request.user,
                kind=kind,
                name=request.POST.get("name", ""),
                lines=request.POST.get("lines", "")[:20000],
                pass_mark=request.POST.get("pass_mark", ""),
                pass_mark_source=request.POST.get("pass_mark_source", "")[:2000],
                bonus_max=request.POST.get("bonus_max", "0"),
            )
        else:
            done = None
            messages.error(request, _("Unknown action."))
        if done:
            messages.success(request, _("Saved."))
        return redirect("review-settings")
    kinds = []
    type_labels = dict(Document.Kind.choices)
    for kind in ReviewKind:
        rubric = Rubric.objects.filter(kind=kind, is_active=True).order_by("-version").first()
        items = list(ChecklistItem.objects.filter(kind=kind))
        for item in items:
            item.document_kind_label = type_labels.get(item.document_kind, item.document_kind)
        kinds.append(
            {
                "kind": kind,
                "items": items,
                "rubric": rubric,
                "lines": services.rubric_lines(rubric) if rubric else "",
                "versions": Rubric.objects.filter(kind=kind).annotate(n_reviews=Count("reviews")),
            }
        )
    return render(request, "reviews/settings.html", {"kinds": kinds, "document_kinds": Document.Kind.choices})
