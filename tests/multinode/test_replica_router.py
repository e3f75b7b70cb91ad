"""The database router: the reports' and the dashboard's reads go to the replica when one is set,
writes (and reads inside a transaction) never do, and nothing changes without a replica."""

import pytest
from django.conf import settings as django_settings
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.models import AuditCase
from qingshen.core.dbrouter import replica_reads
from qingshen.programmes.models import Programme
from qingshen.reports import figures, services
from qingshen.reports import scoping as reports_scoping
from qingshen.reports.dashboard import dashboard, dashboard_cached
from qingshen.reports.models import SummaryFiling


@pytest.fixture
def replica(settings):
    """A `replica` alias on a second connection to the test database (what a streaming replica is
    to its primary), and the router told to use it, as DATABASE_REPLICA_URL does."""
    connections.settings["replica"] = dict(connections["default"].settings_dict)
    settings.QINGSHEN_READ_REPLICA = "replica"
    # Connected here: the test case refuses to open connections to aliases it was not told of.
    connections["replica"].connect()
    yield connections["replica"]
    connections["replica"].close()
    del connections["replica"]
    del connections.settings["replica"]


def _summary(world, user):
    return figures.summary_table(
        programme=world.programme,
        cases=cases_scoping.cases_visible(user),
        districts=reports_scoping.summary_districts_visible(user, world.programme),
    )


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_and_the_summary_read_from_the_replica(world, replica, settings):
    settings.QINGSHEN_DASHBOARD_CACHE_SECONDS = 0
    city = world.users["city"]
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as copy:
        board = dashboard(user=city)
        table = _summary(world, city)
    assert board.headline.listed == 2
    assert table.total["listed"] == 2
    assert len(copy.captured_queries) > 5
    assert primary.captured_queries == []


@pytest.mark.django_db(transaction=True)
def test_the_cached_dashboard_reads_its_version_and_figures_from_the_replica(world, replica, settings):
    settings.QINGSHEN_DASHBOARD_CACHE_SECONDS = 60
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(replica) as copy:
        dashboard_cached(user=world.users["province"])
    assert copy.captured_queries and primary.captured_queries == []


@pytest.mark.django_db(transaction=True)
def test_writes_and_transactions_stay_on_the_primary(world, replica):
    district = world.users["district"]

    @replica_reads
    def routes():
        return (
            AuditCase.objects.all().db,
            AuditCase.objects.select_for_update().db,
            router.db_for_write(AuditCase),
        )

    assert routes() == ("replica", "default", "default")
    with transaction.atomic():  # a read inside a transaction sees that transaction's writes
        assert routes() == ("default", "default", "default")
    # Filing a summary reads the same figures inside its transaction: all of it on the primary.
    with CaptureQueriesContext(replica) as copy:
        programme = Programme.objects.get(pk=world.programme.pk)  # as published
        filing = services.summary_file(programme=programme, district=world.north, actor=district)
    assert copy.captured_queries == []
    assert SummaryFiling.objects.using("default").filter(pk=filing.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_other_pages_read_from_the_primary(world, replica):
    assert AuditCase.objects.all().db == "default"
    assert router.db_for_read(AuditCase) == "default"


@pytest.mark.django_db(transaction=True)
def test_without_a_replica_everything_stays_on_the_primary(world, settings):
    assert settings.QINGSHEN_READ_REPLICA == ""
    assert list(django_settings.DATABASES) == ["default"]
    assert replica_reads(lambda: AuditCase.objects.all().db)() == "default"
    with CaptureQueriesContext(connections["default"]) as primary:
        dashboard(user=world.users["city"])
    assert primary.captured_queries
