"""The bureau's settings page: the city says whether it is province-level and who organises its reviews
(and each programme may differ); a district names its review section; nobody else has the page."""

import pytest
from django.urls import reverse

from qingshen.programmes.models import Programme
from qingshen.registry.bureaus import bureau_settings, is_province_level
from qingshen.registry.models import BureauSettings
from qingshen.trail.models import Event

URL = reverse("bureau-settings")


@pytest.mark.parametrize(
    "who", ["province", "supervisor", "enterprise", "agency", "expert", "auditor", "security", "sysadmin"]
)
def test_only_city_and_district_bureaus_have_the_page(world, client_for, who):
    client = client_for(world.users[who])
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"review_organiser": "district", "province_level": "on"}).status_code == 404
    assert not BureauSettings.objects.exists()


def test_the_city_sets_itself_province_level_and_gives_reviews_to_the_districts(world, client_for):
    client = client_for(world.users["city"])
    page = client.get(URL).content.decode()
    assert 'name="province_level"' in page and 'name="review_organiser"' in page
    assert f'data-programme="{world.programme.pk}"' in page
    client.post(
        URL,
        {
            "province_level": "on",
            "review_organiser": "district",
            "district_penalties": "propose",
            "review_section": "自然科",
        },
    )
    row = BureauSettings.objects.get(jurisdiction=world.city)
    assert (row.province_level, row.review_organiser, row.review_section) == (True, "district", "自然科")
    assert Event.objects.filter(action="bureau.settings.set", actor=world.users["city"]).count() == 1
    # Bad input: a message, nothing changed.
    response = client.post(URL, {"review_organiser": "province"})
    assert response.status_code == 200 and "alert" in response.content.decode()
    world.city.refresh_from_db()
    assert bureau_settings(world.city).review_organiser == "district" and is_province_level(world.city)


def test_the_city_overrides_a_programmes_organiser(world, client_for):
    client = client_for(world.users["city"])
    client.post(URL, {"op": "programme", "programme": world.programme.pk, "review_organiser": "district"})
    assert Programme.objects.get(pk=world.programme.pk).review_organiser == "district"
    client.post(URL, {"op": "programme", "programme": world.programme.pk, "review_organiser": "nobody"})
    assert Programme.objects.get(pk=world.programme.pk).review_organiser == "district"
    client.post(URL, {"op": "programme", "programme": world.programme.pk, "review_organiser": ""})
    assert Programme.objects.get(pk=world.programme.pk).review_organiser == ""
    # A district has no programme to set.
    district = client_for(world.users["district"])
    response = district.post(
        URL, {"op": "programme", "programme": world.programme.pk, "review_organiser": "district"}
    )
    assert response.status_code == 404
    assert Programme.objects.get(pk=world.programme.pk).review_organiser == ""


def test_a_district_names_only_its_review_section(world, client_for):
    client = client_for(world.users["district"])
    page = client.get(URL).content.decode()
    assert 'name="review_section"' in page
    assert 'name="province_level"' not in page and 'name="review_organiser"' not in page
    client.post(URL, {"review_section": "环评科", "province_level": "on", "review_organiser": "district"})
    assert BureauSettings.objects.get(jurisdiction=world.north).review_section == "环评科"
    assert not BureauSettings.objects.filter(jurisdiction=world.city).exists()
    assert not is_province_level(world.north)
