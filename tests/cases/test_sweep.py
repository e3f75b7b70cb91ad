import datetime

from django.core.management import call_command

from qingshen.cases.models import AuditCase
from qingshen.maintenance.deadline_sweep import deadlines_sweep
from qingshen.procedures.models import CalendarDay, Rule
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.trail.models import Event
from tests import factories as f


def test_sweep_is_idempotent_and_follows_rule_edits(world):
    assert deadlines_sweep().changed == 0
    Rule.objects.filter(code="disclosure_due").update(amount=2)
    result = deadlines_sweep()
    assert (result.checked, result.changed) == (2, 2)
    assert deadlines_sweep().changed == 0
    # One event per duty whose rows moved: both cases were published the same day, one group.
    group = Event.objects.get(action="case.deadlines.recompute.bulk")
    assert group.after["duty"] == "disclosure" and group.after["cases"] == 2


def test_loading_a_holiday_year_makes_deadlines_final(world):
    city = world.users["city"]
    programme = programme_services.programme_create(city=world.city, year=2027, actor=city)
    programme_listings.listing_add(
        programme=programme, enterprise=f.enterprise(world.north), grounds=["emissions"], actor=city
    )
    f.confirm_list(programme, city_user=city, province_user=world.users["province"])
    programme_lists.list_transition(
        name="publish", programme=programme, actor=city, published_on=datetime.date(2026, 11, 2)
    )
    case = AuditCase.objects.get(programme=programme)
    report = case.deadlines.get(kind="report")
    assert report.provisional and report.due_on == datetime.date(2027, 11, 2)
    CalendarDay.objects.create(date=datetime.date(2027, 11, 2), is_workday=False, name="测试")
    call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115
    report.refresh_from_db()
    assert not report.provisional and report.due_on == datetime.date(2027, 11, 3)


def test_create_sysadmin(db, monkeypatch):
    from qingshen.accounts.models import User

    monkeypatch.setenv("QS_PW", "a-Strong-passphrase-9")
    call_command("create_sysadmin", "root", "--password-env", "QS_PW", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(username="root")
    assert user.role == "sysadmin" and user.check_password("a-Strong-passphrase-9")


def test_recompute_is_skipped_while_its_inputs_are_unchanged(world):
    first = deadlines_sweep()
    assert not first.skipped and first.checked == 2
    assert deadlines_sweep().skipped
    assert not deadlines_sweep(force=True).skipped
    CalendarDay.objects.create(date=datetime.date(2031, 1, 2), is_workday=True, name="调休")
    assert not deadlines_sweep().skipped
    assert deadlines_sweep().skipped
