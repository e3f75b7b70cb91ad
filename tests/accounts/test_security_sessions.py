"""Sessions (idle and absolute timeouts, the user's own list, ended on password change) and the
second factor."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts.models import UserSession
from qingshen.trail.models import Event
from tests import factories as f
from tests.accounts.security_support import GOOD, set_parameter, totp_code

# --- Sessions --------------------------------------------------------------------------------------


def test_idle_timeout(world, client_for):
    client = client_for(world.users["district"])
    assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=29)):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=29 + 31)):
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert Event.objects.filter(action="auth.session_timeout", after__reason="idle").exists()


def test_absolute_timeout(world, client_for):
    client = client_for(world.users["district"])
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):  # busy all day, never idle
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            assert client.get(reverse("home")).status_code == 200, minutes
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=5)):
        response = client.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_user_sees_and_ends_their_sessions(world, password_only, client, django_user_model):
    from django.test import Client

    user = world.users["district"]
    laptop, phone = Client(), Client()
    laptop.post(reverse("login"), {"username": "north", "password": f.PASSWORD}, HTTP_USER_AGENT="laptop")
    phone.post(reverse("login"), {"username": "north", "password": f.PASSWORD}, HTTP_USER_AGENT="phone")
    page = laptop.get(reverse("session-list")).content.decode()
    assert "laptop" in page and "phone" in page
    phone_session = UserSession.objects.get(user=user, user_agent="phone")
    assert laptop.post(reverse("session-end", args=[phone_session.pk])).status_code == 302
    assert phone.get(reverse("home")).status_code == 302  # logged out
    assert laptop.get(reverse("home")).status_code == 200
    # Someone else's session is not found.
    other = Client()
    other.force_login(world.users["city"])
    laptop_session = UserSession.objects.get(user=user, user_agent="laptop")
    assert other.post(reverse("session-end", args=[laptop_session.pk])).status_code == 404
    assert laptop.get(reverse("home")).status_code == 200


def test_session_list_query_count(world, client_for, django_assert_max_num_queries):
    from django.test import Client

    for _ in range(5):
        Client().force_login(world.users["district"])
    client = client_for(world.users["district"])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("session-list")).status_code == 200


def test_password_change_and_deactivation_end_other_sessions(world, password_only):
    from django.test import Client

    user = world.users["district"]
    a, b = Client(), Client()
    a.post(reverse("login"), {"username": "north", "password": f.PASSWORD})
    b.post(reverse("login"), {"username": "north", "password": f.PASSWORD})
    response = a.post(
        reverse("password-change"),
        {"old_password": f.PASSWORD, "new_password1": GOOD, "new_password2": GOOD},
    )
    assert response.status_code == 302
    assert a.get(reverse("home")).status_code == 200
    assert b.get(reverse("home")).status_code == 302
    user.refresh_from_db()
    user.is_active = False
    user.save()
    assert a.get(reverse("home")).status_code == 302
    assert not UserSession.objects.filter(user=user, ended_at__isnull=True).exists()


# --- Second factor ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["city", "province", "district", "supervisor", "auditor", "sysadmin", "security"]
)
def test_second_factor_is_required_for_these_roles(world, client, role):
    user = world.users[role]
    response = client.post(reverse("login"), {"username": user.username, "password": f.PASSWORD})
    assert response.url == reverse("login-otp")
    assert client.get(reverse("home")).status_code == 302  # not logged in yet


@pytest.mark.parametrize("role", ["enterprise", "expert", "agency"])
def test_second_factor_is_optional_for_others(world, client, role):
    user = world.users[role]
    response = client.post(reverse("login"), {"username": user.username, "password": f.PASSWORD})
    assert response.url == reverse("home")


def test_enterprises_can_be_required_by_the_parameter(world, client):
    set_parameter("otp_required_roles", "enterprise,city")
    response = client.post(reverse("login"), {"username": "ent", "password": f.PASSWORD})
    assert response.url == reverse("login-otp")


def test_enrol_then_log_in_with_totp_and_with_a_recoverytotp_code(world, client):
    user = world.users["city"]
    start = timezone.now()
    client.post(reverse("login"), {"username": "city", "password": f.PASSWORD})
    page = client.get(reverse("login-otp")).content.decode()
    assert 'id="otp-secret"' in page and 'src="data:image/svg+xml' in page
    assert 'id="otp-error"' in client.post(reverse("login-otp"), {"token": "000000"}).content.decode()
    with time_machine.travel(start + datetime.timedelta(seconds=5)):  # django-otp throttles after a failure
        response = client.post(reverse("login-otp"), {"token": totp_code(user)})
    page = response.content.decode()
    assert 'id="recovery-codes"' in page
    codes = [line.split("<li>")[1].split("</li>")[0] for line in page.split("\n") if "<li>" in line][0:1]
    recovery = page.split('<ul class="list-unstyled font-monospace" id="recovery-codes"><li>')[1].split(
        "</li>"
    )[0]
    assert codes
    assert client.get(reverse("home")).status_code == 200
    assert Event.objects.filter(action="auth.login", actor=user, after__method="password+totp").exists()
    client.post(reverse("logout"))
    # The next time: a code from the app (a later time step).
    with time_machine.travel(start + datetime.timedelta(seconds=90)):
        client.post(reverse("login"), {"username": "city", "password": f.PASSWORD})
        assert 'id="otp-secret"' not in client.get(reverse("login-otp")).content.decode()
        assert client.post(reverse("login-otp"), {"token": totp_code(user)}).status_code == 302
        assert client.get(reverse("home")).status_code == 200
        client.post(reverse("logout"))
        # A recovery code works once.
        client.post(reverse("login"), {"username": "city", "password": f.PASSWORD})
        assert client.post(reverse("login-otp"), {"token": recovery}).status_code == 302
        client.post(reverse("logout"))
        client.post(reverse("login"), {"username": "city", "password": f.PASSWORD})
        assert client.post(reverse("login-otp"), {"token": recovery}).status_code == 200
    assert (
        Event.objects.filter(action="auth.login", actor=user, after__method="password+recovery").count() == 1
    )


def test_otp_step_without_a_password_step_goes_back_to_login(world, client):
    assert client.get(reverse("login-otp")).url == reverse("login")
