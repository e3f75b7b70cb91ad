"""Review meetings (集中评估/验收): a shared panel through the pages, a revision round, the 公示 with an
objection lodged and answered, finalisation when the period ends, and who is refused."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from qingshen.demo import walk
from qingshen.programmes.models import Listing
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import (
    ExpertConflict,
    Objection,
    Panel,
    PanelSeat,
    Review,
    ReviewMeeting,
    RevisionRequest,
    RubricItem,
)
from qingshen.reviews.services import conclusion, meetings, publicity, revisions
from qingshen.reviews.services.draw import panel_verify
from tests import factories as f


@pytest.fixture
def two(world):
    """Both cases under evaluation (accepted applications), a pool of 7 for their industry. case_south is
    energy-only in the world (led by the energy-saving authority); here it is listed for emissions so
    that the city's environment bureau organises both."""
    Listing.objects.filter(pk=world.case_south.listing_id).update(
        grounds=["emissions"], lead_authority="environment"
    )
    world.case_south.refresh_from_db()
    world.case_south.listing.refresh_from_db()
    f.disclosure_ready(world.case_south, world.users["enterprise_south"])
    for case, ent_user in ((world.case_north, "enterprise"), (world.case_south, "enterprise_south")):
        f.walk(case, "evaluating", city_user=world.users["city"], enterprise_user=world.users[ent_user])
    world.pool = walk.expert_pool_ensure(industry=world.case_north.enterprise.industry, count=7)
    world.north = walk.open_review(world.case_north, "evaluation")
    world.south = walk.open_review(world.case_south, "evaluation")
    return world


def _create(world, client, mode="shared"):
    response = client.post(
        reverse("meeting-list"),
        {
            "kind": "evaluation",
            "held_on": "2026-12-20",
            "place": "市生态环境局三楼会议室",
            "panel_mode": mode,
            "reviews": [world.north.pk, world.south.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReviewMeeting.objects.latest("pk")


def _score_all(review):
    items = list(review.rubric.items.all())
    points = {i.pk: str(i.max_points * Decimal("0.9")) for i in items if i.kind != RubricItem.Kind.VETO}
    for seat in review.panel.seats.select_related("expert__user"):
        conclusion.score_submit(seat_id=seat.pk, actor=seat.expert.user, points=points)


def _seat(review, *, chair: bool):
    return (
        PanelSeat.objects.select_related("expert__user").filter(panel__review=review, is_chair=chair).first()
    )


def test_shared_panel_revision_notice_objection_and_finalisation(two, client_for):
    world = two
    city = client_for(world.users["city"])
    meeting = _create(world, city)
    assert meeting.organiser == world.case_north.programme.city and meeting.cases.count() == 2
    dates = reverse("meeting-dates", args=[meeting.pk, world.north.pk])
    city.post(
        dates,
        {f"d{world.north.pk}-site_visit_on": "2026-12-25", f"d{world.north.pk}-meeting_on": "2026-12-20"},
    )
    assert meeting.cases.get(review=world.north).site_visit_on is None  # after the meeting: refused
    city.post(
        dates,
        {f"d{world.north.pk}-site_visit_on": "2026-12-18", f"d{world.north.pk}-meeting_on": "2026-12-20"},
    )
    assert meeting.cases.get(review=world.north).site_visit_on == datetime.date(2026, 12, 18)

    assert city.post(reverse("meeting-draw", args=[meeting.pk])).status_code == 302
    north, south = Panel.objects.get(review=world.north), Panel.objects.get(review=world.south)
    order = list(north.seats.order_by("position").values_list("expert_id", flat=True))
    assert order == list(south.seats.order_by("position").values_list("expert_id", flat=True))
    assert north.seed == south.seed and north.record["meeting"] == meeting.pk
    assert panel_verify(panel=north)["matches"] and panel_verify(panel=south)["matches"]
    again = city.post(reverse("meeting-draw", args=[meeting.pk]), follow=True)
    assert Panel.objects.count() == 2 and "alert-danger" in again.content.decode()

    # Each expert opens the meeting and accepts both seats at once.
    for seat in north.seats.select_related("expert__user"):
        expert = client_for(seat.expert.user)
        page = expert.get(reverse("expert-meeting", args=[meeting.pk])).content.decode()
        assert page.count("data-seat=") == 2 and "2026-12-18" in page
        expert.post(reverse("expert-meeting-accept", args=[meeting.pk]), {"no_conflict": "on"})
    assert set(PanelSeat.objects.values_list("status", flat=True)) == {"accepted"}
    world.north.refresh_from_db()
    world.south.refresh_from_db()
    _score_all(world.north)
    _score_all(world.south)

    # The chair asks the northern enterprise to revise; the conclusion waits for the sign-off.
    chair = _seat(world.north, chair=True)
    chair_client = client_for(chair.expert.user)
    chair_client.post(
        reverse("revision-request", args=[chair.pk]), {"items": "补充物料平衡\n核实节能量", "due_on": ""}
    )
    revision = RevisionRequest.objects.get()
    assert revision.items == ["补充物料平衡", "核实节能量"] and revision.due_on > timezone.localdate()
    with pytest.raises(ReviewRefused):
        conclusion.review_confirm(review_id=world.north.pk, actor=chair.expert.user, render_opinions=False)
    chair_client.post(reverse("revision-sign-off", args=[chair.pk]), {"note": ""})
    assert RevisionRequest.objects.get().is_open  # nothing handed in yet: refused

    ent = client_for(world.users["enterprise"])
    page = ent.get(reverse("case-revisions", args=[world.case_north.pk])).content.decode()
    assert "补充物料平衡" in page and 'id="revised-report-form"' in page
    upload = SimpleUploadedFile("修改稿.pdf", b"%PDF-1.4\n% revised\n", content_type="application/pdf")
    assert (
        ent.post(reverse("case-revisions", args=[world.case_north.pk]), {"file": upload}).status_code == 302
    )
    revision.refresh_from_db()
    assert revision.document.kind == "audit_report" and revision.revised_by == world.users["enterprise"]
    chair_client = client_for(chair.expert.user)
    assert 'id="signoff-form"' in chair_client.get(reverse("seat-detail", args=[chair.pk])).content.decode()
    chair_client.post(reverse("revision-sign-off", args=[chair.pk]), {"note": "已按意见修改"})
    assert not RevisionRequest.objects.get().is_open
    for review in (world.north, world.south):
        conclusion.review_confirm(
            review_id=review.pk, actor=_seat(review, chair=True).expert.user, render_opinions=False
        )

    # Published for 公示: the public sees it and anyone may object (CSRF on).
    city = client_for(world.users["city"])
    assert city.post(reverse("meeting-publish", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "notice" and meeting.notice_until > meeting.notice_from
    public = Client(enforce_csrf_checks=True)
    notice = reverse("public-notice", args=[meeting.pk])
    page = public.get(notice)
    assert page.status_code == 200 and world.case_north.enterprise.name in page.content.decode()
    objection = {
        "review": world.south.pk,
        "name": "张三",
        "contact": "13800000000",
        "text": "该企业仍有超标排放。",
    }
    assert public.post(notice, objection).status_code == 403  # no CSRF token
    token = public.cookies["csrftoken"].value
    assert public.post(notice, {**objection, "csrfmiddlewaretoken": token}).status_code == 302
    lodged = Objection.objects.get()
    assert lodged.review_id == world.south.pk and lodged.contact == "13800000000"

    # The period ends with the objection unanswered: not final; answered: final (sweep or on view).
    after = meeting.notice_until + datetime.timedelta(days=1)
    assert publicity.meetings_finalise_due(today=after) == 0
    city.post(
        reverse("objection-answer", args=[meeting.pk, lodged.pk]),
        {f"o{lodged.pk}-answer": "经核查，已整改。"},
    )
    assert Objection.objects.get().answered_by == world.users["city"]
    assert publicity.meetings_finalise_due(today=meeting.notice_until) == 0  # still running
    with time_machine.travel(datetime.datetime.combine(after, datetime.time(10)).astimezone(), tick=False):
        with pytest.raises(ReviewRefused):
            publicity.objection_lodge(meeting_id=meeting.pk, name="李四", contact="x@example.cn", text="晚了")
        assert Client().get(notice).status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == "final" and meeting.finalised_on == after


def test_shared_draw_keeps_each_enterprises_conflicts_for_the_whole_meeting(two):
    world = two
    barred = world.pool[0]
    ExpertConflict.objects.create(
        expert=barred,
        enterprise=world.case_south.enterprise,
        kind="pinned",
        reason="亲属",
        created_by=world.users["city"],
    )
    meeting = meetings.meeting_create(
        actor=world.users["city"],
        kind="evaluation",
        held_on=datetime.date(2026, 12, 20),
        place="会议室",
        panel_mode="shared",
        review_ids=[world.north.pk, world.south.pk],
    )
    panels = meetings.meeting_draw(meeting_id=meeting.pk, actor=world.users["city"])
    for panel in panels:
        assert barred.pk not in [c["expert"] for c in panel.record["candidates"]]
        assert not panel.seats.filter(expert=barred).exists()
    reasons = {e["expert"]: e["reasons"] for e in panels[0].record["exclusions"]}
    assert reasons[barred.pk][0]["rule"] == "pinned"
    assert world.case_south.enterprise.name in reasons[barred.pk][0]["detail"]


def test_per_case_meeting_draws_each_panel(two):
    world = two
    meeting = meetings.meeting_create(
        actor=world.users["city"],
        kind="evaluation",
        held_on=datetime.date(2026, 12, 20),
        place="会议室",
        panel_mode="per_case",
        review_ids=[world.north.pk, world.south.pk],
    )
    panels = meetings.meeting_draw(meeting_id=meeting.pk, actor=world.users["city"])
    assert len(panels) == 2 and panels[0].seed != panels[1].seed
    with pytest.raises(ReviewRefused):
        meetings.meeting_draw(meeting_id=meeting.pk, actor=world.users["city"])


def test_bad_meetings_are_refused_and_change_nothing(two, client_for):
    world = two
    city = world.users["city"]
    args = {"actor": city, "kind": "evaluation", "held_on": datetime.date(2026, 12, 20), "place": "会议室"}
    with pytest.raises(ReviewRefused):
        meetings.meeting_create(**args, panel_mode="shared", review_ids=[])
    with pytest.raises(ReviewRefused):  # of another kind
        meetings.meeting_create(
            **{**args, "kind": "acceptance"}, panel_mode="shared", review_ids=[world.north.pk]
        )
    with pytest.raises(ReviewRefused):
        meetings.meeting_create(
            **{**args, "actor": world.users["district"]}, panel_mode="shared", review_ids=[world.north.pk]
        )
    meetings.meeting_create(**args, panel_mode="shared", review_ids=[world.north.pk])
    with pytest.raises(ReviewRefused):  # already in a meeting
        meetings.meeting_create(**args, panel_mode="per_case", review_ids=[world.north.pk])
    assert ReviewMeeting.objects.count() == 1
    # Publishing before every conclusion is confirmed is refused.
    with pytest.raises(ReviewRefused):
        publicity.meeting_publish(meeting_id=ReviewMeeting.objects.get().pk, actor=city)
    page = client_for(city).post(
        reverse("meeting-list"),
        {
            "kind": "evaluation",
            "held_on": "2026-12-20",
            "place": "",
            "panel_mode": "shared",
            "reviews": [world.south.pk],
        },
    )
    assert page.status_code == 200 and ReviewMeeting.objects.count() == 1


def _concluded_meeting(world):
    meeting = meetings.meeting_create(
        actor=world.users["city"],
        kind="evaluation",
        held_on=timezone.localdate(),
        place="会议室",
        panel_mode="per_case",
        review_ids=[world.north.pk],
    )
    walk.panel_conclude(
        review=world.north, passed=True, city_user=world.users["city"], day=timezone.localdate()
    )
    return publicity.meeting_publish(meeting_id=meeting.pk, actor=world.users["city"])


def test_objections_are_rate_limited_per_address(two, settings):
    settings.QINGSHEN_OBJECTIONS_PER_HOUR = 1
    meeting = _concluded_meeting(two)
    args = {"meeting_id": meeting.pk, "name": "王五", "contact": "13900000000", "address_key": "10.0.0.1"}
    publicity.objection_lodge(**args, text="第一条")
    with pytest.raises(ReviewRefused):
        publicity.objection_lodge(**args, text="第二条")
    publicity.objection_lodge(**{**args, "address_key": "10.0.0.2"}, text="别处")
    with pytest.raises(ReviewRefused):  # no contact
        publicity.objection_lodge(**{**args, "address_key": "10.0.0.3", "contact": " "}, text="匿名")
    assert Objection.objects.count() == 2


def test_refused_users_get_404(two, client_for):
    world = two
    meeting = meetings.meeting_create(
        actor=world.users["city"],
        kind="evaluation",
        held_on=datetime.date(2026, 12, 20),
        place="会议室",
        panel_mode="shared",
        review_ids=[world.north.pk, world.south.pk],
    )
    meetings.meeting_draw(meeting_id=meeting.pk, actor=world.users["city"])
    detail = reverse("meeting-detail", args=[meeting.pk])
    expert_page = reverse("expert-meeting", args=[meeting.pk])
    for role in ("enterprise", "agency", "expert", "auditor", "security"):
        client = client_for(world.users[role])
        assert client.get(detail).status_code == 404, role
        assert client.get(expert_page).status_code == 404, role
        assert client.post(reverse("meeting-draw", args=[meeting.pk])).status_code == 404, role
        assert client.post(reverse("meeting-publish", args=[meeting.pk])).status_code == 404, role
    assert client_for(world.users["city"]).get(detail).status_code == 200
    # A district sees the city's meeting for its own enterprise only, and acts on nothing.
    north = client_for(world.users["district"]).get(detail).content.decode()
    assert world.case_north.enterprise.name in north and world.case_south.enterprise.name not in north
    assert 'id="meeting-draw-form"' not in north
    assert client_for(world.users["supervisor"]).get(detail).status_code == 200  # sees, cannot act
    client_for(world.users["supervisor"]).post(reverse("meeting-publish", args=[meeting.pk]))
    assert ReviewMeeting.objects.get().status == "open"
    # The southern enterprise does not see the northern case's revisions.
    south = client_for(world.users["enterprise_south"])
    assert south.get(reverse("case-revisions", args=[world.case_north.pk])).status_code == 404
    # An open meeting is not on the public site.
    assert Client().get(reverse("public-notice", args=[meeting.pk])).status_code == 404
    # A panel member who is not the chair asks for no revision.
    member = _seat(world.north, chair=False)
    from qingshen.reviews.services.seats import seat_respond

    seat_respond(seat_id=member.pk, actor=member.expert.user, accept=True, no_conflict=True)
    with pytest.raises(ReviewRefused):
        revisions.revision_request(review_id=world.north.pk, actor=member.expert.user, items="x")
    assert not RevisionRequest.objects.exists() and Review.objects.filter(outcome="").count() == 2


def test_the_periodic_sweep_makes_the_results_final(two):
    from io import StringIO

    from django.core.management import call_command

    meeting = _concluded_meeting(two)
    later = datetime.datetime.combine(meeting.notice_until + datetime.timedelta(days=1), datetime.time(3))
    with time_machine.travel(later.astimezone(), tick=False):
        out = StringIO()
        call_command("sweep", "--skip-recompute", stdout=out)
    assert "review results final after their public notice: 1" in out.getvalue()
    meeting.refresh_from_db()
    assert meeting.status == "final"
