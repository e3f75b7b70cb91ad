"""The add-listing forms offer the energy-saving authority only the ground it leads (energy use alone), as
the service allows; the environment bureau is offered every ground."""

import pytest
from django.urls import reverse

from qingshen.programmes import services
from qingshen.programmes.models import Ground, Listing
from tests import factories as f


@pytest.fixture
def draft(world):
    world.energy = f.energy_user("city-energy", world.city)
    world.energy_north = f.energy_user("north-energy", world.north, role="district")
    world.draft = services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    world.steel = f.enterprise(world.north, "北区钢铁有限公司")
    return world


def _boxes(body: str) -> set[str]:
    return {g for g in Ground.values if f'name="grounds" value="{g}"' in body}


@pytest.mark.parametrize("who", ["energy", "energy_north"])
def test_the_energy_authority_is_offered_the_energy_ground_only(draft, client_for, who):
    w = draft
    client = client_for(getattr(w, who))
    body = client.get(reverse("programme-detail", args=[w.draft.pk])).content.decode()
    assert _boxes(body) == {Ground.ENERGY}
    page = client.get(reverse("proposal-page", args=[w.draft.pk, w.north.pk]))
    assert page.status_code == 200
    assert _boxes(page.content.decode()) == {Ground.ENERGY}
    # Another ground posted anyway: refused by the form, nothing listed.
    data = {"enterprise": w.steel.pk, "grounds": ["emissions"], "other_reason": "", "note": ""}
    client.post(reverse("listing-add", args=[w.draft.pk]), data)
    assert not Listing.objects.filter(programme=w.draft).exists()
    data["grounds"] = ["energy"]
    client.post(reverse("listing-add", args=[w.draft.pk]), data)
    assert Listing.objects.get(programme=w.draft).lead_authority == "energy"
    # The environment bureau is offered every ground.
    for user in (w.users["city"], w.users["district"]):
        body = client_for(user).get(reverse("programme-detail", args=[w.draft.pk])).content.decode()
        assert _boxes(body) == set(Ground.values)
