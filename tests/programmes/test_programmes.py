import datetime

import pytest
from django.utils import timezone

from qingshen.programmes import listings, lists, services
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Ground, LeadAuthority, lead_authority_for
from tests import factories as f


@pytest.mark.parametrize(
    ("grounds", "lead"),
    [
        (["emissions"], LeadAuthority.ENVIRONMENT),
        (["hazardous"], LeadAuthority.ENVIRONMENT),
        (["energy"], LeadAuthority.ENERGY),
        (["energy", "hazardous"], LeadAuthority.ENVIRONMENT),
        (["other"], LeadAuthority.ENVIRONMENT),
    ],
)
def test_lead_authority_from_grounds(grounds, lead):
    assert lead_authority_for(grounds) == lead


def test_listing_rules(world):
    city = world.users["city"]
    programme = services.programme_create(city=world.city, year=2027, actor=city)
    ent = f.enterprise(world.north)
    with pytest.raises(ProgrammeError):
        listings.listing_add(programme=programme, enterprise=ent, grounds=[], actor=city)
    with pytest.raises(ProgrammeError):
        listings.listing_add(programme=programme, enterprise=ent, grounds=["bogus"], actor=city)
    with pytest.raises(ProgrammeError):
        listings.listing_add(programme=programme, enterprise=ent, grounds=[Ground.OTHER], actor=city)
    listing = listings.listing_add(
        programme=programme, enterprise=ent, grounds=["hazardous", "emissions", "emissions"], actor=city
    )
    assert listing.grounds == ["emissions", "hazardous"]
    with pytest.raises(ProgrammeError):
        listings.listing_add(programme=programme, enterprise=ent, grounds=["energy"], actor=city)


def test_district_proposes_only_its_own_enterprises(world):
    programme = services.programme_create(city=world.city, year=2027, actor=world.users["city"])
    north = world.users["district"]
    listings.listing_add(
        programme=programme, enterprise=f.enterprise(world.north), grounds=["emissions"], actor=north
    )
    with pytest.raises(ProgrammeError):
        listings.listing_add(
            programme=programme, enterprise=f.enterprise(world.south), grounds=["emissions"], actor=north
        )
    with pytest.raises(ProgrammeError):
        listings.listing_add(
            programme=programme,
            enterprise=f.enterprise(world.south),
            grounds=["emissions"],
            actor=world.users["enterprise"],
        )


def test_publish_opens_cases_once_and_freezes_the_list(world):
    city = world.users["city"]
    programme = services.programme_create(city=world.city, year=2027, actor=city)
    with pytest.raises(ProgrammeError):
        lists.list_transition(name="publish", programme=programme, actor=city)  # empty list
    listings.listing_add(
        programme=programme, enterprise=f.enterprise(world.zone), grounds=["energy"], actor=city
    )
    with pytest.raises(ProgrammeError):
        lists.list_transition(
            name="publish", programme=programme, actor=city
        )  # not confirmed by the province
    f.confirm_list(programme, city_user=city, province_user=world.users["province"])
    with pytest.raises(ProgrammeError):
        lists.list_transition(name="publish", programme=programme, actor=world.users["province"])
    with pytest.raises(ProgrammeError):
        lists.list_transition(
            name="publish",
            programme=programme,
            actor=city,
            published_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    lists.list_transition(
        name="publish", programme=programme, actor=city, published_on=datetime.date(2026, 2, 2)
    )
    case = programme.cases.get()
    assert case.state == "listed" and case.published_on == datetime.date(2026, 2, 2)
    assert case.jurisdiction == world.zone  # a functional zone without a GB/T 2260 code
    with pytest.raises(ProgrammeError):
        lists.list_transition(name="publish", programme=programme, actor=city)
    with pytest.raises(ProgrammeError):
        listings.listing_add(
            programme=programme, enterprise=f.enterprise(world.north), grounds=["energy"], actor=city
        )
    assert programme.cases.count() == 1


def test_one_programme_per_city_and_year(world):
    with pytest.raises(ProgrammeError):
        services.programme_create(city=world.city, year=2026, actor=world.users["city"])
