"""Enterprise accounts: created on publication, first login by a one-time link, colleagues; agencies
act only while delegated."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts import invitations as services
from qingshen.accounts.models import Invitation, User
from qingshen.accounts.roles import Role
from qingshen.cases import services as case_services
from qingshen.cases.errors import CaseNotFound
from qingshen.demo import disclosures as demo_disclosures
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.registry import services as registry_services
from qingshen.trail.models import Event
from tests import factories as f
from tests.factories import form_errors_shown

GOOD_PASSWORD = "Qingshen-audit-2026!"


def _publish(world, *enterprises, year=2031):
    programme = programme_services.programme_create(city=world.city, year=year, actor=world.users["city"])
    for ent in enterprises:
        programme_listings.listing_add(
            programme=programme, enterprise=ent, grounds=["emissions"], actor=world.users["city"]
        )
    f.confirm_list(programme, city_user=world.users["city"], province_user=world.users["province"])
    programme_lists.list_transition(name="publish", programme=programme, actor=world.users["city"])
    return programme


def test_publication_creates_one_account_per_enterprise_with_a_mailed_link(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with_mail = f.enterprise(world.north, contact_email="ehs@example.cn")
    without_mail = f.enterprise(world.south)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(world, with_mail, without_mail)
    for ent in (with_mail, without_mail):
        account = User.objects.get(role=Role.ENTERPRISE, enterprise=ent)
        assert account.username == ent.uscc and not account.has_usable_password()
        invitation = Invitation.objects.get(user=account)
        assert invitation.is_usable
        days = (invitation.expires_at - timezone.now()).days
        assert 13 <= days <= 14  # QINGSHEN_INVITATION_DAYS, default 14
    # The invitation is its own mail, beside the listing notice of the list workflow.
    token = Invitation.objects.get(user__enterprise=with_mail).token
    invitations = [m for m in mailoutbox if token in m.body]
    assert len(invitations) == 1 and invitations[0].to == ["ehs@example.cn"]
    assert all(m.to == ["ehs@example.cn"] for m in mailoutbox)
    # A second listing of the same enterprise makes no second account and no second invitation.
    with django_capture_on_commit_callbacks(execute=True):
        _publish(world, with_mail, year=2032)
    assert User.objects.filter(enterprise=with_mail).count() == 1
    assert sum(token in m.body for m in mailoutbox) == 1
    assert Invitation.objects.filter(user__enterprise=with_mail).count() == 1
    # The world's enterprises already had accounts.
    assert User.objects.filter(enterprise=world.ent_north).count() == 1


def test_the_link_sets_a_password_once(world, client):
    ent = f.enterprise(world.north)
    _publish(world, ent)
    invitation = Invitation.objects.get(user__enterprise=ent)
    url = reverse("invitation-accept", args=[invitation.token])
    assert client.get(url).status_code == 200
    # Django's validators apply: a short or common password is refused, nothing changes.
    response = client.post(url, {"password1": "123", "password2": "123"})
    assert response.status_code == 200 and not User.objects.get(enterprise=ent).has_usable_password()
    response = client.post(url, {"password1": GOOD_PASSWORD, "password2": "different-Pass-1"})
    assert response.status_code == 200 and not User.objects.get(enterprise=ent).has_usable_password()
    response = client.post(url, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302
    assert client.login(username=ent.uscc, password=GOOD_PASSWORD)
    client.logout()
    # Spent.
    assert client.get(url).status_code == 404
    assert (
        client.post(url, {"password1": "Another-pass-99", "password2": "Another-pass-99"}).status_code == 404
    )
    assert Event.objects.filter(action="account.invitation.accept").count() == 1
    assert client.get(reverse("invitation-accept", args=["nope"])).status_code == 404


def test_an_expired_or_replaced_link_does_not_work(world, client):
    ent = f.enterprise(world.north)
    _publish(world, ent)
    old = Invitation.objects.get(user__enterprise=ent)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("invitation-accept", args=[old.token])).status_code == 404
    new = registry_services.invitation_regenerate(enterprise=ent, actor=world.users["district"])
    assert new.token != old.token and new.is_usable
    old.refresh_from_db()
    assert old.cancelled_at is not None
    newer = registry_services.invitation_regenerate(enterprise=ent, actor=world.users["city"])
    assert client.get(reverse("invitation-accept", args=[new.token])).status_code == 404
    assert client.get(reverse("invitation-accept", args=[newer.token])).status_code == 200


def test_the_bureau_sees_copies_and_regenerates_the_link(world, client_for):
    ent = f.enterprise(world.north)
    _publish(world, ent)
    url = reverse("enterprise-invitation", args=[ent.pk])
    invitation = Invitation.objects.get(user__enterprise=ent)
    for role in ("city", "district"):
        page = client_for(world.users[role]).get(url)
        assert page.status_code == 200 and invitation.token in page.content.decode()
    for role in ("district_south", "province", "supervisor", "enterprise", "agency", "sysadmin"):
        assert client_for(world.users[role]).get(url).status_code == 404, role
        assert client_for(world.users[role]).post(url).status_code == 404, role
    assert client_for(world.users["city"]).post(url).status_code == 302
    assert Invitation.objects.filter(user__enterprise=ent).count() == 2
    assert invitation.token not in client_for(world.users["city"]).get(url).content.decode()
    # The enterprise page links to it.
    detail = client_for(world.users["city"]).get(reverse("enterprise-detail", args=[ent.pk])).content.decode()
    assert url in detail


def test_the_enterprise_adds_colleagues(world, client_for, client):
    c = client_for(world.users["enterprise"])
    url = reverse("portal-colleagues")
    response = c.post(url, {"name": "钱七", "email": ""})
    assert response.status_code == 200
    colleague = User.objects.get(first_name="钱七")
    assert colleague.enterprise == world.ent_north and colleague.role == Role.ENTERPRISE
    invitation = Invitation.objects.get(user=colleague)
    assert invitation.token in response.content.decode()
    assert c.post(url, {"name": ""}).status_code == 200
    c.logout()
    response = client.post(
        reverse("invitation-accept", args=[invitation.token]),
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert client.login(username=colleague.username, password=GOOD_PASSWORD)
    # The colleague sees the enterprise's case and not the other's.
    assert client.get(reverse("case-detail", args=[world.case_north.pk])).status_code == 200
    assert client.get(reverse("case-detail", args=[world.case_south.pk])).status_code == 404
    for role in ("city", "agency", "expert"):
        assert client_for(world.users[role]).get(url).status_code == 404
    with pytest.raises(services.InvitationRefused):
        services.colleague_invite(actor=world.users["agency"], name="x")


def test_agency_acts_only_while_delegated(world, client_for):
    agency_user = world.users["agency"]
    case = world.case_north
    urls = [
        reverse("case-detail", args=[case.pk]),
        reverse("case-disclosure", args=[case.pk]),
        reverse("case-documents", args=[case.pk]),
        reverse("case-options", args=[case.pk]),
    ]
    client = client_for(agency_user)
    for url in urls:
        assert client.get(url).status_code == 404
    # The enterprise delegates through its page.
    ent_client = client_for(world.users["enterprise"])
    response = ent_client.post(
        reverse("case-delegations", args=[case.pk]),
        {"agency": world.agency.pk, "starts_on": case.published_on.isoformat()},
    )
    assert response.status_code == 302
    client = client_for(agency_user)
    for url in urls:
        assert client.get(url).status_code == 200, url
    home = client.get(reverse("portal-home")).content.decode()
    assert f'id="case-{case.pk}"' in home and f'id="case-{world.case_south.pk}"' not in home
    # The agency fills the disclosure on the enterprise's behalf.
    demo_disclosures.disclosure_fill_for_demo(case=case, actor=agency_user)
    moved = case_services.case_transition(case_id=case.pk, actor=agency_user, action="disclose")
    assert moved.state == "disclosed"
    # The agency cannot delegate or revoke.
    delegation = case.delegations.get()
    assert (
        client.post(reverse("case-delegations", args=[case.pk]), {"revoke": delegation.pk}).status_code == 404
    )
    # Revoked: access ends at once.
    ent_client = client_for(world.users["enterprise"])
    assert (
        ent_client.post(reverse("case-delegations", args=[case.pk]), {"revoke": delegation.pk}).status_code
        == 302
    )
    client = client_for(agency_user)
    for url in urls:
        assert client.get(url).status_code == 404
    with pytest.raises(CaseNotFound):
        case_services.case_transition(case_id=case.pk, actor=agency_user, action="start_audit")


def test_agency_access_ends_when_the_delegation_period_ends(world, client_for):
    case = world.case_south
    today = timezone.localdate()
    case_services.delegation_create(
        case=case, agency=world.agency, actor=world.users["enterprise_south"],
        starts_on=today - datetime.timedelta(days=5), ends_on=today,
    )  # fmt: skip
    url = reverse("case-documents", args=[case.pk])
    assert client_for(world.users["agency"]).get(url).status_code == 200
    case.delegations.update(ends_on=today - datetime.timedelta(days=1))
    assert client_for(world.users["agency"]).get(url).status_code == 404


def test_delegation_form_refuses_bad_input(world, client_for):
    url = reverse("case-delegations", args=[world.case_north.pk])
    c = client_for(world.users["enterprise"])
    response = c.post(
        url, {"agency": world.agency.pk, "starts_on": "2026-05-02", "ends_on": "2026-05-01"}, follow=True
    )
    form_errors_shown(response, "delegation-form")
    response = c.post(url, {"agency": "x", "starts_on": "nope"}, follow=True)
    assert response.status_code == 200
    assert {"agency", "starts_on"} <= set(response.context["form"].errors)
    form_errors_shown(response, "delegation-form")
    assert c.post(url, {"revoke": "999"}).status_code == 404
    assert not world.case_north.delegations.exists()
    assert client_for(world.users["enterprise_south"]).get(url).status_code == 404
