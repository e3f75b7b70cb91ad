"""A draft list's entries and its workflow through the API: a district proposes its enterprises and
submits, the city returns or submits the list, the province confirms or returns it, the city publishes;
others are refused; the table's refusals are 409; every step is logged."""

import pytest
from django.utils import timezone

from qingshen.programmes import listings, services
from qingshen.programmes.models import Listing
from qingshen.trail.models import Event


@pytest.fixture
def draft(world):
    return services.programme_create(
        city=world.city, year=timezone.localdate().year + 1, actor=world.users["city"]
    )


def add_url(programme):
    return f"/api/v1/programmes/{programme.pk}/listings/"


def steps_url(programme):
    return f"/api/v1/programmes/{programme.pk}/list-steps/"


def add(client, programme, enterprise, **extra):
    return client.post(
        add_url(programme), {"enterprise": enterprise.pk, "grounds": ["emissions"], **extra}, format="json"
    )


def step(client, programme, name, **extra):
    return client.post(steps_url(programme), {"name": name, **extra}, format="json")


def test_the_district_adds_its_enterprise_and_it_is_logged(world, api_as, draft):
    response = add(api_as(world.users["district"], "write"), draft, world.ent_north, note="超标排放")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["enterprise"] == world.ent_north.pk and body["grounds"] == ["emissions"] and body["case"] is None
    )
    event = Event.objects.get(action="programme.listing.add", object_id=str(body["id"]))
    assert event.actor == world.users["district"]


def test_bad_input_is_400_beside_its_field(world, api_as, draft):
    client = api_as(world.users["district"], "write")
    other = add(client, draft, world.ent_north, grounds=["other"])
    assert other.status_code == 400 and list(other.json()["fields"]) == ["other_reason"]
    unknown = add(client, draft, world.ent_north, grounds=["noise"])
    assert unknown.status_code == 400 and list(unknown.json()["fields"]) == ["grounds.0"]
    empty = add(client, draft, world.ent_north, grounds=[])
    assert empty.status_code == 400 and list(empty.json()["fields"]) == ["grounds"]
    elsewhere = add(client, draft, world.ent_south)  # the south district's enterprise
    assert elsewhere.status_code == 400 and list(elsewhere.json()["fields"]) == ["enterprise"]
    assert not Listing.objects.filter(programme=draft).exists()


def test_an_enterprise_on_the_list_already_is_409(world, api_as, draft):
    client = api_as(world.users["city"], "write")
    assert add(client, draft, world.ent_north).status_code == 201
    again = add(client, draft, world.ent_north)
    assert again.status_code == 409 and again.json()["code"] == "refused"


def test_a_published_list_is_409(world, api_as):
    response = add(api_as(world.users["city"], "write"), world.programme, world.ent_north)
    assert response.status_code == 409 and response.json()["list_state"] == "published"
    listing = world.programme.listings.first()
    removed = api_as(world.users["city"], "write").delete(f"/api/v1/listings/{listing.pk}/")
    assert removed.status_code == 409
    assert Listing.objects.filter(pk=listing.pk).exists()


@pytest.mark.parametrize("role", ["province", "supervisor"])
def test_staff_who_add_no_listings_are_403(world, api_as, draft, role):
    listing = listings.listing_add(
        programme=draft, enterprise=world.ent_north, grounds=["emissions"], actor=world.users["city"]
    )
    client = api_as(world.users[role], "write")
    assert add(client, draft, world.ent_south).status_code == 403
    assert client.delete(f"/api/v1/listings/{listing.pk}/").status_code == 403
    assert Listing.objects.filter(pk=listing.pk).exists()


@pytest.mark.parametrize("role", ["enterprise", "agency", "expert", "auditor"])
def test_a_programme_outside_the_scope_is_404(world, api_as, draft, role):
    listing = listings.listing_add(
        programme=draft, enterprise=world.ent_north, grounds=["emissions"], actor=world.users["city"]
    )
    client = api_as(world.users[role], "write")
    response = add(client, draft, world.ent_north)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.delete(f"/api/v1/listings/{listing.pk}/").status_code == 404
    assert step(client, draft, "submit").status_code == 404


def test_another_districts_listing_is_404(world, api_as, draft):
    listing = listings.listing_add(
        programme=draft, enterprise=world.ent_north, grounds=["emissions"], actor=world.users["city"]
    )
    client = api_as(world.users["district_south"], "write")
    assert client.delete(f"/api/v1/listings/{listing.pk}/").status_code == 404
    assert Listing.objects.filter(pk=listing.pk).exists()


def test_a_read_token_may_not_change_the_list(world, api_as, draft):
    client = api_as(world.users["district"], "read")
    assert add(client, draft, world.ent_north).status_code == 403
    assert step(client, draft, "proposal.submit", district=world.north.pk).status_code == 403


def test_the_district_removes_its_listing(world, api_as, draft):
    client = api_as(world.users["district"], "write")
    pk = add(client, draft, world.ent_north).json()["id"]
    assert client.delete(f"/api/v1/listings/{pk}/").status_code == 204
    assert not Listing.objects.filter(pk=pk).exists()
    assert Event.objects.filter(action="programme.listing.remove", actor=world.users["district"]).exists()


def test_the_whole_workflow_and_its_refusals(world, api_as, draft):
    # One client, signed in anew for each role (api_as sets the credentials of the same client).
    def district():
        return api_as(world.users["district"], "write")

    def city():
        return api_as(world.users["city"], "write")

    def province():
        return api_as(world.users["province"], "write")

    assert add(district(), draft, world.ent_north).status_code == 201
    sent = step(district(), draft, "proposal.submit", district=world.north.pk)
    assert sent.status_code == 200, sent.content
    assert sent.json()["proposal_status"] == "submitted" and sent.json()["allowed_steps"] == []
    waiting = add(district(), draft, world.ent_north, grounds=["energy"])
    assert waiting.status_code == 409
    not_theirs = step(district(), draft, "submit")
    assert not_theirs.status_code == 409 and not_theirs.json()["code"] == "transition_refused"
    assert not_theirs.json()["list_state"] == "draft"

    bare = step(city(), draft, "proposal.return", district=world.north.pk)
    assert bare.status_code == 409 and "proposal.return" in bare.json()["allowed_steps"]
    back = step(city(), draft, "proposal.return", district=world.north.pk, comment="补充理由")
    assert back.status_code == 200 and back.json()["proposal_status"] == "returned"
    again = step(district(), draft, "proposal.submit", district=world.north.pk)
    assert again.status_code == 200, again.content
    assert step(city(), draft, "submit").json()["list_state"] == "submitted"

    assert step(province(), draft, "return").status_code == 409
    assert step(province(), draft, "return", comment="请核实").json()["list_state"] == "draft"
    assert step(city(), draft, "submit").status_code == 200
    assert step(province(), draft, "confirm").json()["allowed_steps"] == []
    published = step(city(), draft, "publish", published_on=timezone.localdate().isoformat())
    assert published.status_code == 200 and published.json()["list_state"] == "published"
    draft.refresh_from_db()
    assert draft.cases.count() == 1
    actions = list(
        Event.objects.filter(
            object_id__in=[str(draft.pk)],
            action__in=["programme.submit", "programme.confirm", "programme.publish", "programme.return"],
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "programme.submit",
        "programme.return",
        "programme.submit",
        "programme.confirm",
        "programme.publish",
    ]


def test_a_proposal_step_needs_a_district_of_the_programme(world, api_as, draft):
    client = api_as(world.users["district"], "write")
    missing = step(client, draft, "proposal.submit")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["district"]
    elsewhere = step(client, draft, "proposal.submit", district=world.south.pk)
    assert elsewhere.status_code == 400 and list(elsewhere.json()["fields"]) == ["district"]
    unknown = step(client, draft, "dance")
    assert unknown.status_code == 400 and list(unknown.json()["fields"]) == ["name"]
