"""A new expert gets a login and a first-login link, as an enterprise does: mailed, copyable by the city
on the expert's page, renewable; drawn pool experts of the demo can log in through it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts import invitations as portal_services
from qingshen.accounts.models import Invitation
from qingshen.demo import walk
from qingshen.notifications.models import Delivery
from qingshen.reviews.experts import expert_account_ensure
from qingshen.reviews.models import Expert
from tests import factories as f
from tests.reviews.test_pool_pages import HEADER, _xlsx


def test_every_imported_expert_gets_a_login_and_a_link(world, client_for, settings):
    header = [*HEADER, "邮箱"]
    rows = [
        ["赵工", "26", "工艺", "重庆大学", "", "教授", "CP-77", "zhaogong", "zhao@example.com"],
        ["钱工", "26", "审核", "某研究院", "", "高工", "CP-78", "", ""],
    ]
    client_for(world.users["city"]).post(reverse("expert-import"), {"file": _xlsx([header, *rows])})
    zhao, qian = Expert.objects.get(name="赵工"), Expert.objects.get(name="钱工")
    assert zhao.user.username == "zhaogong" and qian.user.username == f"expert-{qian.pk}"
    for expert in (zhao, qian):
        invitation = Invitation.objects.get(user=expert.user)
        assert invitation.is_usable and not expert.user.has_usable_password()
        days = (invitation.expires_at - timezone.now()).total_seconds() / 86400
        assert settings.QINGSHEN_INVITATION_DAYS - 1 < days <= settings.QINGSHEN_INVITATION_DAYS
    mail = Delivery.objects.get(address="zhao@example.com")
    assert "专家库" in mail.body and "贵企业" not in mail.body and "zhaogong" in mail.body
    assert mail.jurisdiction_path == world.city.path


def test_the_city_adds_an_expert_and_copies_the_link_from_the_experts_page(world, client_for):
    city = client_for(world.users["city"])
    response = city.post(
        reverse("expert-new"),
        {
            "name": "孙工",
            "industries": "26",
            "expertise": "环境",
            "title": "高级工程师",
            "email": "sun@example.com",
        },
    )
    expert = Expert.objects.get(name="孙工")
    assert response.status_code == 302 and response.url == reverse("expert-detail", args=[expert.pk])
    invitation = Invitation.objects.get(user=expert.user)
    page = city.get(response.url).content.decode()
    assert portal_services.invitation_path(invitation) in page and expert.user.username in page
    # Renewing cancels the old link.
    city.post(response.url)
    invitation.refresh_from_db()
    assert not invitation.is_usable
    fresh = Invitation.objects.filter(user=expert.user).latest("created_at")
    assert (
        fresh.is_usable and portal_services.invitation_path(fresh) in city.get(response.url).content.decode()
    )


def test_a_bad_expert_is_refused_with_a_message_and_nothing_is_made(world, client_for):
    city = client_for(world.users["city"])
    page = city.post(
        reverse("expert-new"), {"name": "李工", "industries": "99"}, follow=True
    ).content.decode()
    assert "99" in page and not Expert.objects.exists()


@pytest.mark.parametrize("who", ["district", "enterprise", "agency", "expert", "province", "supervisor"])
def test_only_the_city_sees_and_renews_links(world, client_for, who):
    expert = f.expert("周工")
    invitation = expert_account_ensure(expert=expert, actor=world.users["city"])
    client = client_for(world.users[who])
    page = client.get(reverse("expert-detail", args=[expert.pk]))
    if who in ("district", "province", "supervisor"):  # they see the pool read-only, not the links
        assert page.status_code == 200 and invitation.token not in page.content.decode()
    else:
        assert page.status_code == 404
    client.post(reverse("expert-detail", args=[expert.pk]))
    assert Invitation.objects.filter(user__expert=expert).count() == 1
    assert client.get(reverse("expert-new")).status_code == 404


def test_an_expert_without_a_login_gets_one_with_a_link(world, client_for):
    expert = f.expert("吴工")
    client_for(world.users["city"]).post(reverse("expert-detail", args=[expert.pk]))
    expert.refresh_from_db()
    assert expert.user.role == "expert" and Invitation.objects.get(user=expert.user).is_usable


def test_a_drawn_pool_expert_logs_in_through_the_link_and_sees_the_seat(world, client):
    case = f.walk(
        world.case_north,
        "evaluating",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    walk.expert_pool_ensure(industry=case.enterprise.industry, count=7)
    from qingshen.reviews.services.draw import panel_draw

    panel = panel_draw(review_id=walk.open_review(case, "evaluation").pk, actor=world.users["city"])
    seat = panel.seats.select_related("expert__user").first()
    invitation = Invitation.objects.filter(user=seat.expert.user).latest("created_at")
    assert invitation.is_usable and invitation.expires_at > timezone.now() + datetime.timedelta(days=1)
    client.post(
        reverse("invitation-accept", args=[invitation.token]),
        {"password1": "Lang-Gu-Ping-2026", "password2": "Lang-Gu-Ping-2026"},
    )
    assert client.login(username=seat.expert.user.username, password="Lang-Gu-Ping-2026")
    assert client.get(reverse("seat-detail", args=[seat.pk])).status_code == 200
