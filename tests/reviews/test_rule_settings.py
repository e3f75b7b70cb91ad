"""The review rules that are Rule rows (panel size and its floor, the trimmed mean's sheets, the agency
rating scale) are seeded with their sources and honoured as the city edits them."""

from decimal import Decimal

import pytest

from qingshen.cases.models import Delegation
from qingshen.procedures.models import Rule
from qingshen.reviews import rules
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import AgencyRating, Panel
from qingshen.reviews.quality_seed import RATING_FLOOR, RATING_FLOOR_MIN_COUNT
from qingshen.reviews.services.conclusion import review_confirm
from qingshen.reviews.services.draw import panel_draw
from qingshen.reviews.services.publicity import PUBLICITY_DAYS
from qingshen.reviews.services.revisions import REVISION_DAYS
from qingshen.web.reviews.forms import ConfirmForm
from tests.reviews.test_scoring import _concluded, _full, _panel, _submit


def _rule(code: str, amount: int) -> None:
    assert Rule.objects.filter(code=code).update(amount=amount) == 1


@pytest.mark.django_db
def test_the_rules_are_seeded_with_their_sources():
    seeded = {r.code: r for r in Rule.objects.filter(code__startswith="review_")}
    assert {c: r.amount for c, r in seeded.items()} == {
        rules.PANEL_SIZE: 5,
        rules.PANEL_MIN_SIZE: 3,
        rules.TRIMMED_MEAN_MIN_SHEETS: 3,
        rules.AGENCY_RATING_MIN: 1,
        rules.AGENCY_RATING_MAX: 5,
        RATING_FLOOR: 0,  # off by default (qingshen.reviews.quality)
        RATING_FLOOR_MIN_COUNT: 3,
        REVISION_DAYS: 15,  # the meeting rules (qingshen.reviews.services.revisions, publicity)
        PUBLICITY_DAYS: 5,
    }
    assert all(r.source.strip() and r.basis in {"U", "L"} for r in seeded.values())
    assert "奇数" in seeded[rules.PANEL_SIZE].source


def test_a_panel_below_the_minimum_size_is_refused(evaluating):
    _rule(rules.PANEL_SIZE, 3)
    _rule(rules.PANEL_MIN_SIZE, 5)
    with pytest.raises(ReviewRefused, match=r"(at least|不少于) 5"):
        panel_draw(review_id=evaluating.review.pk, actor=evaluating.users["city"])
    assert not Panel.objects.exists()


def test_an_even_panel_size_is_refused_naming_the_rule(evaluating):
    _rule(rules.PANEL_SIZE, 4)
    with pytest.raises(ReviewRefused, match=rules.PANEL_SIZE) as refused:
        panel_draw(review_id=evaluating.review.pk, actor=evaluating.users["city"])
    assert "4" in refused.value.message
    assert not Panel.objects.exists()


def test_a_panel_of_the_minimum_size_is_drawn(evaluating):
    _rule(rules.PANEL_SIZE, 3)
    _rule(rules.PANEL_MIN_SIZE, 3)
    panel = panel_draw(review_id=evaluating.review.pk, actor=evaluating.users["city"])
    assert panel.size == 3 and panel.seats.count() == 3


def _trimmed_result(w, shares):
    for seat, share in zip(_panel(w), shares, strict=True):
        _submit(seat, _full(w, share))
    w.review.refresh_from_db()
    return w.review.result_score


def test_the_trimmed_mean_drops_the_extremes_once_the_rule_s_sheets_are_in(evaluating, settings):
    settings.QINGSHEN_PANEL_RESULT = "trimmed_mean"
    _rule(rules.TRIMMED_MEAN_MIN_SHEETS, 5)  # five sheets: trimmed
    assert _trimmed_result(evaluating, ["0.1", "0.7", "0.7", "0.7", "1"]) == Decimal("70.00")


def test_too_few_sheets_for_the_trimmed_mean_rule_take_the_plain_mean(evaluating, settings):
    settings.QINGSHEN_PANEL_RESULT = "trimmed_mean"
    _rule(rules.TRIMMED_MEAN_MIN_SHEETS, 6)  # five sheets are too few: the plain mean
    assert _trimmed_result(evaluating, ["0.1", "0.7", "0.7", "0.7", "1"]) == Decimal("64.00")


def _confirm(w, rating):
    seats = _concluded(w)
    return review_confirm(
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


def test_the_rating_scale_follows_the_rule(evaluating):
    _rule(rules.AGENCY_RATING_MAX, 10)
    _delegate(evaluating)
    _confirm(evaluating, 8)
    assert AgencyRating.objects.get().rating == 8


def test_a_broken_rating_scale_is_refused_naming_its_rules(evaluating):
    _rule(rules.AGENCY_RATING_MIN, 6)
    _delegate(evaluating)
    with pytest.raises(ReviewRefused, match=rules.AGENCY_RATING_MIN):
        _confirm(evaluating, 5)
    assert not AgencyRating.objects.exists()


@pytest.mark.django_db
def test_the_confirm_form_offers_the_scale_of_the_rule():
    assert ConfirmForm({"agency_rating": "5"}).is_valid()
    assert not ConfirmForm({"agency_rating": "6"}).is_valid()
    _rule(rules.AGENCY_RATING_MIN, 2)
    _rule(rules.AGENCY_RATING_MAX, 7)
    form = ConfirmForm({"agency_rating": "6"})
    assert form.is_valid() and form.cleaned_data["agency_rating"] == 6
    assert [c for c, _ in form.fields["agency_rating"].choices] == ["", 2, 3, 4, 5, 6, 7]
    assert "2–7" in str(form.fields["agency_rating"].label)
    assert not ConfirmForm({"agency_rating": "1"}).is_valid()
