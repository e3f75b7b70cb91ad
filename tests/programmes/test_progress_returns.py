"""Progress returns (issue 15 item 1, "progress report due"): each district files its return on its page,
the city sees who has filed and who is late, districts that have not filed are reminded before the date,
filings are logged, and anyone else is answered 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.roles import Role
from qingshen.notifications.models import Notification
from qingshen.oversight.services import warnings_record
from qingshen.oversight.warning_notices import warnings_notify
from qingshen.programmes import progress
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Milestone, ProgressReturn
from qingshen.trail.models import Event
from tests import factories as f
from tests.oversight.test_warnings import at

TODAY = timezone.localdate()


@pytest.fixture
def milestone(world):
    # A published programme's milestones are fixed; the notice's date is put in place directly.
    return Milestone.objects.create(
        programme=world.programme,
        kind=Milestone.Kind.PROGRESS_REPORT_DUE,
        name="上半年进展报送",
        due_on=TODAY + datetime.timedelta(days=10),
        source="通知第五条",
    )


def url(world, milestone):
    return reverse("progress-return", args=[world.programme.pk, milestone.pk])


def board(response) -> dict[int, str]:
    return {row["district"].pk: row["status"] for row in response.context["rows"]}


def test_a_district_files_its_return(world, milestone, client_for):
    client = client_for(world.users["district"])
    page = client.get(url(world, milestone))
    assert page.status_code == 200 and page.context["form"] is not None and page.context["rows"] == []
    response = client.post(
        url(world, milestone), {"text": "已组织评估 2 家。", "evaluations_held": "2", "acceptances_held": ""}
    )
    assert response.status_code == 302
    record = ProgressReturn.objects.get(milestone=milestone, district=world.north)
    assert (
        record.text == "已组织评估 2 家。"
        and record.evaluations_held == 2
        and record.acceptances_held is None
    )
    assert record.filed_by == world.users["district"]
    event = Event.objects.get(action="programme.progress.file", object_id=str(record.pk))
    assert event.after["late"] is False and event.before is None
    assert client.get(url(world, milestone)).context["mine"]["status"] == "filed"


def test_filing_again_replaces_and_is_logged(world, milestone):
    first = progress.progress_return_file(milestone=milestone, actor=world.users["district"], text="一")
    again = progress.progress_return_file(
        milestone=milestone, actor=world.users["district"], text="二", acceptances_held=1
    )
    assert again.pk == first.pk and again.text == "二" and again.filed_at == first.filed_at
    event = Event.objects.filter(action="programme.progress.file").order_by("-id").first()
    assert event.before["text"] == "一" and event.after["acceptances_held"] == 1


def test_the_city_sees_who_filed_and_who_is_late(world, milestone, client_for):
    progress.progress_return_file(milestone=milestone, actor=world.users["district"], text="按期报送")
    client = client_for(world.users["city"])
    response = client.get(url(world, milestone))
    assert response.status_code == 200 and response.context["form"] is None
    assert board(response) == {world.north.pk: "filed", world.south.pk: "pending", world.zone.pk: "pending"}
    assert "按期报送" in response.content.decode()
    with at(milestone.due_on + datetime.timedelta(days=1)):
        late = client_for(world.users["city"]).get(url(world, milestone))
        assert board(late)[world.south.pk] == "late" and late.context["late_count"] == 2
        progress.progress_return_file(milestone=milestone, actor=world.users["district_south"], text="迟报")
        assert board(client.get(url(world, milestone)))[world.south.pk] == "filed_late"
    event = Event.objects.filter(action="programme.progress.file").order_by("-id").first()
    assert event.after["late"] is True


def test_bad_input_changes_nothing(world, milestone, client_for):
    client = client_for(world.users["district"])
    for data in ({"text": "  "}, {"text": "有内容", "evaluations_held": "-1"}, {"text": "x" * 10_001}):
        response = client.post(url(world, milestone), data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not ProgressReturn.objects.exists()


def test_refused_users_are_not_found(world, milestone, client_for):
    target = url(world, milestone)
    for role in ("enterprise", "agency", "expert", "auditor", "security", "sysadmin"):
        assert client_for(world.users[role]).get(target).status_code == 404, role
    for role in ("province", "supervisor"):
        response = client_for(world.users[role]).get(target)
        assert response.status_code == 200 and response.context["form"] is None
        assert client_for(world.users[role]).post(target, {"text": "x"}).status_code == 404
    # Another city's district, and a milestone that asks for no return.
    other_city = f.jurisdiction("外市", "city", world.province, code="500200")
    other = f.user(
        "other-district", Role.DISTRICT, jurisdiction=f.jurisdiction("外区", "district", other_city)
    )
    assert client_for(other).get(target).status_code == 404
    custom = Milestone.objects.create(
        programme=world.programme, kind=Milestone.Kind.CUSTOM, name="其他", due_on=milestone.due_on
    )
    assert client_for(world.users["district"]).get(url(world, custom)).status_code == 404
    with pytest.raises(ProgrammeError):
        progress.progress_return_file(milestone=custom, actor=world.users["district"], text="x")
    with pytest.raises(ProgrammeError):
        progress.progress_return_file(milestone=milestone, actor=world.users["city"], text="x")
    assert not ProgressReturn.objects.exists()


def test_the_programme_page_links_the_returns(world, milestone, client_for):
    page = client_for(world.users["district"]).get(reverse("programme-detail", args=[world.programme.pk]))
    assert f'data-progress="{milestone.pk}"' in page.content.decode()
    page = client_for(world.users["enterprise"]).get(reverse("programme-detail", args=[world.programme.pk]))
    assert f'data-progress="{milestone.pk}"' not in page.content.decode()


def _reminded(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, url__contains="/progress/"))


def test_districts_that_have_not_filed_are_reminded_before_the_date(world, milestone):
    with at(milestone.due_on - datetime.timedelta(days=7)):
        warnings_record()
        counts = warnings_notify()
    assert counts["progress_reminders"] == 2  # north and south have staff; the zone has none
    assert len(_reminded(world.users["district"])) == 1 and len(_reminded(world.users["district_south"])) == 1
    progress.progress_return_file(milestone=milestone, actor=world.users["district"], text="已报")
    with at(milestone.due_on - datetime.timedelta(days=1)):
        warnings_record()
        warnings_notify()
    assert len(_reminded(world.users["district"])) == 1  # filed: not reminded again
    assert len(_reminded(world.users["district_south"])) == 2
    with at(milestone.due_on + datetime.timedelta(days=1)):
        warnings_record()
        warnings_notify()
    assert len(_reminded(world.users["district_south"])) == 2  # after the date the board shows it
