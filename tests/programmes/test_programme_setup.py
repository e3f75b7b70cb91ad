"""A city sets up its year's programme in the app: the notice's document number, issuing body and
date, and its milestones, editable while the list is a draft, every change logged; nobody else may."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from qingshen.programmes import services
from qingshen.programmes.models import Milestone, Programme
from qingshen.trail.labels import action_label
from qingshen.trail.models import Event
from tests import factories as f

OTHER_ROLES = [
    "province",
    "district",
    "supervisor",
    "enterprise",
    "agency",
    "expert",
    "auditor",
    "security",
    "sysadmin",
]


def _zh_text(message):
    with translation.override("zh-hans"):
        return translation.gettext(message)


def _zh(message, **values):
    """The message as the pages show it (the site's language, HTML-escaped)."""
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return escape(text % values if values else text)


@pytest.fixture
def year():
    return timezone.localdate().year + 1


@pytest.fixture
def draft(world, year):
    return services.programme_create(city=world.city, year=year, actor=world.users["city"])


def _new(client, **data):
    return client.post(reverse("programme-new"), data)


def _error_beside(response, field, message):
    """The page came back (200) with `message` beside the field `field` (its html name)."""
    html = response.content.decode()
    assert response.status_code == 200, response.get("Location")
    assert f'data-field="{field}">{message}</div>' in html, html[html.find("invalid-feedback") - 200 :][:600]


def test_the_city_creates_a_programme_with_its_notice(world, client_for, year):
    client = client_for(world.users["city"])
    assert 'id="programme-new-link"' in client.get(reverse("programme-list")).content.decode()
    assert client.get(reverse("programme-new")).status_code == 200
    response = _new(
        client,
        year=year,
        title="",
        document_number="渝环办〔2021〕24号",
        issuing_body="重庆市生态环境局办公室",
        issued_on=f"{year}-01-20",
    )
    programme = Programme.objects.get(city=world.city, year=year)
    assert response.status_code == 302
    assert response["Location"] == reverse("programme-edit", args=[programme.pk])
    assert programme.document_number == "渝环办〔2021〕24号"
    assert programme.issuing_body == "重庆市生态环境局办公室"
    assert programme.issued_on == datetime.date(year, 1, 20)
    assert str(year) in programme.title
    event = Event.objects.get(action="programme.create", object_id=str(programme.pk))
    assert event.after["document_number"] == "渝环办〔2021〕24号"
    assert event.actor == world.users["city"]
    detail = client.get(reverse("programme-detail", args=[programme.pk])).content.decode()
    assert "渝环办〔2021〕24号" in detail and "重庆市生态环境局办公室" in detail and f"{year}-01-20" in detail


def test_the_city_edits_the_programme_and_its_milestones(world, client_for, draft, year):
    client = client_for(world.users["city"])
    edit = reverse("programme-edit", args=[draft.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "year": year,
            "title": "年度审核工作",
            "document_number": "测环〔2026〕1号",
            "issuing_body": "测试市生态环境局",
            "issued_on": f"{year}-02-01",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.document_number) == ("年度审核工作", "测环〔2026〕1号")
    update = Event.objects.get(action="programme.update", object_id=str(draft.pk))
    assert update.before["document_number"] == "" and update.after["document_number"] == "测环〔2026〕1号"
    assert "year" not in update.after  # only what changed

    save = reverse("milestone-save", args=[draft.pk])
    response = client.post(
        save,
        {
            "new-kind": "evaluations_done",
            "new-name": "",
            "new-due_on": f"{year}-11-15",
            "new-source": "通知第三条",
        },
    )
    assert response.status_code == 302
    milestone = draft.milestones.get()
    assert milestone.kind == Milestone.Kind.EVALUATIONS_DONE and milestone.due_on == datetime.date(
        year, 11, 15
    )
    assert milestone.name == str(Milestone.Kind.EVALUATIONS_DONE.label)  # the kind names an unnamed one
    p = f"m{milestone.pk}"
    response = client.post(
        save,
        {
            "milestone": milestone.pk,
            f"{p}-kind": "evaluations_done",
            f"{p}-name": "完成本年度审核评估",
            f"{p}-due_on": f"{year}-11-20",
            f"{p}-source": "通知第三条",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.name, milestone.due_on) == ("完成本年度审核评估", datetime.date(year, 11, 20))
    changed = Event.objects.get(action="programme.milestone.update")
    assert changed.before["due_on"] == f"{year}-11-15" and changed.after["due_on"] == f"{year}-11-20"
    page = client.get(reverse("programme-detail", args=[draft.pk])).content.decode()
    assert "完成本年度审核评估" in page and f"{year}-11-20" in page

    response = client.post(save, {"milestone": milestone.pk, "remove": "1"})
    assert response.status_code == 302
    assert not draft.milestones.exists()
    removed = Event.objects.get(action="programme.milestone.remove")
    assert removed.before["name"] == "完成本年度审核评估"
    for action in (
        "programme.create",
        "programme.update",
        "programme.milestone.add",
        "programme.milestone.update",
        "programme.milestone.remove",
    ):
        assert Event.objects.filter(action=action, object_id=str(draft.pk)).exists(), action
        assert action_label(action) != action, action  # a label, not the raw code


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused(world, client_for, draft, year, role):
    client = client_for(world.users[role])
    milestone = services.milestone_add(
        programme=draft, name="计划名单", due_on=datetime.date(year, 3, 19), actor=world.users["city"]
    )
    last = Event.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert client.get(reverse("programme-new")).status_code == 404
    assert _new(client, year=year + 1, title="x").status_code == 404
    assert client.get(reverse("programme-edit", args=[draft.pk])).status_code == 404
    assert (
        client.post(reverse("programme-edit", args=[draft.pk]), {"year": year, "title": "x"}).status_code
        == 404
    )
    save = reverse("milestone-save", args=[draft.pk])
    assert (
        client.post(save, {"new-kind": "custom", "new-name": "x", "new-due_on": f"{year}-05-01"}).status_code
        == 404
    )
    assert client.post(save, {"milestone": milestone.pk, "remove": "1"}).status_code == 404
    assert not Programme.objects.filter(year=year + 1).exists()
    assert draft.milestones.count() == 1
    assert not Event.objects.filter(pk__gt=last, action__startswith="programme.").exists()
    detail = client.get(reverse("programme-detail", args=[draft.pk])).content.decode()
    assert 'id="programme-edit-link"' not in detail
    assert 'id="programme-new-link"' not in client.get(reverse("programme-list")).content.decode()


def test_another_citys_staff_are_refused(world, client_for, draft, year):
    other_city = f.jurisdiction("别市", "city", world.province, code="500200")
    stranger = f.user("othercity", "city", jurisdiction=other_city)
    client = client_for(stranger)
    assert client.get(reverse("programme-edit", args=[draft.pk])).status_code == 404
    with pytest.raises(services.ProgrammeError):
        services.programme_create(city=world.city, year=year + 1, actor=stranger)


def test_an_edit_after_the_list_left_draft_is_refused(world, client_for, year):
    client = client_for(world.users["city"])
    published = world.programme
    milestone = Milestone.objects.create(
        programme=published, name="总结", due_on=datetime.date(published.year, 11, 30)
    )
    assert client.get(reverse("programme-edit", args=[published.pk])).status_code == 404
    assert (
        client.post(
            reverse("programme-edit", args=[published.pk]), {"year": published.year, "title": "改"}
        ).status_code
        == 404
    )
    save = reverse("milestone-save", args=[published.pk])
    assert client.post(save, {"milestone": milestone.pk, "remove": "1"}).status_code == 404
    assert published.milestones.count() == 1
    with pytest.raises(services.ProgrammeError):
        services.milestone_add(
            programme=published,
            name="x",
            due_on=datetime.date(published.year, 5, 1),
            actor=world.users["city"],
        )
    with pytest.raises(services.ProgrammeError):
        services.milestone_remove(milestone=milestone, actor=world.users["city"])
    assert (
        'id="programme-edit-link"'
        not in client.get(reverse("programme-detail", args=[published.pk])).content.decode()
    )


def test_a_year_already_used_is_refused_beside_the_year(world, client_for):
    client = client_for(world.users["city"])
    response = _new(client, year=world.programme.year, title="重复")
    html = response.content.decode()
    message = _zh(
        "%(city)s already has a programme for %(year)s.", city=world.city, year=world.programme.year
    )
    _error_beside(response, "year", message)
    assert 'value="重复"' in html
    assert Programme.objects.filter(city=world.city).count() == 1


def test_a_year_or_date_outside_the_bounds_is_refused(world, client_for, year):
    client = client_for(world.users["city"])
    low, high = services.year_bounds()
    response = _new(client, year=high + 40, title="")
    _error_beside(
        response, "year", _zh("The year must lie between %(low)s and %(high)s.", low=low, high=high)
    )
    response = _new(client, year=year, issued_on=f"{year - 5}-01-01")
    _error_beside(
        response,
        "issued_on",
        _zh(
            "%(what)s must lie between %(low)s and %(high)s.",
            what=_zh_text("The issue date"),
            low=f"{year - 1}-01-01",
            high=f"{year + 1}-12-31",
        ),
    )
    assert response.status_code == 200
    assert not Programme.objects.filter(city=world.city, year=year).exists()
    response = _new(client, year="abc")
    assert response.status_code == 200
    assert Programme.objects.filter(city=world.city).count() == 1


def test_bad_milestones_are_refused_and_nothing_changes(world, client_for, draft, year):
    client = client_for(world.users["city"])
    save = reverse("milestone-save", args=[draft.pk])
    response = client.post(save, {"new-kind": "custom", "new-name": "   ", "new-due_on": f"{year}-05-01"})
    _error_beside(response, "new-name", _zh("Enter the milestone's name."))
    response = client.post(
        save, {"new-kind": "summary_due", "new-name": "总结", "new-due_on": f"{year + 9}-11-30"}
    )
    low, high = services.date_bounds(year)
    message = _zh(
        "%(what)s must lie between %(low)s and %(high)s.",
        what=_zh_text("The milestone's date"),
        low=low.isoformat(),
        high=high.isoformat(),
    )
    _error_beside(response, "new-due_on", message)
    response = client.post(save, {"new-kind": "nonsense", "new-name": "x", "new-due_on": f"{year}-05-01"})
    assert response.status_code == 200
    response = client.post(save, {"new-kind": "custom", "new-name": "x", "new-due_on": ""})
    assert response.status_code == 200
    assert not draft.milestones.exists()
    assert not Event.objects.filter(action="programme.milestone.add").exists()


def test_an_empty_title_on_edit_is_refused(world, client_for, draft, year):
    client = client_for(world.users["city"])
    response = client.post(reverse("programme-edit", args=[draft.pk]), {"year": year, "title": " "})
    _error_beside(response, "title", _zh("Enter the programme's title."))
    draft.refresh_from_db()
    assert draft.title
    assert not Event.objects.filter(action="programme.update").exists()


def test_the_page_is_in_chinese(world, client_for, draft):
    html = client_for(world.users["city"]).get(reverse("programme-edit", args=[draft.pk])).content.decode()
    for text in ("Edit the programme", "Add a milestone", "Document number (文号)", "Issuing body"):
        assert _zh(text) != escape(text), text
        assert _zh(text) in html, text


def test_the_bounds_are_the_citys_rules(world, client_for, year):
    from qingshen.procedures.models import Rule

    Rule.objects.filter(code="programme_date_window").update(amount=3)
    assert services.date_bounds(year) == (datetime.date(year - 3, 1, 1), datetime.date(year + 3, 12, 31))
    Rule.objects.filter(code="programme_year_span").update(amount=1)
    this_year = timezone.localdate().year
    assert services.year_bounds() == (this_year - 1, this_year + 1)
    with pytest.raises(services.ProgrammeError):
        services.programme_create(city=world.city, year=this_year + 2, actor=world.users["city"])
