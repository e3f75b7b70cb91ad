"""The sweep's permit warnings (issue 19): an open round whose enterprise has no permit, an expired one,
or one expiring within the rule's notice period; recorded once, read by the warnings page in scope."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from qingshen.oversight.models import PermitWarning
from qingshen.oversight.permit_warnings import PERMIT_RENEWAL_RULE, permit_warnings_record
from qingshen.procedures.models import Rule
from qingshen.registry.models import Permit

pytestmark = pytest.mark.django_db


def permit_for(ent, valid_to, valid_from=None, suffix="001P"):
    return Permit.objects.create(
        enterprise=ent,
        number=f"{ent.uscc}{suffix}",
        management_class=Permit.ManagementClass.KEY,
        issuing_authority="测试市生态环境局",
        valid_from=valid_from or valid_to - datetime.timedelta(days=5 * 365),
        valid_to=valid_to,
    )


def kinds(case):
    return sorted(PermitWarning.objects.filter(case=case).values_list("kind", flat=True))


def test_rule_seeded_with_its_source():
    rule = Rule.objects.get(code=PERMIT_RENEWAL_RULE)
    assert rule.amount == 60 and rule.unit == "days" and "排污许可管理条例" in rule.source


def test_missing_permit_warned_once(world):
    assert permit_warnings_record() == {"missing": 2}
    assert permit_warnings_record() == {}
    assert kinds(world.case_north) == ["missing"]


def test_expiring_then_expired_as_time_passes(world):
    today = timezone.localdate()
    permit_for(world.ent_north, today + datetime.timedelta(days=100))
    permit_for(world.ent_south, today + datetime.timedelta(days=1000))
    assert permit_warnings_record() == {}
    with time_machine.travel(timezone.now() + datetime.timedelta(days=45)):
        assert permit_warnings_record() == {"expiring": 1}
        assert permit_warnings_record() == {}
    assert kinds(world.case_north) == ["expiring"]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=101)):
        call_command("sweep", "--skip-recompute", stdout=io.StringIO())
    assert kinds(world.case_north) == ["expired", "expiring"]
    assert kinds(world.case_south) == []


def test_notice_period_is_the_rule_and_a_renewal_silences_it(world):
    today = timezone.localdate()
    old = permit_for(world.ent_north, today + datetime.timedelta(days=20))
    permit_for(world.ent_south, today + datetime.timedelta(days=1000))
    Rule.objects.filter(code=PERMIT_RENEWAL_RULE).update(amount=10)
    assert permit_warnings_record() == {}
    assert permit_warnings_record(today=today + datetime.timedelta(days=10)) == {"expiring": 1}
    PermitWarning.objects.all().delete()
    permit_for(world.ent_north, old.valid_to + datetime.timedelta(days=1825), old.valid_to, suffix="002P")
    assert permit_warnings_record(today=today + datetime.timedelta(days=10)) == {}


def test_warnings_page_shows_permit_warnings_in_scope(world, client_for):
    permit_warnings_record()
    page = client_for(world.users["district"]).get(reverse("warning-list")).content.decode()
    assert (
        'id="permit-warnings"' in page and world.ent_north.name in page and world.ent_south.name not in page
    )
    page = client_for(world.users["enterprise_south"]).get(reverse("warning-list")).content.decode()
    assert world.ent_north.name not in page


def test_the_sweep_is_set_based_whatever_the_number_of_rounds(world):
    """The same few statements for two rounds or five, and the recorded warnings are never read back
    into Python (the anti-join in the database skips them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qingshen.cases.services import case_create_for_listing
    from qingshen.programmes.models import Listing
    from tests import factories as f

    def run():
        with CaptureQueriesContext(connection) as ctx:
            counts = permit_warnings_record()
        return counts, [q["sql"] for q in ctx.captured_queries]

    counts, two = run()
    assert counts == {"missing": 2}
    PermitWarning.objects.all().delete()
    for n in range(3):
        ent = f.enterprise(world.north, f"北区第{n}化工有限公司")
        listing = Listing.objects.create(programme=world.programme, enterprise=ent, grounds=["emissions"])
        case_create_for_listing(listing=listing, published_on=world.case_north.published_on)
    counts, five = run()
    assert counts == {"missing": 5} and len(five) == len(two)
    table = PermitWarning._meta.db_table
    assert not [q for q in five if q.lstrip().upper().startswith("SELECT") and table in q]
