"""GET /api/v1/export/programme/{id}: one document per programme, as far as the caller's scope reaches."""

from django.urls import reverse

from qingshen.cases.services import case_create_for_listing
from qingshen.programmes.models import Listing
from tests import factories as f


def test_the_city_and_the_province_export_the_whole_programme(world, api_as):
    f.walk(
        world.case_north,
        "implementing",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    url = reverse("api-programme-export", args=[world.programme.pk])
    for who in ("city", "province"):
        doc = api_as(world.users[who]).get(url).json()
        assert doc["format"] == "qingshen.programme-export/1"
        assert (
            doc["programme"]["id"] == world.programme.pk and doc["programme"]["city"]["id"] == world.city.pk
        )
        assert {c["id"] for c in doc["cases"]} == {world.case_north.pk, world.case_south.pk}
        assert {lst["enterprise_uscc"] for lst in doc["listings"]} == {
            world.ent_north.uscc,
            world.ent_south.uscc,
        }
        north = next(c for c in doc["cases"] if c["id"] == world.case_north.pk)
        assert north["state"] == "implementing" and north["evaluation_passed_on"]
        total = doc["summary"]["rows"][-1]
        assert total["district"] is None and total["figures"]["listed"] == "2"
        assert "evaluations_passed" in doc["summary"]["columns"]


def test_a_district_exports_its_own_cases_and_others_find_nothing(world, api_as):
    url = reverse("api-programme-export", args=[world.programme.pk])
    doc = api_as(world.users["district"]).get(url).json()
    assert [c["id"] for c in doc["cases"]] == [world.case_north.pk]
    assert [lst["enterprise_uscc"] for lst in doc["listings"]] == [world.ent_north.uscc]
    for who in ("enterprise", "expert", "agency", "sysadmin"):
        response = api_as(world.users[who]).get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api_as(world.users["city"]).get(reverse("api-programme-export", args=[999999])).status_code == 404


def test_the_export_query_count_does_not_grow_with_the_cases(world, api_as, django_assert_max_num_queries):
    url = reverse("api-programme-export", args=[world.programme.pk])
    client = api_as(world.users["city"])
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for n in range(10):
        listing = Listing.objects.create(
            programme=world.programme,
            enterprise=f.enterprise(world.north, f"北区{n}厂"),
            grounds=["emissions"],
        )
        case_create_for_listing(listing=listing, published_on=world.case_north.published_on)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(url).json()["cases"]) == 12
