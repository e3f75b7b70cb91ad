"""Permit and annual disclosure warnings reach people as the deadline warnings do: the enterprise a
notice per case, city and district staff a digest of their jurisdiction's new ones; each told once."""

import datetime
import io

import pytest
from django.core.management import call_command

from qingshen.cases import annual_disclosures as annual
from qingshen.notifications.models import Delivery, Notification
from qingshen.oversight.annual_warnings import annual_warnings_record
from qingshen.oversight.case_warning_notices import case_warnings_notify
from qingshen.oversight.models import AnnualDisclosureWarning, PermitWarning
from qingshen.oversight.permit_warnings import permit_warnings_record
from qingshen.trail.models import Event

pytestmark = pytest.mark.django_db


def _notices(user, word):
    return list(Notification.objects.filter(recipient=user, body__contains=word))


def test_missing_permits_are_told_to_the_enterprise_and_the_staff_once(world):
    world.ent_north.contact_email = "hb@north.example.cn"
    world.ent_north.save()
    assert permit_warnings_record() == {"missing": 2}
    assert case_warnings_notify() == {"enterprise_notices": 2, "digests": 3}
    assert case_warnings_notify() == {"enterprise_notices": 0, "digests": 0}
    (notice,) = _notices(world.users["enterprise"], "排污许可")
    assert world.ent_north.name in notice.subject and notice.url == world.case_north.get_absolute_url()
    assert Delivery.objects.filter(address="hb@north.example.cn", subject=notice.subject).exists()
    (north,) = _notices(world.users["district"], "排污许可")
    assert world.ent_north.name in north.body and world.ent_south.name not in north.body
    assert north.url == "/warnings/" and "1" in north.subject
    (city,) = _notices(world.users["city"], "排污许可")
    assert world.ent_south.name in city.body and "2" in city.subject
    assert not _notices(world.users["enterprise_south"], world.ent_north.name)
    assert not _notices(world.users["province"], "排污许可")
    assert not PermitWarning.objects.filter(notified_at__isnull=True).exists()
    assert Event.objects.filter(action="oversight.case_warnings.notify").count() == 1


def test_a_late_annual_disclosure_is_told_by_the_sweep(world):
    year = world.case_north.published_on.year
    due = annual.due_on(year)
    annual_warnings_record(today=due + datetime.timedelta(days=1))
    call_command("sweep", "--skip-recompute", stdout=io.StringIO())
    (notice,) = _notices(world.users["enterprise"], "年度")
    assert str(year) in notice.body and str(due) in notice.body
    assert _notices(world.users["district"], str(due))
    assert not AnnualDisclosureWarning.objects.filter(notified_at__isnull=True).exists()


def test_permit_digests_go_to_the_environment_bureau_only(world):
    from tests import factories as f

    energy = f.energy_user("energy-city", world.city)
    permit_warnings_record()
    assert case_warnings_notify()["digests"] == 3
    assert _notices(world.users["city"], "排污许可") and not _notices(energy, "排污许可")
