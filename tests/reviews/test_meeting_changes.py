"""Changing a review meeting after it was organised: applications added and taken out before it is
held, a declined expert of the shared panel replaced on every application at once, and the objector
told the answer (their inbox when they lodged it signed in, the public notice otherwise)."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from qingshen.notifications.models import Notification
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import MeetingCase, Objection, Panel, PanelSeat, ReviewMeeting
from qingshen.reviews.services import meeting_changes, meetings
from qingshen.reviews.services.draw import panel_verify
from qingshen.reviews.services.seats import seat_respond
from qingshen.trail.models import Event
from tests.reviews.test_meetings import _concluded_meeting, two  # noqa: F401 (fixture)

HELD = datetime.date(2026, 12, 20)


def _meeting(world, mode="per_case", reviews=None):
    return meetings.meeting_create(
        actor=world.users["city"],
        kind="evaluation",
        held_on=HELD,
        place="市生态环境局三楼会议室",
        panel_mode=mode,
        review_ids=reviews or [world.north.pk],
    )


def _in_meeting(meeting):
    return set(meeting.cases.values_list("review_id", flat=True))


def test_the_organiser_adds_and_takes_out_applications_before_the_meeting(two, client_for):  # noqa: F811
    world = two
    meeting = _meeting(world)
    city = client_for(world.users["city"])
    detail = reverse("meeting-detail", args=[meeting.pk])
    page = city.get(detail).content.decode()
    assert 'id="meeting-add-form"' in page and f'value="{world.south.pk}"' in page
    assert 'class="meeting-remove-form"' not in page  # its only application stays
    add = reverse("meeting-add", args=[meeting.pk])
    assert city.post(add, {"reviews": [world.south.pk]}).status_code == 302
    assert _in_meeting(meeting) == {world.north.pk, world.south.pk}
    assert Event.objects.filter(action="review.meeting.add", object_id=str(meeting.pk)).exists()
    again = city.post(add, {"reviews": [world.south.pk]}, follow=True)  # no longer a candidate
    assert "alert-danger" in again.content.decode() and meeting.cases.count() == 2

    assert 'class="meeting-remove-form"' in city.get(detail).content.decode()
    remove = reverse("meeting-remove", args=[meeting.pk, world.north.pk])
    assert city.post(remove).status_code == 302
    assert _in_meeting(meeting) == {world.south.pk}
    assert Event.objects.filter(action="review.meeting.remove", object_id=str(meeting.pk)).exists()
    with pytest.raises(ReviewRefused):  # the last one stays
        meeting_changes.meeting_case_remove(
            meeting_id=meeting.pk, review_id=world.south.pk, actor=world.users["city"]
        )
    # Held: nothing is added or taken out any more, on the page or through the service.
    with pytest.raises(ReviewRefused):
        meeting_changes.meeting_cases_add(
            meeting_id=meeting.pk,
            actor=world.users["city"],
            review_ids=[world.north.pk],
            today=HELD + datetime.timedelta(days=1),
        )
    with time_machine.travel(datetime.datetime(2026, 12, 21, 10).astimezone(), tick=False):
        assert 'id="meeting-add-form"' not in city.get(detail).content.decode()
        city.post(add, {"reviews": [world.north.pk]})
    assert _in_meeting(meeting) == {world.south.pk}


def test_adding_and_removing_is_refused_to_others_and_once_the_shared_panel_is_drawn(
    two,  # noqa: F811
    client_for,
):
    world = two
    meeting = _meeting(world, mode="shared")
    add = reverse("meeting-add", args=[meeting.pk])
    remove = reverse("meeting-remove", args=[meeting.pk, world.north.pk])
    for role in ("enterprise", "enterprise_south", "agency", "expert", "auditor"):
        client = client_for(world.users[role])
        assert client.post(add, {"reviews": [world.south.pk]}).status_code == 404, role
        assert client.post(remove).status_code == 404, role
    for role in ("district", "supervisor"):  # see the meeting, organise nothing
        client_for(world.users[role]).post(add, {"reviews": [world.south.pk]})
    assert _in_meeting(meeting) == {world.north.pk}

    meetings.meeting_draw(meeting_id=meeting.pk, actor=world.users["city"])
    city = client_for(world.users["city"])
    assert (
        'id="meeting-add-form"' not in city.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    )
    refused = city.post(add, {"reviews": [world.south.pk]}, follow=True).content.decode()
    assert "alert-danger" in refused and _in_meeting(meeting) == {world.north.pk}
    with pytest.raises(ReviewRefused):
        meeting_changes.meeting_cases_add(
            meeting_id=meeting.pk, actor=world.users["city"], review_ids=[world.south.pk]
        )
    assert MeetingCase.objects.count() == 1


def _decline(seat):
    seat_respond(seat_id=seat.pk, actor=seat.expert.user, accept=False, reason="出差")


def test_a_declined_expert_is_redrawn_for_the_whole_shared_panel(two, client_for):  # noqa: F811
    world = two
    meeting = _meeting(world, mode="shared", reviews=[world.north.pk, world.south.pk])
    meetings.meeting_draw(meeting_id=meeting.pk, actor=world.users["city"])
    north, south = Panel.objects.get(review=world.north), Panel.objects.get(review=world.south)
    chair = north.seats.select_related("expert__user").get(is_chair=True)
    city = client_for(world.users["city"])
    detail = reverse("meeting-detail", args=[meeting.pk])
    redraw = reverse("meeting-redraw", args=[meeting.pk, chair.expert_id])

    _decline(chair)  # one seat only: the other application still has them
    assert 'class="meeting-redraw-form"' not in city.get(detail).content.decode()
    with pytest.raises(ReviewRefused, match=world.case_south.enterprise.name):
        meeting_changes.meeting_seat_redraw(
            meeting_id=meeting.pk, expert_id=chair.expert_id, actor=world.users["city"]
        )
    _decline(south.seats.get(expert_id=chair.expert_id))
    page = city.get(detail).content.decode()
    assert f'data-expert="{chair.expert_id}"' in page
    for role in ("enterprise", "agency", "expert"):
        assert client_for(world.users[role]).post(redraw).status_code == 404, role
    client_for(world.users["district"]).post(redraw)  # sees the meeting, draws nothing
    assert PanelSeat.objects.filter(replaces__isnull=False).count() == 0

    city = client_for(world.users["city"])  # client_for signs its one client in as each user
    assert city.post(redraw).status_code == 302
    seats = [
        list(
            p.seats.filter(status__in=["invited", "accepted"])
            .order_by("position")
            .values_list("expert_id", "is_chair")
        )
        for p in (north, south)
    ]
    assert seats[0] == seats[1] and chair.expert_id not in [e for e, _ in seats[0]]
    new = PanelSeat.objects.filter(replaces__isnull=False)
    assert new.count() == 2 and len({s.expert_id for s in new}) == 1 and all(s.is_chair for s in new)
    north.refresh_from_db()
    south.refresh_from_db()
    assert panel_verify(panel=north)["matches"] and panel_verify(panel=south)["matches"]
    assert Event.objects.filter(action="review.meeting.redraw", object_id=str(meeting.pk)).count() == 1
    assert Event.objects.filter(action="panel.redraw").count() == 2
    again = city.post(redraw, follow=True).content.decode()
    assert "alert-danger" in again and PanelSeat.objects.filter(replaces__isnull=False).count() == 2


def test_per_case_meetings_redraw_on_each_review(two):  # noqa: F811
    world = two
    meeting = _meeting(world, reviews=[world.north.pk, world.south.pk])
    meetings.meeting_draw(meeting_id=meeting.pk, actor=world.users["city"])
    seat = PanelSeat.objects.select_related("expert__user").filter(panel__review=world.north).first()
    _decline(seat)
    assert meeting_changes.declined_experts(meeting) == []
    with pytest.raises(ReviewRefused):
        meeting_changes.meeting_seat_redraw(
            meeting_id=meeting.pk, expert_id=seat.expert_id, actor=world.users["city"]
        )


def _lodge(client, meeting, **extra):
    notice = reverse("public-notice", args=[meeting.pk])
    client.get(notice)
    data = {"review": "", "name": "张三", "contact": "13800000000", "text": "结论有误。", **extra}
    response = client.post(notice, data)
    assert response.status_code == 302, response.content.decode()[:1000]
    return Objection.objects.latest("pk")


def test_the_objector_is_told_the_answer(two, client_for):  # noqa: F811
    world = two
    meeting = _concluded_meeting(world)
    assert meeting.status == ReviewMeeting.Status.NOTICE
    signed_in = world.users["enterprise_south"]
    theirs = _lodge(client_for(signed_in), meeting)
    anonymous = _lodge(Client(), meeting, name="李四", contact="lisi@example.cn")
    assert theirs.lodged_by == signed_in and anonymous.lodged_by is None

    city = client_for(world.users["city"])
    for objection, answer in ((theirs, "经核查，结论无误。"), (anonymous, "已复核。")):
        url = reverse("objection-answer", args=[meeting.pk, objection.pk])
        assert city.post(url, {f"o{objection.pk}-answer": answer}).status_code == 302
    theirs.refresh_from_db()
    anonymous.refresh_from_db()
    assert theirs.answer_sent == "inbox" and anonymous.answer_sent == "public"
    told = Notification.objects.get(recipient=signed_in, object_id=str(meeting.pk))
    assert "经核查，结论无误。" in told.body and told.url == reverse("public-notice", args=[meeting.pk])
    assert not Notification.objects.filter(body__contains="已复核。").exists()
    event = Event.objects.filter(action="review.objection.answer").order_by("pk").last()
    assert event.after["sent"] == "public"

    # The public notice shows each answer under its number; never the name, contact or text.
    page = Client().get(reverse("public-notice", args=[meeting.pk])).content.decode()
    assert 'id="notice-answers"' in page and "已复核。" in page
    assert f'data-objection="{anonymous.pk}"' in page
    for private in ("李四", "lisi@example.cn", "13800000000", "结论有误。"):
        assert private not in page
    staff = city.get(reverse("meeting-detail", args=[meeting.pk])).content.decode()
    assert 'data-sent="inbox"' in staff and 'data-sent="public"' in staff
