"""Quality feedback upward (issue 15 item 7): the organiser rates each seated expert once, the city and
the province read the ratings per agency and per expert by year, and the draw's rating floor."""

import datetime

import pytest
from django.urls import reverse

from qingshen.demo import walk
from qingshen.procedures.models import Rule
from qingshen.registry.bureaus import bureau_settings_set
from qingshen.reviews import quality, selectors
from qingshen.reviews.draw import record_digest
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import AgencyRating, Expert, ExpertRating, Panel, PanelSeat, Review
from qingshen.reviews.quality_seed import RATING_FLOOR, RATING_FLOOR_MIN_COUNT
from qingshen.reviews.services.draw import panel_draw, panel_verify
from qingshen.trail.models import Event
from tests import factories as f


@pytest.fixture
def concluded(evaluating):
    w = evaluating
    w.review = walk.panel_conclude(
        review=w.review, passed=True, city_user=w.users["city"], day=w.case.published_on
    )
    w.seats = list(PanelSeat.objects.filter(panel__review=w.review).order_by("position"))
    return w


def _rate(w, seat, rating, actor="city", comment=""):
    return quality.expert_rate(
        review_id=w.review.pk, seat_id=seat.pk, actor=w.users[actor], rating=rating, comment=comment
    )


def test_the_organiser_rates_each_seated_expert_once(concluded):
    w = concluded
    given = _rate(w, w.seats[0], 4, comment=" thorough ")
    assert (given.expert_id, given.rating, given.comment) == (w.seats[0].expert_id, 4, "thorough")
    event = Event.objects.filter(action="review.expert.rate").get()
    assert event.after["rating"] == 4
    with pytest.raises(ReviewRefused):
        _rate(w, w.seats[0], 5)
    _rate(w, w.seats[1], 1)
    assert ExpertRating.objects.filter(review=w.review).count() == 2


@pytest.mark.parametrize("bad", [0, 6, "x", ""])
def test_a_rating_off_the_scale_is_refused_and_changes_nothing(concluded, bad):
    with pytest.raises(ReviewRefused):
        _rate(concluded, concluded.seats[0], bad)
    assert not ExpertRating.objects.exists()


def test_the_scale_is_the_agency_ratings_rules(concluded):
    Rule.objects.filter(code="review_agency_rating_max").update(amount=10)
    assert _rate(concluded, concluded.seats[0], 9).rating == 9


def test_a_seat_of_another_review_or_an_unconcluded_review_is_refused(concluded, world):
    w = concluded
    other = Review.objects.create(
        case=w.case,
        kind="acceptance",
        status=Review.Status.ACCEPTED,
        applied_by=w.users["city"],
        applied_on=w.case.published_on,
    )
    with pytest.raises(ReviewRefused):
        quality.expert_rate(review_id=other.pk, seat_id=w.seats[0].pk, actor=w.users["city"], rating=3)
    with pytest.raises(ReviewRefused):
        quality.expert_rate(review_id=w.review.pk, seat_id=10**9, actor=w.users["city"], rating=3)


@pytest.mark.parametrize(
    "role", ["province", "supervisor", "district_south", "enterprise", "expert", "agency"]
)
def test_only_the_organiser_rates(concluded, role):
    with pytest.raises(ReviewNotFound):
        _rate(concluded, concluded.seats[0], 3, actor=role)
    assert not ExpertRating.objects.exists()


def test_the_rating_page(concluded, client_for):
    w = concluded
    url = reverse("expert-ratings", args=[w.review.pk])
    detail = client_for(w.users["city"]).get(reverse("review-detail", args=[w.review.pk])).content.decode()
    assert url in detail
    client = client_for(w.users["city"])
    assert w.seats[0].expert.name in client.get(url).content.decode()
    response = client.post(url, {"seat": w.seats[0].pk, "rating": 9, "comment": ""})
    assert response.status_code == 200
    assert not ExpertRating.objects.exists()
    response = client.post(url, {"seat": w.seats[0].pk, "rating": 3, "comment": "ok"})
    assert response.status_code == 302
    assert ExpertRating.objects.get().rating == 3
    for role in ("province", "supervisor", "district", "enterprise", "expert"):
        assert client_for(w.users[role]).get(url).status_code == 404, role
        assert client_for(w.users[role]).post(url, {"seat": w.seats[1].pk, "rating": 3}).status_code == 404


# The ratings page ---------------------------------------------------------------------------------


def _rated_review(w, case, year, experts: dict, agency_rating=None):
    """A concluded review of `year` whose seated experts got `experts` {expert: rating}."""
    review = Review.objects.create(
        case=case,
        kind="evaluation",
        status=Review.Status.CONCLUDED,
        outcome="pass",
        applied_by=w.users["city"],
        applied_on=datetime.date(year, 3, 1),
        concluded_on=datetime.date(year, 6, 1),
    )
    panel = Panel.objects.create(
        review=review,
        algorithm="test",
        seed="s",
        size=len(experts),
        record={},
        record_sha256="",
        drawn_by=w.users["city"],
    )
    for position, (expert, rating) in enumerate(experts.items(), start=1):
        seat = PanelSeat.objects.create(
            panel=panel, expert=expert, position=position, status=PanelSeat.Status.ACCEPTED
        )
        ExpertRating.objects.create(
            review=review, seat=seat, expert=expert, rating=rating, given_by=w.users["city"]
        )
    if agency_rating is not None:
        AgencyRating.objects.create(
            review=review, agency=w.agency, rating=agency_rating, given_by=w.users["city"]
        )
    return review


@pytest.fixture
def rated(evaluating):
    w = evaluating
    w.agency = f.agency("评分咨询有限公司")
    e1, e2 = w.pool[0], w.pool[1]
    _rated_review(w, w.case_north, 2024, {e1: 2, e2: 5}, agency_rating=3)
    _rated_review(w, w.case_south, 2025, {e1: 4}, agency_rating=4)
    _rated_review(w, w.case_north, 2025, {e1: 3, e2: 4}, agency_rating=5)
    w.e1, w.e2 = e1, e2
    return w


def test_ratings_per_agency_and_expert_with_the_trend_by_year(rated):
    w = rated
    summary = quality.ratings_summary(w.users["city"])
    assert summary.years == [2024, 2025]
    experts = {e.pk: e for e in summary.experts}
    assert (experts[w.e1.pk].count, str(experts[w.e1.pk].mean)) == (3, "3.00")
    assert [str(m) for m in experts[w.e1.pk].trend(summary.years)] == ["2.00", "3.50"]
    assert (experts[w.e2.pk].count, str(experts[w.e2.pk].mean)) == (2, "4.50")
    assert [str(m) for m in experts[w.e2.pk].trend(summary.years)] == ["5.00", "4.00"]
    (agency,) = summary.agencies
    assert (agency.pk, agency.count, str(agency.mean)) == (w.agency.pk, 3, "4.00")
    assert [str(m) for m in agency.trend(summary.years)] == ["3.00", "4.50"]


def test_the_ratings_page_for_the_city_and_the_province(rated, client_for):
    w = rated
    url = reverse("quality-ratings")
    for role in ("city", "province"):
        page = client_for(w.users[role]).get(url).content.decode()
        assert w.e1.name in page and "3.50" in page and "4.50" in page and w.agency.name in page, role
    for role in ("district", "supervisor", "enterprise", "expert", "agency", "auditor"):
        assert client_for(w.users[role]).get(url).status_code == 404, role


def test_the_ratings_page_query_count_is_flat(
    rated, client_for, django_assert_num_queries, django_assert_max_num_queries
):
    w = rated
    client = client_for(w.users["city"])
    url = reverse("quality-ratings")
    client.get(url)
    with django_assert_max_num_queries(60) as small:
        client.get(url)
    n = len(small.captured_queries)
    for year in (2022, 2023):
        _rated_review(w, w.case_south, year, {e: 1 + i % 5 for i, e in enumerate(w.pool)}, agency_rating=2)
    with django_assert_num_queries(n):
        page = client.get(url).content.decode()
    assert "2022" in page


# The draw's rating floor --------------------------------------------------------------------------


def _floor(amount, needed=3):
    Rule.objects.filter(code=RATING_FLOOR).update(amount=amount)
    Rule.objects.filter(code=RATING_FLOOR_MIN_COUNT).update(amount=needed)


@pytest.fixture
def low_rated(evaluating):
    """One expert of the pool rated 1, 2 and 2 on three earlier reviews (mean 1.67)."""
    w = evaluating
    w.low = w.pool[0]
    for year, rating in ((2023, 1), (2024, 2), (2025, 2)):
        _rated_review(w, w.case_south, year, {w.low: rating})
    return w


def _excluded(panel):
    return {x["expert"]: [r["rule"] for r in x["reasons"]] for x in panel.record["exclusions"]}


def test_the_floor_is_off_by_default(low_rated):
    w = low_rated
    assert Rule.objects.get(code=RATING_FLOOR).amount == 0
    assert Rule.objects.get(code=RATING_FLOOR).basis == "U"
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    assert w.low.pk in [c["expert"] for c in panel.record["candidates"]]
    assert panel.record["rules"]["rating_floor"] == {"floor": 0, "min_ratings": 3}


def test_the_floor_excludes_a_low_rated_expert_and_the_draw_verifies(low_rated):
    w = low_rated
    _floor(2)
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    assert w.low.pk not in [c["expert"] for c in panel.record["candidates"]]
    assert _excluded(panel)[w.low.pk] == ["rating_floor"]
    (reasons,) = [x["reasons"] for x in panel.record["exclusions"] if x["expert"] == w.low.pk]
    assert "1.67" in reasons[0]["detail"]
    assert panel.record["rules"]["rating_floor"] == {"floor": 2, "min_ratings": 3}
    assert record_digest(panel.record) == panel.record_sha256
    assert panel_verify(panel=panel, actor=w.users["city"])["matches"]
    assert not PanelSeat.objects.filter(panel=panel, expert=w.low).exists()


def test_the_floor_waits_for_enough_ratings_and_spares_the_well_rated(low_rated):
    w = low_rated
    _floor(2, needed=4)
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    assert w.low.pk in [c["expert"] for c in panel.record["candidates"]]


def test_a_mean_equal_to_the_floor_is_kept(evaluating):
    w = evaluating
    for year in (2023, 2024, 2025):
        _rated_review(w, w.case_south, year, {w.pool[1]: 3})
    _floor(3)
    panel = panel_draw(review_id=w.review.pk, actor=w.users["city"])
    assert w.pool[1].pk in [c["expert"] for c in panel.record["candidates"]]


def test_too_few_after_the_floor_names_the_reason(evaluating):
    w = evaluating
    for year in (2023, 2024, 2025):
        _rated_review(w, w.case_south, year, {e: 1 for e in w.pool[:3]})
    _floor(2)
    with pytest.raises(ReviewRefused) as refused:
        panel_draw(review_id=w.review.pk, actor=w.users["city"])
    assert f"{selectors.Exclusion.label('rating_floor')} 3" in refused.value.message
    assert not Panel.objects.filter(review=w.review).exists()
    assert Expert.objects.filter(pk=w.pool[0].pk, last_drawn_on__isnull=True).exists()


def test_the_review_page_shows_the_floor_before_the_draw(low_rated, client_for):
    w = low_rated
    url = reverse("review-detail", args=[w.review.pk])
    client = client_for(w.users["city"])
    label = selectors.Exclusion.label("rating_floor")
    assert label not in client.get(url).content.decode()
    _floor(2)
    page = client.get(url).content.decode()
    assert label in page and "1.67" in page


def test_when_the_district_organises_the_district_rates(concluded):
    """The bureau side of the review rates its experts: with the city's setting giving reviews to the
    districts, the district where the enterprise lies, not the city."""
    w = concluded
    bureau_settings_set(jurisdiction=w.city, actor=w.users["city"], review_organiser="district")
    w.review = Review.objects.get(pk=w.review.pk)
    with pytest.raises(ReviewNotFound):
        _rate(w, w.seats[0], 3, actor="city")
    assert _rate(w, w.seats[0], 3, actor="district").given_by == w.users["district"]
