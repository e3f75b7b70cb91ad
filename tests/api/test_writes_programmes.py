"""Programmes and milestones through the API: the city's own staff set them up and edit them while the
list is a draft (the rules of the set-up pages); others are refused; every change is logged."""

import datetime

import pytest
from django.utils import timezone

from qingshen.programmes import services
from qingshen.programmes.models import Milestone, Programme
from qingshen.trail.models import Event
from tests import factories as f

PROGRAMMES = "/api/v1/programmes/"
NOT_CITY = ["province", "district", "supervisor", "enterprise", "agency", "expert", "auditor", "sysadmin"]


@pytest.fixture
def year():
    return timezone.localdate().year + 1


@pytest.fixture
def draft(world, year):
    return services.programme_create(city=world.city, year=year, actor=world.users["city"])


def milestones(programme):
    return f"{PROGRAMMES}{programme.pk}/milestones/"


def test_the_city_sets_up_its_programme_and_it_is_logged(world, api_as, year):
    client = api_as(world.users["city"], "write")
    response = client.post(
        PROGRAMMES,
        {"year": year, "document_number": "测环发〔2027〕1号", "issued_on": f"{year}-02-01"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    programme = Programme.objects.get(pk=body["id"])
    assert programme.city == world.city and programme.document_number == "测环发〔2027〕1号"
    assert body["list_state"] == "draft" and body["title"] == programme.title and body["milestones"] == []
    event = Event.objects.get(action="programme.create", object_id=str(programme.pk))
    assert event.actor == world.users["city"]


@pytest.mark.parametrize("role", NOT_CITY)
def test_other_roles_may_not_set_up_a_programme(world, api_as, year, role):
    response = api_as(world.users[role], "write").post(PROGRAMMES, {"year": year}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Programme.objects.filter(year=year).exists()


def test_a_read_token_may_not_set_up_a_programme(world, api_as, year):
    response = api_as(world.users["city"], "read").post(PROGRAMMES, {"year": year}, format="json")
    assert response.status_code == 403
    assert not Programme.objects.filter(year=year).exists()


def test_the_services_rules_are_400_beside_their_field(world, api_as):
    client = api_as(world.users["city"], "write")
    taken = client.post(PROGRAMMES, {"year": world.programme.year}, format="json")
    assert taken.status_code == 400
    assert taken.json()["code"] == "refused" and list(taken.json()["fields"]) == ["year"]
    far = client.post(PROGRAMMES, {"year": 1900}, format="json")
    assert far.status_code == 400 and list(far.json()["fields"]) == ["year"]
    bad = client.post(PROGRAMMES, {"year": "soon", "issued_on": "yesterday"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "invalid" and set(bad.json()["fields"]) == {"year", "issued_on"}


def test_the_city_edits_its_draft_only_what_it_sends(world, api_as, draft):
    client = api_as(world.users["city"], "write")
    response = client.patch(f"{PROGRAMMES}{draft.pk}/", {"issuing_body": "测试市生态环境局"}, format="json")
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.issuing_body == "测试市生态环境局" and draft.year == response.json()["year"]
    event = Event.objects.get(action="programme.update")
    assert event.after == {"issuing_body": "测试市生态环境局"}


def test_a_published_programme_is_409(world, api_as):
    client = api_as(world.users["city"], "write")
    response = client.patch(f"{PROGRAMMES}{world.programme.pk}/", {"title": "新"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "refused" and response.json()["list_state"] == "published"
    add = client.post(milestones(world.programme), {"kind": "custom", "name": "x", "due_on": "2026-06-01"})
    assert add.status_code == 409


@pytest.mark.parametrize("role", ["province", "district", "supervisor"])
def test_staff_who_see_the_draft_but_do_not_manage_it_are_403(world, api_as, draft, role):
    client = api_as(world.users[role], "write")
    assert client.patch(f"{PROGRAMMES}{draft.pk}/", {"title": "新"}, format="json").status_code == 403
    assert (
        client.post(
            milestones(draft), {"kind": "custom", "name": "x", "due_on": f"{draft.year}-06-01"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("role", ["enterprise", "agency", "expert", "auditor", "sysadmin", "stranger"])
def test_a_programme_outside_the_scope_is_404(world, api_as, draft, role):
    if role == "stranger":
        other = f.jurisdiction(
            "外市", "city", f.jurisdiction("外省", "province", code="510000"), code="510100"
        )
        user = f.user("stranger", "city", jurisdiction=other)
    else:
        user = world.users[role]
    client = api_as(user, "write")
    assert client.patch(f"{PROGRAMMES}{draft.pk}/", {"title": "新"}, format="json").status_code == 404
    response = client.post(
        milestones(draft), {"kind": "custom", "name": "x", "due_on": f"{draft.year}-06-01"}
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert not Event.objects.filter(action__startswith="programme.milestone").exists()


def test_the_city_adds_changes_and_removes_a_milestone(world, api_as, draft):
    client = api_as(world.users["city"], "write")
    added = client.post(
        milestones(draft),
        {"kind": "custom", "name": "企业信息公开", "due_on": f"{draft.year}-06-30", "source": "通知第三条"},
        format="json",
    )
    assert added.status_code == 201, added.content
    pk = added.json()["id"]
    changed = client.patch(f"{milestones(draft)}{pk}/", {"due_on": f"{draft.year}-07-15"}, format="json")
    assert changed.status_code == 200
    milestone = Milestone.objects.get(pk=pk)
    assert milestone.due_on == datetime.date(draft.year, 7, 15) and milestone.name == "企业信息公开"
    assert client.delete(f"{milestones(draft)}{pk}/").status_code == 204
    assert not Milestone.objects.filter(pk=pk).exists()
    actions = list(
        Event.objects.filter(action__startswith="programme.milestone")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["programme.milestone.add", "programme.milestone.update", "programme.milestone.remove"]


def test_a_milestone_of_another_programme_is_404(world, api_as, draft):
    other = services.programme_create(city=world.city, year=draft.year + 1, actor=world.users["city"])
    milestone = services.milestone_add(
        programme=other, name="x", due_on=datetime.date(other.year, 5, 1), actor=world.users["city"]
    )
    client = api_as(world.users["city"], "write")
    assert client.delete(f"{milestones(draft)}{milestone.pk}/").status_code == 404
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_milestone_date_out_of_the_window_is_400_beside_due_on(world, api_as, draft):
    client = api_as(world.users["city"], "write")
    response = client.post(
        milestones(draft), {"kind": "custom", "name": "x", "due_on": "1990-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["due_on"]
    missing = client.post(milestones(draft), {"name": "x"}, format="json")
    assert missing.status_code == 400 and set(missing.json()["fields"]) == {"kind", "due_on"}
