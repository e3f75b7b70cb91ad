"""An expert accepts every seat of a review meeting at once through the API, as the expert portal's
meeting page (the seat notice) does: each seat's answer recorded and logged; the staff who see the
meeting are refused (403), anyone without a seat in it is told nothing exists (404); no declaration is
400 and no seat awaiting an answer 409 with the meeting's status."""

import pytest

from qingshen.reviews.models import PanelSeat
from qingshen.reviews.services import meetings
from qingshen.trail.models import Event
from tests.api.test_writes_meetings import meeting, two  # noqa: F401  (the fixtures of the meeting tests)

SHAPE = {"code", "message", "fields"}


@pytest.fixture
def drawn(two, meeting):  # noqa: F811
    meetings.meeting_draw(meeting_id=meeting.pk, actor=two.users["city"])
    seat = PanelSeat.objects.select_related("expert__user").order_by("pk").first()
    two.meeting, two.expert_user = meeting, seat.expert.user
    return two


def url(world):
    return f"/api/v1/meetings/{world.meeting.pk}/seats/accept/"


def test_the_expert_accepts_every_seat_of_the_meeting(drawn, api_as):
    mine = PanelSeat.objects.filter(expert__user=drawn.expert_user)
    assert mine.count() == 2 and set(mine.values_list("status", flat=True)) == {"invited"}
    client = api_as(drawn.expert_user, "write")
    response = client.post(url(drawn), {"no_conflict": True}, format="json")
    assert response.status_code == 200, response.content
    assert sorted(s["id"] for s in response.json()) == sorted(mine.values_list("pk", flat=True))
    assert {s["status"] for s in response.json()} == {"accepted"}
    assert set(mine.values_list("status", flat=True)) == {"accepted"}
    assert Event.objects.filter(action="panel.seat.accept", actor=drawn.expert_user).count() == 2
    again = client.post(url(drawn), {"no_conflict": True}, format="json")
    assert again.status_code == 409 and again.json()["status"] == "open", again.content


@pytest.mark.parametrize("sent", [{}, {"no_conflict": False}, {"no_conflict": "perhaps"}])
def test_without_the_declaration_it_is_400_and_nothing_changes(drawn, api_as, sent):
    response = api_as(drawn.expert_user, "write").post(url(drawn), sent, format="json")
    assert response.status_code == 400 and "no_conflict" in response.json()["fields"]
    assert not PanelSeat.objects.exclude(status="invited").exists()


@pytest.mark.parametrize("role", ["city", "district", "province"])
def test_staff_who_see_the_meeting_hold_no_seat_403(drawn, api_as, role):
    response = api_as(drawn.users[role], "write").post(url(drawn), {"no_conflict": True}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("role", ["enterprise", "agency", "expert", "auditor", "sysadmin"])
def test_without_a_seat_in_the_meeting_it_is_404(drawn, api_as, role):
    response = api_as(drawn.users[role], "write").post(url(drawn), {"no_conflict": True}, format="json")
    assert response.status_code == 404 and set(response.json()) == SHAPE
    bad = api_as(drawn.expert_user, "write").post(
        f"/api/v1/meetings/{drawn.meeting.pk + 99}/seats/accept/", {"no_conflict": True}, format="json"
    )
    assert bad.status_code == 404
    assert not PanelSeat.objects.exclude(status="invited").exists()


def test_a_read_token_may_not_answer(drawn, api_as):
    response = api_as(drawn.expert_user, "read").post(url(drawn), {"no_conflict": True}, format="json")
    assert response.status_code == 403
    assert not PanelSeat.objects.exclude(status="invited").exists()
