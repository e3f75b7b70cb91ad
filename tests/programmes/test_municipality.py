"""Province-level cities (直辖市, domain.md §8; issue 15 item 3): the city bureau is at provincial level,
so its list goes district → city, which confirms and publishes it, with no province step. A
prefecture-level city under a province still sends its list to the province. The difference is the
rows' `province_level` in lists.TRANSITIONS, read from the city's BureauSettings."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from qingshen.core.errors import Refused
from qingshen.programmes import listings, lists, services
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import DistrictProposal, Programme
from qingshen.registry.bureaus import bureau_settings_set, is_province_level
from qingshen.registry.models import BureauSettings
from qingshen.trail.models import Event
from tests import factories as f


@pytest.fixture
def draft(world):
    programme = services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    listings.listing_add(
        programme=programme,
        enterprise=f.enterprise(world.north),
        grounds=["emissions"],
        actor=world.users["district"],
    )
    return programme


@pytest.fixture
def municipality(world):
    bureau_settings_set(jurisdiction=world.city, actor=world.users["city"], province_level=True)
    world.city.refresh_from_db()
    return world


def _state(programme) -> str:
    return Programme.objects.get(pk=programme.pk).list_state


def test_a_municipality_runs_a_list_round_district_to_city_through_the_pages(
    municipality, draft, client_for, django_capture_on_commit_callbacks
):
    world = municipality
    north, city, province = world.users["district"], world.users["city"], world.users["province"]
    client_for(north).post(reverse("proposal-submit", args=[draft.pk, world.north.pk]))
    assert DistrictProposal.objects.get(programme=draft, district=world.north).status == "submitted"

    # The city's merge page offers its own confirmation, not a submission to the province.
    client = client_for(city)
    html = client.get(reverse("programme-merge", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="programme-submit">Confirm the list</button>' in html and "to the province?" not in html
    client.post(reverse("programme-submit", args=[draft.pk]))
    assert _state(draft) == "confirmed"
    assert DistrictProposal.objects.get(programme=draft, district=world.north).status == "merged"
    event = Event.objects.get(action="programme.city_confirm")
    assert event.actor_id == city.pk and event.after["merged_districts"] == [world.north.pk]

    # No province step: its page is not there and its steps are refused, naming why.
    assert client_for(province).get(reverse("programme-confirm", args=[draft.pk])).status_code == 404
    for name, actor in (("confirm", province), ("return", province), ("submit", city)):
        with translation.override("en"), pytest.raises(ProgrammeError) as refused:
            lists.list_transition(programme=draft, name=name, actor=actor, comment="x")
        assert "province-level city" in refused.value.message
    assert _state(draft) == "confirmed"

    # The city publishes: the cases open.
    with django_capture_on_commit_callbacks(execute=True):
        client_for(city).post(
            reverse("programme-publish", args=[draft.pk]), {"published_on": timezone.localdate().isoformat()}
        )
    assert _state(draft) == "published" and draft.cases.count() == 1
    assert not Event.objects.filter(
        action__in=["programme.submit", "programme.confirm"], object_id=str(draft.pk)
    )


def test_a_municipalitys_workflow_has_no_province_row(municipality, draft):
    names = {t.name for t in lists.transitions_for(draft)}
    assert "city_confirm" in names and not names & {"submit", "confirm", "return"}
    assert lists.city_step_from_draft(draft).name == "city_confirm"
    assert all("province" not in t.roles for t in lists.transitions_for(draft))


def test_only_the_municipalitys_own_city_bureau_confirms(municipality, draft):
    world = municipality
    for who in ("district", "province", "supervisor", "district_south"):
        with pytest.raises(ProgrammeError):
            lists.list_transition(programme=draft, name="city_confirm", actor=world.users[who])
    other_city = f.jurisdiction("另一市", "city", world.province, code="500200")
    stranger = f.user("city2", "city", jurisdiction=other_city)
    with pytest.raises(ProgrammeError):
        lists.list_transition(programme=draft, name="city_confirm", actor=stranger)
    assert _state(draft) == "draft"
    empty = services.programme_create(city=world.city, year=2028, actor=world.users["city"])
    with pytest.raises(ProgrammeError):  # an empty list is not confirmed
        lists.list_transition(programme=empty, name="city_confirm", actor=world.users["city"])


def test_a_prefecture_city_still_needs_the_provinces_confirmation(world, draft, client_for):
    city, province = world.users["city"], world.users["province"]
    assert not is_province_level(world.city)
    with translation.override("en"), pytest.raises(ProgrammeError) as refused:
        lists.list_transition(programme=draft, name="city_confirm", actor=city)
    assert "goes to the province" in refused.value.message and _state(draft) == "draft"
    assert lists.city_step_from_draft(draft).name == "submit"
    client_for(city).post(reverse("programme-submit", args=[draft.pk]))
    assert _state(draft) == "submitted"
    with pytest.raises(ProgrammeError):  # the city cannot publish what the province has not confirmed
        lists.list_transition(programme=draft, name="publish", actor=city, published_on=timezone.localdate())
    confirm = client_for(province)
    assert confirm.get(reverse("programme-confirm", args=[draft.pk])).status_code == 200
    confirm.post(reverse("programme-confirm", args=[draft.pk]), {"decision": "confirm"})
    assert _state(draft) == "confirmed"
    assert Event.objects.filter(action="programme.confirm", actor=province.pk).exists()


def test_whether_a_city_is_province_level_is_its_own_setting(world):
    for who in ("district", "province", "sysadmin"):
        with pytest.raises(Refused):
            bureau_settings_set(jurisdiction=world.city, actor=world.users[who], province_level=True)
    with pytest.raises(Refused):  # a district is no city
        bureau_settings_set(jurisdiction=world.north, actor=world.users["district"], province_level=True)
    assert not BureauSettings.objects.exists()
    bureau_settings_set(jurisdiction=world.city, actor=world.users["city"], province_level=True)
    event = Event.objects.get(action="bureau.settings.set")
    assert event.before == {"province_level": False} and event.after == {"province_level": True}
