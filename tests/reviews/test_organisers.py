"""Who organises reviews (domain.md §8, issue 15 item 2): the city or the district where the enterprise
lies, as the city sets it and a programme overrides it. The organiser checks completeness, draws the
panel from the city's pool, and owns the accountability records of its deadlines; a district never
touches another district's case, and sees the pool read-only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.cases.models import AuditCase, CaseDeadline
from qingshen.core.errors import Refused
from qingshen.demo import walk
from qingshen.oversight import scoping as oversight_scoping
from qingshen.oversight.models import AccountabilityRecord
from qingshen.oversight.services import accountability_detect
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Listing
from qingshen.programmes.organiser import programme_review_organiser_set
from qingshen.registry.bureaus import bureau_settings_set
from qingshen.registry.models import BureauSettings
from qingshen.reviews import scoping
from qingshen.reviews.errors import ReviewNotFound, ReviewRefused
from qingshen.reviews.models import Expert, ExpertConflict, Panel, PanelSeat, Review, RubricItem
from qingshen.reviews.services.applications import review_check
from qingshen.reviews.services.conflicts import conflict_pin
from qingshen.reviews.services.draw import panel_draw
from qingshen.trail.models import Event
from tests import factories as f
from tests.reviews.test_pages import _files

# (setting, who organises case_north, the other bureau over it that now only watches)
SETTINGS = [("city", "city", "district"), ("district", "district", "city")]


def _organise_by(world, setting: str) -> None:
    bureau_settings_set(jurisdiction=world.city, actor=world.users["city"], review_organiser=setting)


def _south_environment_led(world):
    """case_south is energy-only, led by the energy-saving authority (tests/cases/test_energy_lead.py);
    here it is listed for emissions so that the environment bureaus organise it."""
    Listing.objects.filter(pk=world.case_south.listing_id).update(
        grounds=["emissions"], lead_authority="environment"
    )
    world.case_south.refresh_from_db()
    world.case_south.listing.refresh_from_db()
    f.disclosure_ready(world.case_south, world.users["enterprise_south"])


@pytest.fixture
def submitted_north(world):
    return f.walk(
        world.case_north,
        "report_submitted",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )


@pytest.mark.parametrize(("setting", "organiser", "bystander"), SETTINGS)
def test_a_whole_review_through_the_pages_by_the_organiser(
    world, client_for, submitted_north, pdf_renderer, setting, organiser, bystander
):
    _organise_by(world, setting)
    me, other, outsider = world.users[organiser], world.users[bystander], world.users["district_south"]
    # The enterprise applies.
    client = client_for(world.users["enterprise"])
    client.post(reverse("review-apply", args=[submitted_north.pk, "evaluation"]), _files("evaluation"))
    review = Review.objects.get(case=submitted_north)
    detail, check = reverse("review-detail", args=[review.pk]), reverse("review-check", args=[review.pk])

    # Completeness: the organiser has the form; the other bureau sees the page without it and is
    # refused; the other district does not find the case at all.
    assert 'id="check-form"' in client_for(me).get(detail).content.decode()
    assert 'id="check-form"' not in client_for(other).get(detail).content.decode()
    client_for(other).post(check, {"decision": "accept"})
    assert client_for(outsider).get(detail).status_code == 404
    assert client_for(outsider).post(check, {"decision": "accept"}).status_code == 404
    assert Review.objects.get(pk=review.pk).status == "applied"
    client_for(me).post(check, {"decision": "accept"})
    review.refresh_from_db()
    assert review.status == "accepted" and review.checked_by == me

    # The draw from the city's pool: the organiser's alone.
    walk.expert_pool_ensure(industry=submitted_north.enterprise.industry, count=6)
    draw = reverse("panel-draw", args=[review.pk])
    assert 'id="draw-form"' in client_for(me).get(detail).content.decode()
    assert 'id="draw-form"' not in client_for(other).get(detail).content.decode()
    client_for(other).post(draw)
    assert client_for(outsider).post(draw).status_code == 404
    assert not Panel.objects.exists()
    client_for(me).post(draw)
    panel = Panel.objects.get(review=review)
    review.refresh_from_db()
    assert panel.drawn_by == me
    assert set(
        Event.objects.filter(action__in=["review.check", "panel.draw"]).values_list("actor", flat=True)
    ) == {me.pk}

    # The experts answer and score on their pages, the chair confirms: the conclusion.
    seats = list(panel.seats.select_related("expert__user").order_by("position"))
    items = [i for i in review.rubric.items.all() if i.kind == RubricItem.Kind.SCORED]
    for seat in seats:
        expert = client_for(seat.expert.user)
        expert.post(reverse("seat-respond", args=[seat.pk]), {"answer": "accept", "no_conflict": "on"})
        points = {
            f"item_{i.pk}": str((i.max_points * Decimal("0.9")).quantize(Decimal("0.5"))) for i in items
        }
        expert.post(reverse("score-submit", args=[seat.pk]), points)
    chair = next(s for s in seats if s.is_chair)
    client_for(chair.expert.user).post(
        reverse("review-confirm", args=[chair.pk]), {"requirements": "按期实施"}
    )
    review.refresh_from_db()
    assert review.outcome == "pass"
    assert AuditCase.objects.get(pk=submitted_north.pk).state == "implementing"


def test_the_organisers_staff_hear_of_a_new_application(world, submitted_north):
    from qingshen.notifications.models import Notification

    _organise_by(world, "district")
    walk.application_submit(
        case=submitted_north,
        kind="evaluation",
        actor=world.users["enterprise"],
        day=submitted_north.published_on,
    )
    told = set(
        Notification.objects.filter(subject__contains=world.ent_north.name).values_list(
            "recipient", flat=True
        )
    )
    assert world.users["district"].pk in told
    assert world.users["city"].pk not in told and world.users["district_south"].pk not in told


def test_a_district_organises_only_its_own_cases(world):
    """case_south, organised by districts: the north district neither sees it nor may act on it."""
    _organise_by(world, "district")
    _south_environment_led(world)
    south = f.walk(
        world.case_south,
        "evaluation_applied",
        city_user=world.users["district_south"],
        enterprise_user=world.users["enterprise_south"],
    )
    review = walk.open_review(south, "evaluation")
    north = world.users["district"]
    assert not scoping.may_organise_review(north, review)
    assert scoping.may_organise_review(world.users["district_south"], review)
    assert not scoping.may_organise_review(world.users["city"], review)
    with pytest.raises(ReviewNotFound):
        review_check(review_id=review.pk, actor=north, accept=True)
    with pytest.raises(ReviewRefused):  # the city sees the case but does not organise it
        review_check(review_id=review.pk, actor=world.users["city"], accept=True)
    assert Review.objects.get(pk=review.pk).status == "applied"


def test_a_district_organises_only_its_own_cases_through_the_pages(world, client_for):
    _organise_by(world, "district")
    _south_environment_led(world)
    south = f.walk(
        world.case_south,
        "evaluating",
        city_user=world.users["district_south"],
        enterprise_user=world.users["enterprise_south"],
    )
    review = walk.open_review(south, "evaluation")
    walk.expert_pool_ensure(industry=south.enterprise.industry, count=6)
    client = client_for(world.users["district"])
    assert client.get(reverse("review-detail", args=[review.pk])).status_code == 404
    assert client.post(reverse("panel-draw", args=[review.pk])).status_code == 404
    assert client.post(reverse("panel-verify", args=[review.pk])).status_code == 404
    assert not Panel.objects.exists()


def test_an_enterprise_under_the_city_itself_stays_the_citys(world):
    """The setting gives the work to the district where the enterprise lies; one filed under the city
    has none, so the city organises its reviews."""
    _organise_by(world, "district")
    case = world.case_north
    case.jurisdiction = world.city
    assert scoping.may_organise_review(world.users["city"], Review(case=case))


def test_the_programme_overrides_the_citys_setting(world, submitted_north):
    review = walk.application_submit(
        case=submitted_north,
        kind="evaluation",
        actor=world.users["enterprise"],
        day=submitted_north.published_on,
    )
    city, north = world.users["city"], world.users["district"]

    def organisers():
        r = Review.objects.select_related("case__programme__city", "case__jurisdiction").get(pk=review.pk)
        return {u.username for u in (city, north) if scoping.may_organise_review(u, r)}

    assert organisers() == {city.username}  # no setting: the city
    programme_review_organiser_set(programme=world.programme, actor=city, organiser="district")
    assert organisers() == {north.username}
    _organise_by(world, "district")
    programme_review_organiser_set(programme=world.programme, actor=city, organiser="city")
    assert organisers() == {city.username}
    programme_review_organiser_set(programme=world.programme, actor=city, organiser="")
    assert organisers() == {north.username}  # back to the city's setting
    assert Event.objects.filter(action="programme.review_organiser").count() == 3


def test_only_the_city_sets_who_organises(world):
    north, programme = world.users["district"], world.programme
    with pytest.raises(ProgrammeError):
        programme_review_organiser_set(programme=programme, actor=north, organiser="district")
    with pytest.raises(ProgrammeError):
        programme_review_organiser_set(programme=programme, actor=world.users["city"], organiser="province")
    with pytest.raises(Refused):
        bureau_settings_set(jurisdiction=world.city, actor=north, review_organiser="district")
    with pytest.raises(Refused):
        bureau_settings_set(jurisdiction=world.city, actor=world.users["city"], review_organiser="anyone")
    with pytest.raises(Refused):  # a district names its review section, not the city's choice
        bureau_settings_set(jurisdiction=world.north, actor=north, review_organiser="district")
    programme.refresh_from_db()
    assert programme.review_organiser == "" and not BureauSettings.objects.exists()
    bureau_settings_set(jurisdiction=world.north, actor=north, review_section="  环评科 ")
    assert BureauSettings.objects.get(jurisdiction=world.north).review_section == "环评科"


# --- the pool stays the city's ---------------------------------------------------------------------


def test_a_district_sees_the_pool_read_only(world, client_for):
    _organise_by(world, "district")
    expert = f.expert("周工")
    client = client_for(world.users["district"])
    assert client.get(reverse("expert-list")).status_code == 200
    page = client.get(reverse("expert-detail", args=[expert.pk]))
    assert page.status_code == 200 and "周工" in page.content.decode()
    assert 'action="/experts/' not in client.get(reverse("expert-list")).content.decode()
    # Every write is refused and changes nothing.
    assert client.get(reverse("expert-new")).status_code == 404
    assert client.post(reverse("expert-new"), {"name": "李工", "industries": "26"}).status_code == 404
    assert client.get(reverse("expert-import")).status_code == 404
    client.post(reverse("expert-active", args=[expert.pk]), {})
    client.post(reverse("expert-detail", args=[expert.pk]))  # a new first-login link
    expert.refresh_from_db()
    assert expert.is_active and expert.user is None and Expert.objects.count() == 1
    with pytest.raises(ReviewNotFound):
        conflict_pin(
            actor=world.users["district"], expert_id=expert.pk, enterprise=world.ent_north, reason="x"
        )
    assert not ExpertConflict.objects.exists()


def test_the_district_organiser_draws_but_does_not_pin_conflicts_in_the_pool(
    world, client_for, submitted_north
):
    _organise_by(world, "district")
    review = walk.application_submit(
        case=submitted_north,
        kind="evaluation",
        actor=world.users["enterprise"],
        day=submitted_north.published_on,
    )
    north = world.users["district"]
    review_check(review_id=review.pk, actor=north, accept=True)
    pool = walk.expert_pool_ensure(industry=submitted_north.enterprise.industry, count=6)
    client = client_for(north)
    page = client.get(reverse("review-detail", args=[review.pk])).content.decode()
    assert 'id="draw-form"' in page and 'id="pin-form"' not in page
    client.post(reverse("conflict-pin", args=[review.pk]), {"expert": pool[0].pk, "reason": "曾任顾问"})
    assert not ExpertConflict.objects.exists()


# --- accountability records are the organiser's --------------------------------------------------------


@pytest.mark.parametrize(("setting", "organiser", "bystander"), SETTINGS)
def test_a_refused_complete_application_is_the_organisers_record(
    world, submitted_north, setting, organiser, bystander
):
    _organise_by(world, setting)
    bureau_settings_set(jurisdiction=world.north, actor=world.users["district"], review_section="环评科")
    review = walk.application_submit(
        case=submitted_north,
        kind="evaluation",
        actor=world.users["enterprise"],
        day=submitted_north.published_on,
    )
    review_check(
        review_id=review.pk, actor=world.users[organiser], accept=False, override_reason="报告造假嫌疑"
    )
    record = AccountabilityRecord.objects.get(case=submitted_north, kind="refused_complete")
    if setting == "district":
        assert record.responsible_section == "北区·环评科"
        assert oversight_scoping.accountability_owner(record) == world.north
    else:
        assert "北区" not in record.responsible_section
        assert oversight_scoping.accountability_owner(record) == world.city
    assert oversight_scoping.may_close_accountability(world.users[organiser], record)
    assert not oversight_scoping.may_close_accountability(world.users[bystander], record)
    assert not oversight_scoping.may_close_accountability(world.users["district_south"], record)
    assert not oversight_scoping.may_close_accountability(world.users["supervisor"], record)


def test_an_overdue_check_is_the_district_organisers_record_and_its_to_close(world, client_for):
    """The sweep finds the completeness check overdue: the record names the district that organises
    the case, the district closes it on the list page, the city (which only watches) cannot."""
    _organise_by(world, "district")
    bureau_settings_set(jurisdiction=world.north, actor=world.users["district"], review_section="环评科")
    f.walk(
        world.case_north,
        "evaluation_applied",
        city_user=world.users["district"],
        enterprise_user=world.users["enterprise"],
    )
    deadline = CaseDeadline.objects.get(case=world.case_north, kind="evaluation_check", status="open")
    today = deadline.due_on + datetime.timedelta(days=3)
    assert accountability_detect(today=today) == 1
    record = AccountabilityRecord.objects.get(deadline=deadline)
    assert record.kind == "not_checked" and record.responsible_section == "北区·环评科"

    city = client_for(world.users["city"])
    page = city.get(reverse("accountability-list")).content.decode()
    assert "北区·环评科" in page and reverse("accountability-close", args=[record.pk]) not in page
    city.post(reverse("accountability-close", args=[record.pk]), {"explanation": "已督办"})
    record.refresh_from_db()
    assert record.closed_at is None
    assert (
        client_for(world.users["district_south"])
        .post(reverse("accountability-close", args=[record.pk]), {"explanation": "x"})
        .status_code
        == 404
    )
    north = client_for(world.users["district"])
    assert (
        reverse("accountability-close", args=[record.pk])
        in north.get(reverse("accountability-list")).content.decode()
    )
    north.post(reverse("accountability-close", args=[record.pk]), {"explanation": "已补办受理"})
    record.refresh_from_db()
    assert record.closed_at is not None and record.closed_by == world.users["district"]


def test_the_citys_records_keep_the_procedures_section(world):
    f.walk(
        world.case_north,
        "evaluation_applied",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    deadline = CaseDeadline.objects.get(case=world.case_north, kind="evaluation_check", status="open")
    accountability_detect(today=max(deadline.due_on, timezone.localdate()) + datetime.timedelta(days=3))
    record = AccountabilityRecord.objects.get(deadline=deadline)
    assert "北区" not in record.responsible_section
    assert oversight_scoping.may_close_accountability(world.users["city"], record)
    assert not oversight_scoping.may_close_accountability(world.users["district"], record)


def test_seats_stay_the_experts_own(world, submitted_north):
    """Districts read the pool; a seat is still only its expert's."""
    _organise_by(world, "district")
    review = walk.application_submit(
        case=submitted_north,
        kind="evaluation",
        actor=world.users["enterprise"],
        day=submitted_north.published_on,
    )
    review_check(review_id=review.pk, actor=world.users["district"], accept=True)
    walk.expert_pool_ensure(industry=submitted_north.enterprise.industry, count=6)
    panel_draw(review_id=review.pk, actor=world.users["district"])
    assert not scoping.seats_visible(world.users["district"]).exists()
    assert PanelSeat.objects.count() == 5


def test_only_the_owner_closes_a_record_through_the_service(world, submitted_north):
    from qingshen.core.errors import NotFound
    from qingshen.oversight.services import accountability_close

    _organise_by(world, "district")
    review = walk.application_submit(
        case=submitted_north,
        kind="evaluation",
        actor=world.users["enterprise"],
        day=submitted_north.published_on,
    )
    review_check(review_id=review.pk, actor=world.users["district"], accept=False, override_reason="存疑")
    record = AccountabilityRecord.objects.get(case=submitted_north)
    for who in ("city", "district_south", "supervisor", "province"):
        with pytest.raises(NotFound):
            accountability_close(record_id=record.pk, explanation="已处理", actor=world.users[who])
    record.refresh_from_db()
    assert record.closed_at is None
    accountability_close(record_id=record.pk, explanation="已处理", actor=world.users["district"])
    record.refresh_from_db()
    assert record.closed_by == world.users["district"]
