"""The list's workflow is the environment bureau's (domain.md §8, 按职责分工): the energy-saving authority
proposes and withdraws only the energy-use listings it leads, and cannot set up, merge, submit, confirm,
publish or import a list; it still sees the list."""

import pytest
from django.urls import reverse

from qingshen.programmes import listings, lists, services
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Listing, Programme
from tests import factories as f


@pytest.fixture
def draft(world):
    world.energy = f.energy_user("city-energy", world.city)
    world.energy_north = f.energy_user("north-energy", world.north, role="district")
    world.energy_province = f.energy_user("prov-energy", world.province, role="province")
    world.draft = services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    return world


def test_the_energy_authority_cannot_set_up_a_programme(draft, client_for):
    w = draft
    with pytest.raises(ProgrammeError):
        services.programme_create(city=w.city, year=2028, actor=w.energy)
    assert client_for(w.energy).get(reverse("programme-new")).status_code == 404
    assert client_for(w.users["city"]).get(reverse("programme-new")).status_code == 200
    assert client_for(w.energy).get(reverse("programme-edit", args=[w.draft.pk])).status_code == 404
    assert not Programme.objects.filter(year=2028).exists()


def test_the_energy_authority_proposes_only_energy_use_listings(draft):
    w = draft
    ent = f.enterprise(w.north, "北区钢铁有限公司")
    with pytest.raises(ProgrammeError):
        listings.listing_add(programme=w.draft, enterprise=ent, grounds=["emissions"], actor=w.energy)
    with pytest.raises(ProgrammeError):
        listings.listing_add(
            programme=w.draft, enterprise=ent, grounds=["energy", "hazardous"], actor=w.energy_north
        )
    assert not Listing.objects.filter(programme=w.draft).exists()
    listing = listings.listing_add(
        programme=w.draft, enterprise=ent, grounds=["energy"], actor=w.energy_north
    )
    assert listing.lead_authority == "energy"
    other = listings.listing_add(
        programme=w.draft, enterprise=w.ent_north, grounds=["emissions"], actor=w.users["city"]
    )
    with pytest.raises(ProgrammeError):
        listings.listing_remove(listing=other, actor=w.energy)
    assert Listing.objects.filter(pk=other.pk).exists()
    listings.listing_remove(listing=listing, actor=w.energy)
    assert not Listing.objects.filter(pk=listing.pk).exists()


def test_the_energy_authority_takes_no_step_of_the_list(draft):
    w = draft
    listings.listing_add(
        programme=w.draft, enterprise=w.ent_north, grounds=["emissions"], actor=w.users["city"]
    )
    with pytest.raises(ProgrammeError):
        lists.list_transition(name="submit", programme=w.draft, actor=w.energy)
    assert Programme.objects.get(pk=w.draft.pk).list_state == "draft"
    lists.list_transition(name="submit", programme=w.draft, actor=w.users["city"])
    with pytest.raises(ProgrammeError):
        lists.list_transition(name="confirm", programme=w.draft, actor=w.energy_province)
    assert Programme.objects.get(pk=w.draft.pk).list_state == "submitted"


def test_the_energy_authority_still_sees_the_list(draft, client_for):
    w = draft
    client = client_for(w.energy)
    assert client.get(reverse("programme-detail", args=[w.programme.pk])).status_code == 200
    # The city's own link to set up a programme is not offered to it.
    body = client.get(reverse("programme-list")).content.decode()
    assert reverse("programme-new") not in body
    assert (
        reverse("programme-new")
        in client_for(w.users["city"]).get(reverse("programme-list")).content.decode()
    )
