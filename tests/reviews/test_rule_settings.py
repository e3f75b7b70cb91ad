"""The review rules that are settings (panel size floor, trimmed mean, agency rating scale) are honoured."""

from decimal import Decimal

import pytest
from django.test import override_settings

from qingshen.cases.models import Delegation
from qingshen.reviews import services
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import AgencyRating, Panel
from qingshen.web.reviews.forms import ConfirmForm
from tests.reviews.test_scoring import _concluded


@override_settings(QINGSHEN_PANEL_SIZE=3, QINGSHEN_PANEL_MIN_SIZE=5)
def test_a_panel_below_the_minimum_size_is_refused(evaluating):
    with pytest.raises(ReviewRefused, match=r"(at least|不少于) 5"):
        services.panel_draw(review_id=evaluating.review.pk, actor=evaluating.users["city"])
    assert not Panel.objects.exists()


@override_settings(QINGSHEN_PANEL_SIZE=3, QINGSHEN_PANEL_MIN_SIZE=3)
def test_a_panel_of_the_minimum_size_is_drawn(evaluating):
    panel = services.panel_draw(review_id=evaluating.review.pk, actor=evaluating.users["city"])
    assert panel.size == 3 and panel.seats.count() == 3


def test_trimmed_mean_needs_the_set_number_of_sheets():
    totals = [Decimal(1), Decimal(2), Decimal(9)]
    assert services.panel_result(totals, "trimmed_mean") == Decimal("2.00")  # 3 sheets: trimmed
    with override_settings(QINGSHEN_TRIMMED_MEAN_MIN_SHEETS=4):
        assert services.panel_result(totals, "trimmed_mean") == Decimal("4.00")  # too few: plain mean
        assert services.panel_result([*totals, Decimal(4)], "trimmed_mean") == Decimal("3.00")
    with override_settings(QINGSHEN_TRIMMED_MEAN_MIN_SHEETS=2):  # two values are never both dropped
        assert services.panel_result(totals[:2], "trimmed_mean") == Decimal("1.50")


def _confirm(w, rating):
    seats = _concluded(w)
    return services.review_confirm(
        review_id=w.review.pk, actor=seats[0].expert.user, agency_rating=rating, render_opinions=False
    )


def _delegate(w):
    Delegation.objects.create(
        case=w.case, agency=w.agency, starts_on=w.case.published_on, created_by=w.users["enterprise"]
    )


def test_a_rating_off_the_default_scale_is_refused(evaluating):
    _delegate(evaluating)
    with pytest.raises(ReviewRefused, match=r"(from 1 to 5|1 至 5)"):
        _confirm(evaluating, 8)
    assert not AgencyRating.objects.exists()


@override_settings(QINGSHEN_AGENCY_RATING_MIN=1, QINGSHEN_AGENCY_RATING_MAX=10)
def test_the_rating_scale_follows_the_setting(evaluating):
    _delegate(evaluating)
    _confirm(evaluating, 8)
    assert AgencyRating.objects.get().rating == 8


def test_the_confirm_form_offers_the_scale_of_the_setting():
    assert ConfirmForm({"agency_rating": "5"}).is_valid()
    assert not ConfirmForm({"agency_rating": "6"}).is_valid()
    with override_settings(QINGSHEN_AGENCY_RATING_MIN=2, QINGSHEN_AGENCY_RATING_MAX=7):
        form = ConfirmForm({"agency_rating": "6"})
        assert form.is_valid() and form.cleaned_data["agency_rating"] == 6
        assert [c for c, _ in form.fields["agency_rating"].choices] == ["", 2, 3, 4, 5, 6, 7]
        assert "2–7" in str(form.fields["agency_rating"].label)
        assert not ConfirmForm({"agency_rating": "1"}).is_valid()
