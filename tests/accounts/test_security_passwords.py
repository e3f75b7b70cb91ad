"""Passwords (strength, reuse, expiry, first-login change) and lockout (per account, per address,
the same answers for unknown names)."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qingshen.accounts import services
from qingshen.accounts.models import User
from qingshen.trail.models import Event
from tests import factories as f
from tests.accounts.security_support import GOOD, fail_logins

# --- Passwords -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["Ab1!", "alllowercase", "lowercase123", "abcdefgh", "1nasgnahz"],
)
def test_weak_passwords_are_refused(db, password):
    user = User(username="zhangsan1")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_username_and_its_reverse_are_refused(db):
    user = User(username="Qingshen-Admin9")
    for candidate in ("Qingshen-Admin9", "9nimdA-nehsgniQ"):
        with pytest.raises(ValidationError):
            validate_password(candidate, user)
    validate_password(GOOD, user)


def test_the_last_five_passwords_are_not_reused(world):
    user = world.users["city"]
    history = [f"Clean-Prod-{n}x" for n in range(6)]
    for pw in history:
        services.password_change(user=user, new_password=pw)
    for pw in history[1:]:  # the current one and the 4 before it (5 in all) are refused
        with pytest.raises(ValueError):
            services.password_change(user=user, new_password=pw)
    services.password_change(user=user, new_password=history[0])  # the sixth back is allowed again
    assert Event.objects.filter(action="account.password.change", actor=user).count() == 7


def test_password_expires_for_staff_not_for_enterprises(world, client_for):
    city, ent = world.users["city"], world.users["enterprise"]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91)):
        assert client_for(city).get(reverse("home")).url == reverse("password-change")
        response = client_for(ent).get(reverse("home"))
        assert response.status_code == 200


def test_a_reset_password_must_be_changed_at_first_login(world, password_only, client):
    user = world.users["district"]
    user.must_change_password = True
    user.save()
    response = client.post(reverse("login"), {"username": "north", "password": f.PASSWORD})
    assert response.url == reverse("password-change")
    assert client.get(reverse("case-list")).url == reverse("password-change")
    response = client.post(
        reverse("password-change"),
        {"old_password": f.PASSWORD, "new_password1": GOOD, "new_password2": GOOD},
    )
    assert response.status_code == 302
    assert client.get(reverse("case-list")).status_code == 200


def test_password_change_form_refuses_bad_input(world, client_for):
    client = client_for(world.users["district"])
    response = client.post(
        reverse("password-change"), {"old_password": "wrong", "new_password1": "x", "new_password2": "x"}
    )
    assert response.status_code == 200
    world.users["district"].refresh_from_db()
    assert world.users["district"].check_password(f.PASSWORD)


def test_the_sysadmin_reset_sets_must_change(world, client_for):
    client = client_for(world.users["sysadmin"])
    target = world.users["district"]
    response = client.post(
        reverse("admin:auth_user_password_change", args=[target.pk])
        if False
        else f"/admin/accounts/user/{target.pk}/password/",
        {"password1": GOOD, "password2": GOOD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content[:2000]
    target.refresh_from_db()
    assert target.must_change_password and target.check_password(GOOD)


# --- Lockout ---------------------------------------------------------------------------------------


def test_five_failures_lock_the_account_until_a_time(world, password_only, client):
    fail_logins(client, "north", 5)
    response = client.post(
        reverse("login"), {"username": "north", "password": f.PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="login-locked"' in page
    until = timezone.localtime(timezone.now() + datetime.timedelta(minutes=30)).strftime("%Y-%m-%d %H:")
    assert until in page
    assert Event.objects.filter(action="auth.lockout", result="failure", after__scope="account").exists()
    # After 30 minutes the lock has expired by itself.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        response = client.post(
            reverse("login"), {"username": "north", "password": f.PASSWORD}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 302


def test_an_unknown_user_name_locks_the_same_way(world, client):
    """The answer does not tell whether the user name exists."""
    fail_logins(client, "nobody-here", 5)
    page = client.post(reverse("login"), {"username": "nobody-here", "password": "x"}, REMOTE_ADDR="10.0.0.1")
    assert 'id="login-locked"' in page.content.decode()


def test_a_guesser_elsewhere_cannot_lock_the_province_out(world, client):
    """Failures from address A lock the name from A only; its owner at B logs in (to the second step)."""
    from django.test import Client

    fail_logins(client, "prov", 12, address="203.0.113.7")
    attacker = client.post(
        reverse("login"), {"username": "prov", "password": f.PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert 'id="login-locked"' in attacker.content.decode()
    owner = Client().post(
        reverse("login"), {"username": "prov", "password": f.PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert owner.status_code == 302 and owner.url == reverse("login-otp")


def test_one_address_trying_many_names_is_paused_without_locking_them(world, password_only, client):
    from django.test import Client

    names = ["north", "prov", "city"] + [f"guess{n}" for n in range(17)]  # 20 names, one try each
    for name in names:
        fail_logins(client, name, 1, address="10.7.7.7")
    response = client.post(
        reverse("login"), {"username": "north", "password": f.PASSWORD}, REMOTE_ADDR="10.7.7.7"
    )
    page = response.content.decode()
    assert 'id="login-locked"' in page and "10.7.7.7" not in page
    assert Event.objects.filter(
        action="auth.lockout", after__scope="address", after__address="10.7.7.7"
    ).exists()
    # From anywhere else the same accounts log in: no account was locked.
    response = Client().post(
        reverse("login"), {"username": "north", "password": f.PASSWORD}, REMOTE_ADDR="10.7.7.8"
    )
    assert response.status_code == 302


def test_an_ipv6_guesser_is_paused_across_its_network(world, client):
    for n in range(20):
        fail_logins(client, f"guess{n}", 1, address=f"2001:db8:1:2::{n + 1:x}")
    response = client.post(
        reverse("login"), {"username": "prov", "password": f.PASSWORD}, REMOTE_ADDR="2001:db8:1:2::ff"
    )
    assert 'id="login-locked"' in response.content.decode()


def _answer(response) -> str:
    """The login page's message (the alert), without the form around it."""
    import re

    found = re.search(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    return f"{response.status_code} {found.group(0) if found else ''}"


def test_unknown_and_known_user_names_get_the_same_answers(world, client):
    with time_machine.travel(timezone.now(), tick=False):
        answers = {}
        for name in ("north", "nobody-here"):
            first = client.post(reverse("login"), {"username": name, "password": "x"}, REMOTE_ADDR="10.3.3.3")
            fail_logins(client, name, 3, address="10.3.3.3")
            locking = client.post(
                reverse("login"), {"username": name, "password": "x"}, REMOTE_ADDR="10.3.3.3"
            )
            locked = client.post(
                reverse("login"), {"username": name, "password": "x"}, REMOTE_ADDR="10.3.3.3"
            )
            answers[name] = [_answer(r) for r in (first, locking, locked)]
        assert answers["north"] == answers["nobody-here"]
        assert "login-locked" in answers["north"][1] and "login-locked" not in answers["north"][0]
        for n in range(10):
            fail_logins(client, f"other{n}", 1, address="10.3.3.3")  # now the address is paused
        paused = [
            _answer(
                client.post(reverse("login"), {"username": name, "password": "x"}, REMOTE_ADDR="10.3.3.3")
            )
            for name in ("city", "nobody-else")
        ]
        assert paused[0] == paused[1] and "login-locked" in paused[0]


def test_a_success_resets_the_count(world, password_only, client):
    fail_logins(client, "north", 4)
    assert client.post(reverse("login"), {"username": "north", "password": f.PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    fail_logins(client, "north", 4)
    assert client.post(reverse("login"), {"username": "north", "password": f.PASSWORD}).status_code == 302


def test_logins_record_method_result_and_address(world, password_only, client):
    client.post(reverse("login"), {"username": "north", "password": "wrong"}, REMOTE_ADDR="10.1.1.1")
    client.post(reverse("login"), {"username": "north", "password": f.PASSWORD}, REMOTE_ADDR="10.1.1.1")
    failed = Event.objects.get(action="auth.login_failed", actor_name="north")
    ok = Event.objects.get(action="auth.login", actor=world.users["district"])
    assert (
        failed.result == "failure" and failed.client_ip == "10.1.1.1" and failed.after["method"] == "password"
    )
    assert ok.result == "success" and ok.client_ip == "10.1.1.1" and ok.after["method"] == "password"
