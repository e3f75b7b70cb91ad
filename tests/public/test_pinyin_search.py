"""Pinyin search anywhere in the name, by initials or full pinyin: the public search, the registry
and the case list; keys rebuilt by the migration and by `rebuild_search_keys`."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.registry.models import SearchKey
from qingshen.registry.search_keys import initials_of, pinyin_of, query_key
from qingshen.trail.models import Event
from tests import factories as f

NAME = "重庆清审测试化工有限公司"


def test_the_keys_of_a_name():
    assert initials_of(NAME) == "cqqscshgyxgs"
    assert pinyin_of(NAME) == "chongqingqingshenceshihuagongyouxiangongsi"  # 重庆 read as chongqing
    assert query_key(" Chong Qing ") == "chongqing" and query_key("xi'an") == "xian"
    assert query_key("化工") is None and query_key("c") is None


@pytest.fixture
def listed(world):
    """NAME listed and published in the world's city (north), beside the world's two cases."""
    city = world.users["city"]
    programme = programme_services.programme_create(city=world.city, year=2027, actor=city)
    world.ent_test = f.enterprise(world.north, NAME)
    world.ent_river = f.enterprise(world.south, "重庆长江化工化工有限公司")  # the demo's first name
    for ent in (world.ent_test, world.ent_river):
        programme_listings.listing_add(programme=programme, enterprise=ent, grounds=["emissions"], actor=city)
    f.confirm_list(programme, city_user=city, province_user=world.users["province"])
    programme_lists.list_transition(name="publish", programme=programme, actor=city)
    world.case_test = programme.cases.get(enterprise=world.ent_test)
    return world


@pytest.mark.parametrize("q", ["qscs", "QSCS", "cqqs", "hgyx", "ceshi", "qingshen", "Qing Shen", "huagong"])
def test_the_public_search_matches_pinyin_anywhere(listed, client, q):
    html = client.get(reverse("public-search"), {"q": q}).content.decode()
    assert f'data-case="{listed.case_test.pk}"' in html, q


def test_the_readme_examples_find_the_demo_enterprise(listed, client):
    for q in ("cjhg", "changjiang"):
        html = client.get(reverse("public-search"), {"q": q}).content.decode()
        assert listed.ent_river.name in html, q
        assert NAME not in html


def test_a_query_in_no_name_finds_nothing(listed, client):
    for q in ("zzzz", "qscsx"):
        assert 'data-case="' not in client.get(reverse("public-search"), {"q": q}).content.decode()


def test_the_registry_and_the_case_list_search_by_pinyin(listed, client_for):
    client = client_for(listed.users["city"])
    html = client.get(reverse("enterprise-list"), {"q": "qscs"}).content.decode()
    assert NAME in html and listed.ent_north.name not in html
    html = client.get(reverse("case-list"), {"q": "ceshi"}).content.decode()
    assert NAME in html and listed.ent_north.name not in html
    # A district still sees only its own: the pinyin does not widen the scope.
    html = (
        client_for(listed.users["district_south"]).get(reverse("case-list"), {"q": "qscs"}).content.decode()
    )
    assert NAME not in html


def test_the_command_rebuilds_every_key(listed):
    SearchKey.objects.update(initials="", full="")
    call_command("rebuild_search_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    key = SearchKey.objects.get(enterprise=listed.ent_test)
    assert (key.initials, key.full) == (initials_of(NAME), pinyin_of(NAME))
    assert Event.objects.filter(action="public.search_keys.rebuild").exists()


def test_the_migration_fills_the_full_pinyin(listed):
    import importlib

    from django.apps import apps

    SearchKey.objects.update(full="")
    importlib.import_module("qingshen.public.migrations.0003_search_keys_full_pinyin").rebuild(apps, None)
    assert SearchKey.objects.get(enterprise=listed.ent_test).full == pinyin_of(NAME)


def _queries(client, q) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("public-search"), {"q": q}).status_code == 200
    return len(ctx.captured_queries)


def test_the_public_search_query_count_is_flat(listed, client):
    _queries(client, "hg")
    one = _queries(client, "qscs")
    many = _queries(client, "hg")  # every name here has 化工 or its initials
    none = _queries(client, "zzzz")
    assert one == many and none <= one
