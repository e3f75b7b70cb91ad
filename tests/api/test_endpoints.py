"""Every read endpoint: an allowed role sees its scope, the refused user gets 401/404, out of scope is 404."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qingshen.api.errors import exception_handler
from qingshen.cases.models import AuditCase
from qingshen.core.errors import Refused
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from tests import factories as f


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_jurisdictions_in_scope(world, api_as):
    assert set(ids(api_as(world.users["district"]).get("/api/v1/jurisdictions/"))) == {world.north.pk}
    city = api_as(world.users["city"])
    assert set(ids(city.get("/api/v1/jurisdictions/"))) == {
        world.city.pk,
        world.north.pk,
        world.south.pk,
        world.zone.pk,
    }
    assert city.get(f"/api/v1/jurisdictions/{world.north.pk}/").json()["name"] == "北区"
    assert city.get(f"/api/v1/jurisdictions/{world.province.pk}/").status_code == 404


def test_enterprises_in_scope_and_searched(world, api_as):
    district = api_as(world.users["district"])
    assert ids(district.get("/api/v1/enterprises/")) == [world.ent_north.pk]
    assert district.get(f"/api/v1/enterprises/{world.ent_south.pk}/").status_code == 404
    city = api_as(world.users["city"])
    assert ids(city.get("/api/v1/enterprises/", {"q": "电镀"})) == [world.ent_south.pk]
    assert ids(city.get("/api/v1/enterprises/", {"q": world.ent_north.uscc.lower()})) == [world.ent_north.pk]
    assert "contact_phone" not in city.get(f"/api/v1/enterprises/{world.ent_north.pk}/").json()


def test_programmes_with_milestones_and_list_state(world, api_as):
    # The programme is published, so its milestones are fixed: put one in place directly.
    world.programme.milestones.create(name="企业信息公开", due_on=datetime.date(2026, 6, 30))
    city = api_as(world.users["city"])
    assert ids(city.get("/api/v1/programmes/")) == [world.programme.pk]
    detail = city.get(f"/api/v1/programmes/{world.programme.pk}/").json()
    assert detail["list_state"] == "published"
    assert [m["name"] for m in detail["milestones"]] == ["企业信息公开"]
    # Another province's city does not see it.
    other = f.jurisdiction("外市", "city", f.jurisdiction("外省", "province", code="510000"), code="510100")
    stranger = f.user("stranger", "city", jurisdiction=other)
    outsider = api_as(stranger)
    assert ids(outsider.get("/api/v1/programmes/")) == []
    assert outsider.get(f"/api/v1/programmes/{world.programme.pk}/").status_code == 404


def test_cases_filtered_and_a_case_with_its_deadlines(world, api_as):
    city = api_as(world.users["city"])
    assert set(ids(city.get("/api/v1/cases/"))) == {world.case_north.pk, world.case_south.pk}
    assert set(ids(city.get("/api/v1/cases/", {"programme": world.programme.pk}))) == {
        world.case_north.pk,
        world.case_south.pk,
    }
    assert ids(city.get("/api/v1/cases/", {"programme": world.programme.pk + 999})) == []
    assert ids(city.get("/api/v1/cases/", {"state": "withdrawn"})) == []
    AuditCase.objects.filter(pk=world.case_south.pk).update(
        next_due_on=timezone.localdate() - datetime.timedelta(1)
    )
    assert ids(city.get("/api/v1/cases/", {"overdue": "true"})) == [world.case_south.pk]
    assert ids(city.get("/api/v1/cases/", {"overdue": "false"})) == [world.case_north.pk]
    detail = city.get(f"/api/v1/cases/{world.case_north.pk}/").json()
    assert detail["enterprise_name"] == "北区化工有限公司"
    assert detail["deadlines"] and {"kind", "due_on", "status"} <= set(detail["deadlines"][0])
    bad = city.get("/api/v1/cases/", {"state": "nonsense"})
    assert bad.status_code == 400 and "state" in bad.json()["fields"]


@pytest.mark.parametrize(
    "role, sees", [("district", "north"), ("enterprise", "north"), ("enterprise_south", "south")]
)
def test_cases_out_of_scope_are_404(world, api_as, role, sees):
    client = api_as(world.users[role])
    mine = getattr(world, f"case_{sees}")
    other = world.case_south if sees == "north" else world.case_north
    assert ids(client.get("/api/v1/cases/")) == [mine.pk]
    assert client.get(f"/api/v1/cases/{mine.pk}/").status_code == 200
    response = client.get(f"/api/v1/cases/{other.pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path", ["/api/v1/jurisdictions/", "/api/v1/enterprises/", "/api/v1/programmes/", "/api/v1/cases/"]
)
def test_anonymous_is_401_and_the_sysadmin_sees_no_case_data(world, api, api_as, path):
    assert api.get(path).status_code == 401
    assert api_as(world.users["sysadmin"]).get(path).json()["results"] == []


def test_the_session_works_for_the_browser(world, client_for):
    response = client_for(world.users["district"]).get("/api/v1/cases/")
    assert [c["id"] for c in response.json()["results"]] == [world.case_north.pk]


def test_a_refusal_is_400_json_with_its_message():
    response = exception_handler(Refused("不可以"), {})
    assert response.status_code == 400
    assert response.data == {"code": "refused", "message": "不可以", "fields": {}}


def _more_cases(world, n):
    programme = programme_services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    for _ in range(n):
        programme_listings.listing_add(
            programme=programme,
            enterprise=f.enterprise(world.north),
            grounds=["emissions"],
            actor=world.users["city"],
        )
    f.confirm_list(programme, city_user=world.users["city"], province_user=world.users["province"])
    programme_lists.list_transition(
        name="publish", programme=programme, actor=world.users["city"], published_on=timezone.localdate()
    )


def test_the_case_list_takes_the_same_queries_for_more_cases(world, api, token_for):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(world.users['city'])}")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/cases/").status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    _more_cases(world, 6)
    assert len(api.get("/api/v1/cases/").json()["results"]) == 8
    assert queries() == before


def test_pages_are_stable_and_complete(world, api_as):
    _more_cases(world, 5)
    client = api_as(world.users["city"])
    first = client.get("/api/v1/cases/", {"page_size": 3})
    seen = (
        ids(first)
        + ids(client.get("/api/v1/cases/", {"page_size": 3, "page": 2}))
        + ids(client.get("/api/v1/cases/", {"page_size": 3, "page": 3}))
    )
    assert first.json()["count"] == 7 and len(seen) == len(set(seen)) == 7
