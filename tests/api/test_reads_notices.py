"""The public notices (公示) of review results through the API, without a token: the batches on notice
or final with their results and the objections answered, never the objector's name, contact or text;
a meeting not yet published is not found; an ended notice is shown final, as on the public page."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from qingshen.demo import walk
from qingshen.programmes.models import Listing
from qingshen.reviews.services import meetings, publicity
from tests import factories as f

URL = "/api/v1/public/notices/"


@pytest.fixture
def notice(world):
    """North's evaluation concluded and published for 公示, with one objection answered and one not;
    south's evaluation in a meeting still open (not public)."""
    Listing.objects.filter(pk=world.case_south.listing_id).update(
        grounds=["emissions"], lead_authority="environment"
    )
    world.case_south.refresh_from_db()
    f.disclosure_ready(world.case_south, world.users["enterprise_south"])
    for case, ent_user in ((world.case_north, "enterprise"), (world.case_south, "enterprise_south")):
        f.walk(case, "evaluating", city_user=world.users["city"], enterprise_user=world.users[ent_user])
    walk.expert_pool_ensure(industry=world.case_north.enterprise.industry, count=7)
    north = walk.open_review(world.case_north, "evaluation")
    south = walk.open_review(world.case_south, "evaluation")
    today = timezone.localdate()
    meeting = meetings.meeting_create(
        actor=world.users["city"], kind="evaluation", held_on=today, place="会议室",
        panel_mode="per_case", review_ids=[north.pk],
    )  # fmt: skip
    world.open_meeting = meetings.meeting_create(
        actor=world.users["city"], kind="evaluation", held_on=today, place="二楼",
        panel_mode="per_case", review_ids=[south.pk],
    )  # fmt: skip
    walk.panel_conclude(review=north, passed=True, city_user=world.users["city"], day=today)
    meeting = publicity.meeting_publish(meeting_id=meeting.pk, actor=world.users["city"])
    lodged = {"meeting_id": meeting.pk, "name": "张三", "contact": "13800000000", "address_key": "a"}
    answered = publicity.objection_lodge(**lodged, review_id=north.pk, text="仍有超标排放。")
    publicity.objection_answer(objection_id=answered.pk, actor=world.users["city"], answer="经核查，已整改。")
    publicity.objection_lodge(**{**lodged, "address_key": "b"}, text="尚未答复的异议")
    world.meeting, world.north_review, world.answered = meeting, north, answered
    return world


def test_anyone_reads_the_notice_with_its_results_and_answers(notice):
    anyone = APIClient()
    listed = anyone.get(URL)
    assert listed.status_code == 200, listed.content
    assert [m["id"] for m in listed.json()["results"]] == [notice.meeting.pk]
    body = anyone.get(f"{URL}{notice.meeting.pk}/").json()
    assert body["status"] == "notice" and body["notice_until"] >= body["notice_from"]
    assert body["organiser_name"] == notice.city.name
    [result] = body["results"]
    assert result["review"] == notice.north_review.pk
    assert result["enterprise_uscc"] == notice.case_north.enterprise.uscc and result["conclusion"]
    [answer] = body["answers"]
    assert answer["number"] == notice.answered.pk and answer["answer"] == "经核查，已整改。"
    assert answer["enterprise_name"] == notice.case_north.enterprise.name
    text = listed.content.decode() + anyone.get(f"{URL}{notice.meeting.pk}/").content.decode()
    for secret in ("张三", "13800000000", "仍有超标排放", "尚未答复的异议"):
        assert secret not in text
    assert set(answer) == {"number", "review", "enterprise_name", "lodged_on", "answered_on", "answer"}


def test_a_token_is_not_needed_nor_looked_at(notice, api_as):
    response = api_as(notice.users["enterprise_south"]).get(f"{URL}{notice.meeting.pk}/")
    assert response.status_code == 200
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Bearer nonsense")
    assert bad.get(URL).status_code == 200


def test_a_meeting_not_published_is_not_found(notice):
    anyone = APIClient()
    response = anyone.get(f"{URL}{notice.open_meeting.pk}/")
    assert response.status_code == 404 and set(response.json()) == {"code", "message", "fields"}
    assert anyone.get(f"{URL}x/").status_code == 404
    assert anyone.get(f"{URL}{10**30}/").status_code == 404


def test_filters_and_bad_filters(notice):
    anyone = APIClient()
    assert [m["id"] for m in anyone.get(URL, {"status": "notice"}).json()["results"]] == [notice.meeting.pk]
    assert anyone.get(URL, {"status": "final"}).json()["results"] == []
    bad = anyone.get(URL, {"status": "open"})
    assert bad.status_code == 400 and "status" in bad.json()["fields"]


def test_the_api_may_not_write_on_a_notice(notice):
    response = APIClient().post(f"{URL}{notice.meeting.pk}/", {}, format="json")
    assert response.status_code == 405


def test_an_ended_notice_with_every_objection_answered_is_final(notice):
    open_one = notice.meeting.objections.filter(answered_at__isnull=True).get()
    publicity.objection_answer(objection_id=open_one.pk, actor=notice.users["city"], answer="已答复。")
    later = notice.meeting.notice_until + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(later, datetime.time(12)), tick=False):
        body = APIClient().get(URL).json()
    [row] = body["results"]
    assert row["status"] == "final" and row["finalised_on"] and len(row["answers"]) == 2


def test_a_page_of_two_notices_takes_the_queries_of_a_page_of_one(notice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    [south] = notice.open_meeting.cases.values_list("review", flat=True)
    review = notice.case_south.reviews.get(pk=south)
    walk.panel_conclude(review=review, passed=False, city_user=notice.users["city"], day=timezone.localdate())
    publicity.meeting_publish(meeting_id=notice.open_meeting.pk, actor=notice.users["city"])
    lodged = publicity.objection_lodge(
        meeting_id=notice.open_meeting.pk, name="李四", contact="13900000000", address_key="c", text="异议"
    )
    publicity.objection_answer(objection_id=lodged.pk, actor=notice.users["city"], answer="已核实。")
    anyone = APIClient()

    def queries(size):
        with CaptureQueriesContext(connection) as ctx:
            response = anyone.get(URL, {"page_size": size})
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.json()["results"])

    queries(1)
    one, _n = queries(1)
    many, n = queries(100)
    assert n == 2 and many == one
