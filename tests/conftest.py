import datetime

import pytest
from django.utils import timezone

from qingshen.accounts.roles import Role
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from tests import factories as f


@pytest.fixture
def world(db):
    """A province, a city with two districts and a functional zone, one user per role, two enterprises
    in different districts, and a published programme with a case for each."""
    province = f.jurisdiction("测试省", "province", code="500000")
    city = f.jurisdiction("测试市", "city", province, code="500100")
    north = f.jurisdiction("北区", "district", city, code="500112")
    south = f.jurisdiction("南区", "district", city, code="500113")
    zone = f.jurisdiction("高新区", "district", city)
    ent_north = f.enterprise(north, "北区化工有限公司")
    ent_south = f.enterprise(south, "南区电镀有限公司")
    agency = f.agency()
    users = {
        "province": f.user("prov", Role.PROVINCE, jurisdiction=province),
        "city": f.user("city", Role.CITY, jurisdiction=city),
        "district": f.user("north", Role.DISTRICT, jurisdiction=north),
        "district_south": f.user("south", Role.DISTRICT, jurisdiction=south),
        "supervisor": f.user("sup", Role.SUPERVISOR, jurisdiction=city),
        "enterprise": f.user("ent", Role.ENTERPRISE, enterprise=ent_north),
        "enterprise_south": f.user("ent2", Role.ENTERPRISE, enterprise=ent_south),
        "agency": f.user("agency", Role.AGENCY, agency=agency),
        "expert": f.user("expert", Role.EXPERT),
        "auditor": f.user("auditor", Role.AUDITOR),
        "security": f.user("security", Role.SECURITY),
        "sysadmin": f.user("sysadmin", Role.SYSADMIN),
    }
    programme = programme_services.programme_create(city=city, year=2026, actor=users["city"])
    for ent, grounds in ((ent_north, ["emissions"]), (ent_south, ["energy"])):
        programme_listings.listing_add(
            programme=programme, enterprise=ent, grounds=grounds, actor=users["city"]
        )
    published_on = timezone.localdate() - datetime.timedelta(days=10)
    f.confirm_list(programme, city_user=users["city"], province_user=users["province"])
    programme_lists.list_transition(
        name="publish", programme=programme, actor=users["city"], published_on=published_on
    )

    class World:
        pass

    w = World()
    w.province, w.city, w.north, w.south, w.zone = province, city, north, south, zone
    w.ent_north, w.ent_south, w.agency, w.users, w.programme = ent_north, ent_south, agency, users, programme
    w.case_north = programme.cases.get(enterprise=ent_north)
    w.case_south = programme.cases.get(enterprise=ent_south)
    # Both enterprises have filled in their Art. 11 disclosure (a draft with its proof), so that the
    # `disclose` step may be taken; tests of the guard use a case without one (issue 5).
    f.disclosure_ready(w.case_north, users["enterprise"])
    f.disclosure_ready(w.case_south, users["enterprise_south"])
    return w


@pytest.fixture
def client_for(client):
    """Log a test client in as a user of the world."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _security_parameters_fresh():
    """Security parameters are cached per process; a test's changes roll back, so must the cache."""
    from qingshen.accounts.parameters import cache_clear

    cache_clear()
    yield
    cache_clear()


@pytest.fixture(autouse=True)
def _cache_fresh():
    """The cache holds counters keyed by ids (API throttles, refused-token logging); ids are reused by the
    next test's database, so each test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def seeded_data(transactional_db):
    """For transactional tests: the seed data of the migrations, flushed by an earlier such test."""
    f.reseed()


@pytest.fixture(autouse=True)
def _log_checkpoint_file(settings, tmp_path_factory):
    """Each test's database starts afresh, so must the exported checkpoints it is compared with."""
    settings.QINGSHEN_LOG_CHECKPOINT_FILE = tmp_path_factory.mktemp("log") / "log-checkpoints.jsonl"
