"""Review writes through the API: an evaluation from the application to the chair's confirmation,
each step the same service call as the review pages (scope 404, role 403, state 409, bad input 400),
every step in the trail."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qingshen.cases.models import AuditCase, Document
from qingshen.demo import walk
from qingshen.reviews import selectors
from qingshen.reviews.models import Panel, PanelSeat, Review, RubricItem, Score
from qingshen.reviews.services.applications import item_candidates
from qingshen.trail.models import Event
from tests import factories as f


@pytest.fixture
def submitted(world):
    """case_north with its audit report submitted, and an expert pool for its industry."""
    case = f.walk(
        world.case_north,
        "report_submitted",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    walk.expert_pool_ensure(industry=case.enterprise.industry, count=7)
    return case


@pytest.fixture
def pdf_renderer():
    """The chair's confirmation renders the opinion with WeasyPrint (Pango from the system)."""
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:
        pytest.skip(f"WeasyPrint cannot load Pango here ({exc})")


def _pdf(name):
    return SimpleUploadedFile(f"{name[:40]}.pdf", b"%PDF-1.4\n% x\n", content_type="application/pdf")


def _application(case, kind="evaluation"):
    """The apply form's parts: a file per item, or the document the case holds for an issued one."""
    data = {"kind": kind}
    for item in selectors.checklist_for(kind):
        held = item_candidates(case, item)
        if item.document_kind in Document.ISSUED_KINDS and held:
            data[f"existing.{item.code}"] = held[0].pk
        else:
            data[f"materials.{item.code}"] = _pdf(item.name)
    return data


def apply(client, case, **extra):
    return client.post(
        f"/api/v1/cases/{case.pk}/reviews/", {**_application(case), **extra}, format="multipart"
    )


def post(client, url, data=None):
    return client.post(url, data or {}, format="json")


@pytest.fixture
def applied(world, submitted, api_as):
    response = apply(api_as(world.users["enterprise"], "write"), submitted)
    assert response.status_code == 201, response.content
    return Review.objects.get(pk=response.json()["id"])


@pytest.fixture
def accepted(world, applied, api_as):
    response = post(
        api_as(world.users["city"], "write"), f"/api/v1/reviews/{applied.pk}/check/", {"decision": "accept"}
    )
    assert response.status_code == 200, response.content
    return applied


@pytest.fixture
def seats(world, accepted, api_as):
    response = post(api_as(world.users["city"], "write"), f"/api/v1/reviews/{accepted.pk}/panel/")
    assert response.status_code == 201, response.content
    return list(
        PanelSeat.objects.filter(panel__review=accepted).select_related("expert__user").order_by("position")
    )


def _sheet(review, share="0.9"):
    items = RubricItem.objects.filter(rubric=Review.objects.get(pk=review.pk).rubric)
    return {
        str(i.pk): f"{(i.max_points * Decimal(share)).quantize(Decimal('0.5'))}"
        for i in items
        if i.kind == RubricItem.Kind.SCORED
    }


def _answer(api_as, seat, **data):
    return post(api_as(seat.expert.user, "write"), f"/api/v1/seats/{seat.pk}/answer/", data)


def _score(api_as, seat, points, **data):
    return post(
        api_as(seat.expert.user, "write"), f"/api/v1/seats/{seat.pk}/score-sheet/", {"points": points, **data}
    )


def test_a_whole_evaluation_through_the_api(world, submitted, api_as, pdf_renderer):
    enterprise = api_as(world.users["enterprise"], "write")
    response = apply(enterprise, submitted)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "evaluation" and body["status"] == "applied" and body["panel"] is None
    review = Review.objects.get(pk=body["id"])
    assert review.materials.count() == len(selectors.checklist_for("evaluation"))

    city = api_as(world.users["city"], "write")
    checked = post(city, f"/api/v1/reviews/{review.pk}/check/", {"decision": "accept"})
    assert checked.status_code == 200 and checked.json()["status"] == "accepted"
    drawn = post(city, f"/api/v1/reviews/{review.pk}/panel/")
    assert drawn.status_code == 201, drawn.content
    panel = drawn.json()["panel"]
    assert panel["size"] == len(panel["seats"]) and panel["record_sha256"]

    seats = list(PanelSeat.objects.filter(panel__review=review).select_related("expert__user"))
    for seat in seats:
        answered = _answer(api_as, seat, answer="accept", no_conflict=True)
        assert answered.status_code == 200 and answered.json()["status"] == "accepted"
        sheet = _score(api_as, seat, _sheet(review), comment="材料齐全")
        assert sheet.status_code == 201, sheet.content
        assert sheet.json()["seat"] == seat.pk and Decimal(sheet.json()["total"]) > 0
    chair = next(s for s in seats if s.is_chair)
    confirmed = post(api_as(chair.expert.user, "write"), f"/api/v1/reviews/{review.pk}/confirmation/")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "concluded" and confirmed.json()["outcome"] == "pass"
    case = AuditCase.objects.get(pk=submitted.pk)
    assert case.state != submitted.state and case.documents.filter(kind__in=Document.OPINION_KINDS).exists()

    trail = list(
        Event.objects.filter(object_id__in=[str(review.pk), str(review.panel.pk)]).values_list(
            "action", flat=True
        )
    )
    n = len(seats)
    for action, times in [
        ("review.apply", 1),
        ("review.check", 1),
        ("panel.draw", 1),
        ("panel.seat.accept", n),
        ("panel.score.submit", n),
        ("review.result", 1),
        ("review.confirm", 1),
    ]:
        assert trail.count(action) == times, (action, trail)
    assert Event.objects.get(action="review.check").actor == world.users["city"]
    assert Event.objects.get(action="review.confirm").actor == chair.expert.user


def test_a_read_token_may_not_apply(world, submitted, api_as):
    response = apply(api_as(world.users["enterprise"], "read"), submitted)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "role,code", [("city", 403), ("district_south", 404), ("enterprise_south", 404), ("expert", 404)]
)
def test_only_the_enterprise_applies(world, submitted, api_as, role, code):
    response = apply(api_as(world.users[role], "write"), submitted)
    assert response.status_code == code, response.content
    assert set(response.json()) >= {"code", "message", "fields"}
    assert not Review.objects.exists()
    assert AuditCase.objects.get(pk=submitted.pk).state == submitted.state


def test_an_application_in_the_wrong_state_is_409(world, api_as):
    response = apply(api_as(world.users["enterprise"], "write"), world.case_north)  # only listed
    assert response.status_code == 409
    assert response.json()["code"] == "refused" and response.json()["status"] == "listed"


def test_unknown_checklist_items_are_400(world, submitted, api_as):
    response = apply(
        api_as(world.users["enterprise"], "write"), submitted, **{"existing.nope": 5, "kind": "fly"}
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"kind"}
    response = apply(api_as(world.users["enterprise"], "write"), submitted, **{"existing.nope": 5})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"existing"}
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    "role,code",
    [("enterprise", 403), ("supervisor", 403), ("enterprise_south", 404), ("district_south", 404)],
)
def test_only_the_organising_bureau_checks(world, applied, api_as, role, code):
    response = post(
        api_as(world.users[role], "write"), f"/api/v1/reviews/{applied.pk}/check/", {"decision": "accept"}
    )
    assert response.status_code == code, response.content
    assert Review.objects.get(pk=applied.pk).status == "applied"
    assert not Event.objects.filter(action="review.check").exists()


def test_a_check_with_bad_input_is_400_with_the_fields(world, applied, api_as):
    response = post(
        api_as(world.users["city"], "write"),
        f"/api/v1/reviews/{applied.pk}/check/",
        {"decision": "maybe", "reason": "x" * 3000},
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"decision", "reason"}
    response = post(
        api_as(world.users["city"], "write"),
        f"/api/v1/reviews/{applied.pk}/check/",
        {"decision": "refuse", "missing": ["nope"]},
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"missing"}


def test_refusing_a_complete_application_needs_the_override(world, applied, api_as):
    city = api_as(world.users["city"], "write")
    url = f"/api/v1/reviews/{applied.pk}/check/"
    item = selectors.checklist_for("evaluation")[0]
    refused = post(city, url, {"decision": "refuse", "missing": [item.code], "reason": "盖章不清"})
    assert refused.status_code == 409 and refused.json()["status"] == "applied"
    response = post(city, url, {"decision": "refuse", "missing": [item.code], "override_reason": "盖章不清"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "refused" and response.json()["missing_items"] == [item.code]
    assert Event.objects.get(action="review.check").after["override"] is True


def test_a_second_check_is_409_with_the_status(world, accepted, api_as):
    response = post(
        api_as(world.users["city"], "write"), f"/api/v1/reviews/{accepted.pk}/check/", {"decision": "accept"}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "refused" and body["status"] == "accepted" and body["fields"] == {}
    assert Event.objects.filter(action="review.check").count() == 1


def test_a_draw_before_the_check_is_409(world, applied, api_as):
    response = post(api_as(world.users["city"], "write"), f"/api/v1/reviews/{applied.pk}/panel/")
    assert response.status_code == 409 and response.json()["status"] == "applied"
    assert not Panel.objects.exists()


@pytest.mark.parametrize("role,code", [("enterprise", 403), ("enterprise_south", 404)])
def test_only_the_organising_bureau_draws(world, accepted, api_as, role, code):
    response = post(api_as(world.users[role], "write"), f"/api/v1/reviews/{accepted.pk}/panel/")
    assert response.status_code == code
    assert not Panel.objects.exists()


def test_a_declined_seat_is_redrawn(world, seats, api_as):
    declined = _answer(api_as, seats[1], answer="decline", reason="出差")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    city = api_as(world.users["city"], "write")
    url = f"/api/v1/reviews/{seats[1].panel.review_id}/seats/{seats[1].pk}/redraw/"
    response = post(city, url)
    assert response.status_code == 201, response.content
    assert response.json()["replaces"] == seats[1].pk
    assert Event.objects.filter(action="panel.redraw").count() == 1
    again = post(city, url)
    assert again.status_code == 409 and again.json()["status"] == "accepted"
    accepted_seat = f"/api/v1/reviews/{seats[0].panel.review_id}/seats/{seats[0].pk}/redraw/"
    assert post(city, accepted_seat).status_code == 409


def test_an_answer_without_the_declaration_is_409(world, seats, api_as):
    response = _answer(api_as, seats[0], answer="accept")
    assert response.status_code == 409 and response.json()["code"] == "refused"
    assert PanelSeat.objects.get(pk=seats[0].pk).status == "invited"


def test_another_experts_seat_is_not_found(world, seats, api_as):
    other = seats[1].expert.user
    assert (
        post(
            api_as(other, "write"),
            f"/api/v1/seats/{seats[0].pk}/answer/",
            {"answer": "accept", "no_conflict": True},
        ).status_code
        == 404
    )
    assert (
        post(
            api_as(world.users["city"], "write"), f"/api/v1/seats/{seats[0].pk}/score-sheet/", {"points": {}}
        ).status_code
        == 404
    )


def test_scoring_before_accepting_is_409_and_twice_is_409(world, seats, api_as):
    seat = seats[0]
    review = seat.panel.review
    assert _score(api_as, seat, _sheet(review)).status_code == 409
    _answer(api_as, seat, answer="accept", no_conflict=True)
    assert _score(api_as, seat, _sheet(review)).status_code == 201
    again = _score(api_as, seat, _sheet(review, "0.5"))
    assert again.status_code == 409 and again.json()["status"] == "accepted"
    assert Score.objects.count() == 1


def test_bad_points_are_400_naming_the_item(world, seats, api_as):
    seat = seats[0]
    _answer(api_as, seat, answer="accept", no_conflict=True)
    points = _sheet(seat.panel.review)
    first = next(iter(points))
    points[first] = "999"
    response = _score(api_as, seat, {**points, "123456": "1"}, vetoes=[987654])
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {f"points.{first}", "points.123456", "vetoes"}
    assert not Score.objects.exists()


def _all_scored(api_as, seats):
    for seat in seats:
        _answer(api_as, seat, answer="accept", no_conflict=True)
        assert _score(api_as, seat, _sheet(seat.panel.review)).status_code == 201


def test_the_confirmation_before_every_sheet_is_409(world, seats, api_as):
    chair = next(s for s in seats if s.is_chair)
    _answer(api_as, chair, answer="accept", no_conflict=True)
    response = post(
        api_as(chair.expert.user, "write"), f"/api/v1/reviews/{chair.panel.review_id}/confirmation/"
    )
    assert response.status_code == 409 and response.json()["status"] == "accepted"


def test_only_the_chair_confirms(world, seats, api_as):
    _all_scored(api_as, seats)
    review_id = seats[0].panel.review_id
    member = next(s for s in seats if not s.is_chair)
    assert (
        post(api_as(member.expert.user, "write"), f"/api/v1/reviews/{review_id}/confirmation/").status_code
        == 403
    )
    assert (
        post(api_as(world.users["city"], "write"), f"/api/v1/reviews/{review_id}/confirmation/").status_code
        == 403
    )
    assert (
        post(
            api_as(world.users["enterprise_south"], "write"), f"/api/v1/reviews/{review_id}/confirmation/"
        ).status_code
        == 404
    )
    assert not Review.objects.get(pk=review_id).outcome


def test_a_rating_off_the_scale_is_400(world, seats, api_as):
    _all_scored(api_as, seats)
    chair = next(s for s in seats if s.is_chair)
    response = post(
        api_as(chair.expert.user, "write"),
        f"/api/v1/reviews/{chair.panel.review_id}/confirmation/",
        {"agency_rating": 999, "level": "IV"},
    )
    assert response.status_code == 400 and set(response.json()["fields"]) == {"agency_rating", "level"}
    assert not Review.objects.get(pk=chair.panel.review_id).outcome
