"""A district's proposal page over HTTP: adding an enterprise stays on the page, and the submit button
goes away once the proposal is sent (and comes back when the city returns it)."""

import pytest
from django.urls import reverse

from qingshen.programmes import services
from tests import factories as f


@pytest.fixture
def draft(world):
    return services.programme_create(city=world.city, year=2027, actor=world.users["city"])


def _add(client, draft, enterprise, next_url, grounds=("emissions",)):
    return client.post(
        reverse("listing-add", args=[draft.pk]),
        {"enterprise": enterprise.pk, "grounds": list(grounds), "next": next_url},
    )


def test_adding_an_enterprise_on_the_proposal_page_stays_on_it(world, draft, client_for):
    page = reverse("proposal-page", args=[draft.pk, world.north.pk])
    client = client_for(world.users["district"])
    assert f'name="next" value="{page}"' in client.get(page).content.decode()
    response = _add(client, draft, f.enterprise(world.north, "北区新材料有限公司"), page)
    assert response.status_code == 302 and response.url == page
    assert "北区新材料有限公司" in client.get(page).content.decode()
    # A refused add (no ground ticked) shows the same page again, the message beside the grounds, and
    # the form still comes back to the page.
    refused = _add(client, draft, f.enterprise(world.north), page, grounds=())
    html = refused.content.decode()
    assert refused.status_code == 200 and draft.listings.count() == 1
    assert 'id="proposal-add"' in html and 'data-field="grounds"' in html
    assert f'name="next" value="{page}"' in html


def test_a_next_address_off_the_site_falls_back_to_the_programme_page(world, draft, client_for):
    response = _add(
        client_for(world.users["district"]), draft, f.enterprise(world.north), "https://evil.example/"
    )
    assert response.url == reverse("programme-detail", args=[draft.pk])


def test_a_district_cannot_add_another_districts_enterprise_from_the_page(world, draft, client_for):
    page = reverse("proposal-page", args=[draft.pk, world.south.pk])
    client = client_for(world.users["district"])
    assert client.get(page).status_code == 404
    _add(client, draft, f.enterprise(world.south), page)
    assert not draft.listings.exists()


def test_the_submit_button_goes_once_submitted_and_returns_with_the_proposal(world, draft, client_for):
    page = reverse("proposal-page", args=[draft.pk, world.north.pk])
    district = client_for(world.users["district"])
    _add(district, draft, f.enterprise(world.north), page)
    assert b'id="proposal-submit"' in district.get(page).content
    district.post(reverse("proposal-submit", args=[draft.pk, world.north.pk]))
    html = district.get(page).content.decode()
    assert 'id="proposal-submit"' not in html and 'id="proposal-add"' not in html
    city = client_for(world.users["city"])
    city.post(reverse("proposal-return", args=[draft.pk, world.north.pk]), {"comment": "请补充"})
    assert b'id="proposal-submit"' in client_for(world.users["district"]).get(page).content
