"""Quality feedback pages: the organiser rates each seated expert of a concluded review, and the city
and the province read every agency's and expert's ratings with their yearly means."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingshen.reviews import quality, rules
from qingshen.reviews import scoping as reviews_scoping
from qingshen.reviews.models import Review
from qingshen.web.reviews.calls import on_form, posted
from qingshen.web.reviews.review_views import review_or_404


class ExpertRatingForm(forms.Form):
    """One seated expert's rating; the scale is checked by the service (the city edits it)."""

    seat = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.IntegerField(label=gettext_lazy("Rating"))
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


@login_required
def expert_ratings(request, pk: int):
    """The seated experts of a concluded review, each rated once by the organiser."""
    review = review_or_404(request.user, pk)
    if not reviews_scoping.may_rate_experts(request.user, review):
        raise Http404
    data, _files = posted(request)
    bound = ExpertRatingForm(data) if data is not None else None
    if bound is not None and bound.is_valid():
        done = on_form(
            request,
            bound,
            quality.expert_rate,
            review_id=review.pk,
            seat_id=bound.cleaned_data["seat"],
            actor=request.user,
            rating=bound.cleaned_data["rating"],
            comment=bound.cleaned_data["comment"],
        )
        if done:
            messages.success(request, _("Saved."))
            return redirect("expert-ratings", pk=review.pk)
    low, high = rules.agency_rating_scale()
    seats = quality.seats_to_rate(review)
    failed = bound.data.get("seat") if bound is not None else None
    rows = [
        (
            seat,
            getattr(seat, "rating", None),
            bound
            if failed == str(seat.pk)
            else ExpertRatingForm(initial={"seat": seat.pk}, auto_id=f"seat{seat.pk}_%s"),
        )
        for seat in seats
    ]
    return render(
        request,
        "reviews/expert_ratings.html",
        {
            "review": review,
            "concluded": review.status == Review.Status.CONCLUDED,
            "rows": rows,
            "scale": (low, high),
            "stray": bound if bound is not None and failed not in {str(s.pk) for s in seats} else None,
        },
    )


@login_required
def quality_ratings(request):
    if not reviews_scoping.may_see_ratings(request.user):
        raise Http404
    summary = quality.ratings_summary(request.user)
    return render(
        request,
        "reviews/quality_ratings.html",
        {
            "years": summary.years,
            "agencies": [(a, a.trend(summary.years)) for a in summary.agencies],
            "experts": [(e, e.trend(summary.years)) for e in summary.experts],
        },
    )
