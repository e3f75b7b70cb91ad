"""Review meetings through the API: the organiser creates a meeting, sets dates, draws one shared panel
and publishes the batch; the chair asks for a revision and signs it off after the enterprise hands in its
revised report; anyone objects during the 公示 and the organiser answers. Each step is the service the
pages call; scope 404, role 403, state 409 and bad input 400 come in the one error shape."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from qingshen.accounts.api_tokens import api_token_create
from qingshen.demo import walk
from qingshen.programmes.models import Listing
from qingshen.reviews.models import Objection, Panel, PanelSeat, ReviewMeeting, RevisionRequest, RubricItem
from qingshen.reviews.services import conclusion, meetings
from qingshen.trail.models import Event
from tests import factories as f

SHAPE = {"code", "message", "fields"}


def post(client, url, data=None):
    return client.post(url, data or {}, format="json")


@pytest.fixture
def two(world):
    """Both cases under evaluation (accepted applications) that the city's environment bureau organises,
    with a pool of 7 experts for their industry (as tests/reviews/test_meetings.py)."""
    Listing.objects.filter(pk=world.case_south.listing_id).update(
        grounds=["emissions"], lead_authority="environment"
    )
    world.case_south.refresh_from_db()
    f.disclosure_ready(world.case_south, world.users["enterprise_south"])
    for case, ent_user in ((world.case_north, "enterprise"), (world.case_south, "enterprise_south")):
        f.walk(case, "evaluating", city_user=world.users["city"], enterprise_user=world.users[ent_user])
    world.pool = walk.expert_pool_ensure(industry=world.case_north.enterprise.industry, count=7)
    world.rev_north = walk.open_review(world.case_north, "evaluation")
    world.rev_south = walk.open_review(world.case_south, "evaluation")
    return world


def _body(world, **extra):
    return {
        "kind": "evaluation",
        "held_on": "2026-12-20",
        "place": "市生态环境局三楼会议室",
        "panel_mode": "shared",
        "reviews": [world.rev_north.pk, world.rev_south.pk],
        **extra,
    }


@pytest.fixture
def meeting(two, api_as):
    response = post(api_as(two.users["city"], "write"), "/api/v1/meetings/", _body(two))
    assert response.status_code == 201, response.content
    return ReviewMeeting.objects.get(pk=response.json()["id"])


def _score_all(review):
    items = [i for i in review.rubric.items.all() if i.kind != RubricItem.Kind.VETO]
    points = {i.pk: str(i.max_points * Decimal("0.9")) for i in items}
    for seat in review.panel.seats.select_related("expert__user"):
        conclusion.score_submit(seat_id=seat.pk, actor=seat.expert.user, points=points)


def _chair(review):
    return (
        PanelSeat.objects.select_related("expert__user").get(panel__review=review, is_chair=True).expert.user
    )


def _client(user, scope="write"):
    """A client of its own per user (api_as shares one client, switching its token)."""
    _, key = api_token_create(
        user=user, name="脚本", scope=scope, expires_on=timezone.localdate() + datetime.timedelta(days=9)
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_a_meeting_from_creation_to_its_answered_objection(two, meeting):
    world = two
    city = _client(world.users["city"])
    url = f"/api/v1/meetings/{meeting.pk}/"
    dates = f"{url}cases/{world.rev_north.pk}/dates/"
    late_visit = post(city, dates, {"site_visit_on": "2026-12-25", "meeting_on": "2026-12-20"})
    assert late_visit.status_code == 400 and "site_visit_on" in late_visit.json()["fields"]
    answered = post(city, dates, {"site_visit_on": "2026-12-18", "meeting_on": "2026-12-20"})
    assert answered.status_code == 200, answered.content
    north_row = next(a for a in answered.json()["applications"] if a["review"] == world.rev_north.pk)
    assert north_row["site_visit_on"] == "2026-12-18" and north_row["meeting_on"] == "2026-12-20"

    drawn = post(city, f"{url}draw/")
    assert drawn.status_code == 200 and all(a["panel"] for a in drawn.json()["applications"])
    again = post(city, f"{url}draw/")
    assert again.status_code == 409 and again.json()["status"] == "open" and Panel.objects.count() == 2
    for user in {s.expert.user for s in PanelSeat.objects.select_related("expert__user")}:
        meetings.meeting_seats_accept(meeting_id=meeting.pk, actor=user, no_conflict=True)
    world.rev_north.refresh_from_db()
    world.rev_south.refresh_from_db()
    _score_all(world.rev_north)
    _score_all(world.rev_south)

    # The chair asks the northern enterprise to revise; it hands in its report; the chair signs it off.
    chair = _client(_chair(world.rev_north))
    revisions_url = f"/api/v1/reviews/{world.rev_north.pk}/revisions/"
    for path in (revisions_url, f"{revisions_url}sign-off/"):
        # the bureau sees the review but is not its chair; the other district does not see it
        assert post(city, path, {"items": ["x"]}).status_code == 403
        assert post(_client(world.users["district_south"]), path, {"items": ["x"]}).status_code == 404
    asked = post(chair, f"/api/v1/reviews/{world.rev_north.pk}/revisions/", {"items": ["补充物料平衡"]})
    assert asked.status_code == 201, asked.content
    assert RevisionRequest.objects.get(pk=asked.json()["id"]).items == ["补充物料平衡"]
    early = post(chair, f"/api/v1/reviews/{world.rev_north.pk}/revisions/sign-off/")
    assert early.status_code == 409 and early.json()["status"] == "accepted"
    report = f"/api/v1/reviews/{world.rev_north.pk}/revisions/report/"
    pdf = SimpleUploadedFile("修改稿.pdf", b"%PDF-1.4\n% revised\n", content_type="application/pdf")
    assert _client(world.users["city"]).post(report, {"file": pdf}, format="multipart").status_code == 403
    assert _client(world.users["enterprise"]).post(report, {}, format="multipart").status_code == 400
    pdf.seek(0)
    handed = _client(world.users["enterprise"]).post(report, {"file": pdf}, format="multipart")
    assert handed.status_code == 200 and handed.json()["document"], handed.content
    signed = post(
        chair, f"/api/v1/reviews/{world.rev_north.pk}/revisions/sign-off/", {"note": "已按意见修改"}
    )
    assert signed.status_code == 200 and signed.json()["is_open"] is False
    none_open = post(chair, f"/api/v1/reviews/{world.rev_north.pk}/revisions/sign-off/")
    assert none_open.status_code == 409 and none_open.json()["code"] == "refused"
    for review in (world.rev_north, world.rev_south):
        conclusion.review_confirm(review_id=review.pk, actor=_chair(review), render_opinions=False)

    published = post(city, f"{url}publish/")
    assert published.status_code == 200 and published.json()["status"] == "notice"
    assert published.json()["notice_until"] > published.json()["notice_from"]
    republished = post(city, f"{url}publish/")
    assert republished.status_code == 409 and republished.json()["status"] == "notice"

    # Anyone objects during the notice, without a token; the organiser answers once.
    lodge = f"/api/v1/public/notices/{meeting.pk}/objections/"
    anyone = APIClient()
    objection = {
        "review": world.rev_south.pk,
        "name": "张三",
        "contact": "13800000000",
        "text": "仍有超标排放。",
    }
    lodged = post(anyone, lodge, objection)
    assert lodged.status_code == 201 and "contact" not in lodged.json(), lodged.content
    assert post(anyone, lodge, {**objection, "name": ""}).status_code == 400
    wrong = post(anyone, lodge, {**objection, "review": world.rev_south.pk + 999})
    assert wrong.status_code == 400 and set(wrong.json()) == SHAPE and "review" in wrong.json()["fields"]
    seen = city.get(url).json()
    assert [o["contact"] for o in seen["objections"]] == ["13800000000"] and seen["organiser_may_act"]
    district = _client(world.users["district"]).get(url).json()
    assert district["objections"] == [] and [a["review"] for a in district["applications"]] == [
        world.rev_north.pk
    ]
    pk = Objection.objects.get().pk
    answer = f"{url}objections/{pk}/answer/"
    assert post(_client(world.users["district"]), answer, {"answer": "x"}).status_code == 403
    assert post(city, answer, {"answer": ""}).status_code == 400
    done = post(city, answer, {"answer": "经核查，已整改。"})
    assert done.status_code == 200 and done.json()["answered_at"]
    assert post(city, answer, {"answer": "再答"}).status_code == 409
    logged = set(Event.objects.filter(action__startswith="review.").values_list("action", flat=True))
    assert {
        "review.meeting.create",
        "review.meeting.dates",
        "review.meeting.draw",
        "review.revision.request",
        "review.revision.submit",
        "review.revision.signoff",
        "review.meeting.publish",
        "review.objection.lodge",
        "review.objection.answer",
    } <= logged


def test_who_sees_and_who_may_act(two, meeting):
    world = two
    url = f"/api/v1/meetings/{meeting.pk}/"
    for role in ("enterprise", "agency", "sysadmin"):
        client = _client(world.users[role])
        assert client.get("/api/v1/meetings/").json()["results"] == []
        response = client.get(url)
        assert response.status_code == 404 and set(response.json()) == SHAPE
    assert _client(world.users["province"]).get(url).status_code == 200
    assert [m["id"] for m in _client(world.users["city"]).get("/api/v1/meetings/").json()["results"]] == [
        meeting.pk
    ]
    # The district sees the meeting (it gathers its enterprise) but does not organise it.
    district = _client(world.users["district"])
    assert district.get(url).json()["organiser_may_act"] is False
    for step in ("draw/", "publish/", f"cases/{world.rev_north.pk}/dates/"):
        response = post(district, f"{url}{step}")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert post(_client(world.users["enterprise"]), "/api/v1/meetings/", _body(world)).status_code == 403
    assert post(_client(world.users["city"], "read"), f"{url}draw/").status_code == 403
    # Nobody but the chair asks for a revision; an enterprise out of scope is told nothing exists.
    revisions = f"/api/v1/reviews/{world.rev_north.pk}/revisions/"
    assert post(_client(world.users["city"]), revisions, {"items": ["x"]}).status_code == 403
    assert post(_client(world.users["enterprise_south"]), revisions, {"items": ["x"]}).status_code == 404
    # The meeting is not on public notice: no objection is taken.
    lodge = post(APIClient(), f"/api/v1/public/notices/{meeting.pk}/objections/", {"name": "a"})
    assert lodge.status_code == 404
    assert not Objection.objects.exists() and not Panel.objects.exists()


def test_bad_meetings_are_400_or_409_and_change_nothing(two, meeting):
    world = two
    city = _client(world.users["city"])
    for bad in (
        {"reviews": []},
        {"place": ""},
        {"panel_mode": "everyone"},
        {"held_on": "not a date"},
        {"reviews": [world.rev_north.pk + 999]},
    ):
        response = post(city, "/api/v1/meetings/", _body(world, **bad))
        assert response.status_code == 400 and set(response.json()) == SHAPE, bad
        assert set(bad) <= set(response.json()["fields"]), response.json()
    taken = post(city, "/api/v1/meetings/", _body(world, reviews=[world.rev_north.pk]))
    assert taken.status_code == 409 and taken.json()["code"] == "refused"  # already in a meeting
    assert ReviewMeeting.objects.count() == 1
    early = post(city, f"/api/v1/meetings/{meeting.pk}/publish/")
    assert early.status_code == 409 and early.json()["status"] == "open"
    assert post(city, "/api/v1/meetings/999999/draw/").status_code == 404
    assert post(city, f"/api/v1/meetings/{meeting.pk}/cases/x1/dates/").status_code == 404
    assert (
        post(city, f"/api/v1/meetings/{meeting.pk}/objections/１/answer/", {"answer": "a"}).status_code == 404
    )
