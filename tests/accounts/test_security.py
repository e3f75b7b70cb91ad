"""Issue 8 §1–2: passwords, lockout, sessions, second factor, separation of duties, headers."""

import datetime
import io
import os
import subprocess
import sys

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingshen.accounts import services
from qingshen.accounts.models import SecurityParameter, User, UserSession
from qingshen.accounts.parameters import cache_clear
from qingshen.accounts.roles import Role
from qingshen.trail.models import Event
from tests import factories as f

GOOD = "Clean-Prod-2026"


def _set(key, value):
    SecurityParameter.objects.filter(key=key).update(value=value)
    cache_clear()


@pytest.fixture
def password_only(world):
    """District staff need a second factor by default; tests of the password step and of sessions
    log in as a district user ("north") with it turned off."""
    _set("otp_required_roles", "province,city,supervisor,auditor,security,sysadmin")


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


def _fail(client, username, n, address="10.0.0.1"):
    for _ in range(n):
        client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_until_a_time(world, password_only, client):
    _fail(client, "north", 5)
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
    _fail(client, "nobody-here", 5)
    page = client.post(reverse("login"), {"username": "nobody-here", "password": "x"}, REMOTE_ADDR="10.0.0.1")
    assert 'id="login-locked"' in page.content.decode()


def test_a_guesser_elsewhere_cannot_lock_the_province_out(world, client):
    """Failures from address A lock the name from A only; its owner at B logs in (to the second step)."""
    from django.test import Client

    _fail(client, "prov", 12, address="203.0.113.7")
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
        _fail(client, name, 1, address="10.7.7.7")
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
        _fail(client, f"guess{n}", 1, address=f"2001:db8:1:2::{n + 1:x}")
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
            _fail(client, name, 3, address="10.3.3.3")
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
            _fail(client, f"other{n}", 1, address="10.3.3.3")  # now the address is paused
        paused = [
            _answer(
                client.post(reverse("login"), {"username": name, "password": "x"}, REMOTE_ADDR="10.3.3.3")
            )
            for name in ("city", "nobody-else")
        ]
        assert paused[0] == paused[1] and "login-locked" in paused[0]


def test_a_success_resets_the_count(world, password_only, client):
    _fail(client, "north", 4)
    assert client.post(reverse("login"), {"username": "north", "password": f.PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    _fail(client, "north", 4)
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


def _code(user):
    device = TOTPDevice.objects.get(user=user)
    return str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)).zfill(
        device.digits
    )


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
    _set("otp_required_roles", "enterprise,city")
    response = client.post(reverse("login"), {"username": "ent", "password": f.PASSWORD})
    assert response.url == reverse("login-otp")


def test_enrol_then_log_in_with_totp_and_with_a_recovery_code(world, client):
    user = world.users["city"]
    start = timezone.now()
    client.post(reverse("login"), {"username": "city", "password": f.PASSWORD})
    page = client.get(reverse("login-otp")).content.decode()
    assert 'id="otp-secret"' in page and 'src="data:image/svg+xml' in page
    assert 'id="otp-error"' in client.post(reverse("login-otp"), {"token": "000000"}).content.decode()
    with time_machine.travel(start + datetime.timedelta(seconds=5)):  # django-otp throttles after a failure
        response = client.post(reverse("login-otp"), {"token": _code(user)})
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
        assert client.post(reverse("login-otp"), {"token": _code(user)}).status_code == 302
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


# --- Separation of duties (三员分立) -------------------------------------------------------------------


def test_only_the_security_admin_grants_roles_and_never_to_themselves(world):
    newcomer = f.user("newcomer", "")
    for role in ("sysadmin", "auditor", "city"):
        with pytest.raises(PermissionError):
            services.role_grant(actor=world.users[role], user_id=newcomer.pk, role=Role.EXPERT)
    security = world.users["security"]
    with pytest.raises(ValueError):
        services.role_grant(actor=security, user_id=security.pk, role=Role.SYSADMIN)
    services.role_grant(actor=security, user_id=newcomer.pk, role=Role.DISTRICT, jurisdiction=world.north)
    newcomer.refresh_from_db()
    assert newcomer.role == Role.DISTRICT and newcomer.jurisdiction == world.north
    event = Event.objects.get(action="account.role.grant")
    assert event.actor == security and event.before["role"] == "" and event.after["role"] == "district"
    with pytest.raises(ValueError):  # a district role without a jurisdiction
        services.role_grant(actor=security, user_id=newcomer.pk, role=Role.CITY)


def test_one_account_holds_one_role(world):
    """The three administrators are three accounts: a role grant replaces, never adds."""
    security, target = world.users["security"], world.users["auditor"]
    services.role_grant(actor=security, user_id=target.pk, role=Role.SYSADMIN)
    target.refresh_from_db()
    assert target.role == Role.SYSADMIN
    assert not hasattr(target, "roles")


@pytest.mark.parametrize("role", ["security", "sysadmin", "auditor", "city", "enterprise"])
def test_security_pages_are_for_the_security_admin(world, client_for, role):
    client = client_for(world.users[role])
    expected = 200 if role == "security" else 404
    assert client.get(reverse("security-grants")).status_code == expected
    assert client.get(reverse("security-parameters")).status_code == expected
    assert client.get(reverse("security-grant-edit", args=[world.users["expert"].pk])).status_code == expected


def test_the_security_admin_cannot_open_their_own_grant(world, client_for):
    security = world.users["security"]
    assert client_for(security).get(reverse("security-grant-edit", args=[security.pk])).status_code == 404


def test_grant_page(world, client_for):
    client = client_for(world.users["security"])
    target = f.user("fresh", "")
    response = client.post(
        reverse("security-grant-edit", args=[target.pk]),
        {"role": "enterprise", "enterprise_uscc": world.ent_south.uscc},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == "enterprise" and target.enterprise == world.ent_south
    response = client.post(
        reverse("security-grant-edit", args=[target.pk]), {"role": "enterprise", "enterprise_uscc": "X"}
    )
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.enterprise == world.ent_south


def test_grant_list_query_count(world, client_for, django_assert_max_num_queries):
    for n in range(20):
        f.user(f"extra{n}", Role.DISTRICT, jurisdiction=world.north)
    client = client_for(world.users["security"])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("security-grants")).status_code == 200


def test_parameters_page_saves_logs_and_refuses_bad_values(world, client_for):
    from qingshen.accounts.parameters import PARAMETERS, param

    client = client_for(world.users["security"])
    data = {key: p.default for key, p in PARAMETERS.items()}
    response = client.post(
        reverse("security-parameters"), {**data, "lockout_failures": "3", "password_history": "abc"}
    )
    assert response.status_code == 200
    assert param("lockout_failures") == 5  # nothing saved
    response = client.post(
        reverse("security-parameters"), {**data, "lockout_failures": "3", "log_retention_days": "30"}
    )
    assert response.status_code == 200 and param("lockout_failures") == 5  # retention below 190 refused
    response = client.post(reverse("security-parameters"), {**data, "lockout_failures": "3"})
    assert response.status_code == 302
    assert param("lockout_failures") == 3
    event = Event.objects.get(action="security.parameter.set")
    assert event.before == {"lockout_failures": "5"} and event.after == {"lockout_failures": "3"}


def test_sysadmin_cannot_change_roles_in_the_admin(world, client_for):
    client = client_for(world.users["sysadmin"])
    target = world.users["expert"]
    page = client.get(f"/admin/accounts/user/{target.pk}/change/").content.decode()
    assert 'name="role"' not in page
    client.post(
        f"/admin/accounts/user/{target.pk}/change/",
        {"username": target.username, "role": "auditor", "is_active": "on"},
    )
    target.refresh_from_db()
    assert target.role == Role.EXPERT
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/accounts/securityparameter/").status_code == 404


def test_sysadmin_creates_accounts_without_a_role(world, client_for):
    client = client_for(world.users["sysadmin"])
    response = client.post(
        "/admin/accounts/user/add/",
        {"username": "newstaff", "password1": GOOD, "password2": GOOD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="newstaff")
    assert user.role == "" and user.must_change_password


# --- Headers and deployment checks ------------------------------------------------------------------


def test_security_headers(world, client):
    response = client.get(reverse("login"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_scripts():
    import pathlib
    import re

    for path in pathlib.Path("qingshen/templates").rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\son[a-z]+=\"", text), path


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qingshen.settings",
        "DEBUG": "0",
        "QINGSHEN_HTTPS": "1",
        "SECRET_KEY": "x7!" * 20 + "a-long-random-production-secret",
        "ALLOWED_HOSTS": "qingshen.example.gov.cn",
        "QINGSHEN_VAR_DIR": str(tmp_path),
        "QINGSHEN_DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    }
    env.pop("DATABASE_URL", None)
    env.pop(
        "DJANGO_ALLOW_ASYNC_UNSAFE", None
    )  # set by the browser tests in this process, never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_without_a_data_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qingshen.settings",
        "QINGSHEN_HTTPS": "1",
        "SECRET_KEY": "x7!" * 20 + "a-long-random-production-secret",
        "QINGSHEN_VAR_DIR": str(tmp_path),
    }
    env.pop("QINGSHEN_DATA_KEY", None)
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "qingshen.W001" in result.stdout + result.stderr


def test_the_admin_login_form_is_not_a_way_around_lockout_and_second_factor(world, client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    response = client.post("/admin/login/", {"username": "sysadmin", "password": f.PASSWORD})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get("/admin/").status_code == 302
    assert not Event.objects.filter(action="auth.login").exists()


@pytest.mark.parametrize("role", ["city", "enterprise", "auditor", "security", "sysadmin", "expert"])
def test_everyone_sees_their_own_sessions(world, client_for, role):
    assert client_for(world.users[role]).get(reverse("session-list")).status_code == 200


def test_anonymous_is_sent_to_login_from_the_new_pages(world, client):
    for name in ("session-list", "password-change", "security-grants", "security-parameters", "log-verify"):
        assert client.get(reverse(name)).status_code == 302, name


def test_uploaded_files_are_outside_the_static_root_and_not_served(settings, client, world):
    from pathlib import Path

    media, static = Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()
    assert not media.is_relative_to(static) and not static.is_relative_to(media)
    assert client.get(settings.MEDIA_URL + "cases/anything.pdf").status_code == 404


def test_the_security_admin_unlocks_and_resets_the_second_factor(world, password_only, client):
    from django.test import Client

    _fail(client, "north", 5)
    locked = client.post(
        reverse("login"), {"username": "north", "password": f.PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert 'id="login-locked"' in locked.content.decode()
    target = world.users["district"]
    for role in ("sysadmin", "auditor", "district"):
        other = Client()
        other.force_login(world.users[role] if role != "district" else world.users["district_south"])
        assert other.post(reverse("security-unlock", args=[target.pk])).status_code == 404
        assert other.post(reverse("security-otp-reset", args=[target.pk])).status_code == 404
    security = Client()
    security.force_login(world.users["security"])
    assert (
        'id="account-locks"'
        in security.get(reverse("security-grant-edit", args=[target.pk])).content.decode()
    )
    assert security.post(reverse("security-unlock", args=[target.pk])).status_code == 302
    response = client.post(
        reverse("login"), {"username": "north", "password": f.PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302  # at once, from the address the failures came from
    TOTPDevice.objects.create(user=target, name="phone", confirmed=True)
    assert security.post(reverse("security-otp-reset", args=[target.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert Event.objects.filter(action="account.otp.reset", actor=world.users["security"]).exists()
    assert security.post(reverse("security-unlock", args=[world.users["security"].pk])).status_code == 404


def test_unlock_clears_every_lock_on_the_account(world, password_only, client):
    """The name locked from two addresses, one of them also paused by a guesser behind it."""
    from django.test import Client

    _fail(client, "north", 5, address="10.0.0.1")
    _fail(client, "north", 5, address="10.0.0.9")
    for n in range(20):
        _fail(client, f"guess{n}", 1, address="10.0.0.9")
    security = Client()
    security.force_login(world.users["security"])
    assert security.post(reverse("security-unlock", args=[world.users["district"].pk])).status_code == 302
    for address in ("10.0.0.1", "10.0.0.9"):
        response = Client().post(
            reverse("login"), {"username": "north", "password": f.PASSWORD}, REMOTE_ADDR=address
        )
        assert response.status_code == 302, address
    event = Event.objects.get(action="account.unlock")
    assert event.after["addresses"] == ["10.0.0.9"] and event.after["cleared"] == 3


def test_create_admin_bootstraps_the_three_administrators(db, monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("QS_PW", GOOD)
    for name, role in (("sec", "security"), ("aud", "auditor")):
        call_command("create_admin", name, "--role", role, "--password-env", "QS_PW", stdout=io.StringIO())
        assert User.objects.get(username=name).role == role
    with pytest.raises(CommandError):
        call_command("create_admin", "x", "--role", "city", "--password-env", "QS_PW")
    monkeypatch.setenv("QS_PW", "weak")
    with pytest.raises(CommandError):
        call_command("create_admin", "weakling", "--role", "auditor", "--password-env", "QS_PW")
    assert Event.objects.filter(action="account.create").count() == 2


def test_login_issues_a_new_session_key(world, password_only, client):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("login"), {"username": "north", "password": f.PASSWORD})
    assert client.session.session_key != before


def test_the_admin_user_list_masks_phones(world, client_for):
    user = world.users["district"]
    user.phone = "13812345678"
    user.save()
    page = client_for(world.users["sysadmin"]).get("/admin/accounts/user/").content.decode()
    assert "138****5678" in page and "13812345678" not in page


def test_password_page_lists_the_rules(world, client_for):
    page = client_for(world.users["district"]).get(reverse("password-change")).content.decode()
    assert 'id="password-rules"' in page


def test_the_sysadmin_cannot_reset_the_other_administrators_passwords(world, client_for):
    client = client_for(world.users["sysadmin"])
    for role in ("security", "auditor"):
        target = world.users[role]
        url = f"/admin/accounts/user/{target.pk}/password/"
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"password1": GOOD, "password2": GOOD, "usable_password": "true"}).status_code
            == 404
        )
        target.refresh_from_db()
        assert target.check_password(f.PASSWORD)


def test_logged_out_and_expired_sessions_are_not_listed(world, password_only):
    from django.test import Client

    a, b = Client(), Client()
    a.post(reverse("login"), {"username": "north", "password": f.PASSWORD}, HTTP_USER_AGENT="browser-a")
    b.post(reverse("login"), {"username": "north", "password": f.PASSWORD}, HTTP_USER_AGENT="browser-b")
    b.post(reverse("logout"))
    assert UserSession.objects.get(user_agent="browser-b").end_reason == "logout"
    page = a.get(reverse("session-list")).content.decode()
    assert "browser-a" in page and "browser-b" not in page


def test_the_second_step_expires_after_the_window_setting(world, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post(reverse("login"), {"username": "city", "password": f.PASSWORD})
    with override_settings(QINGSHEN_LOGIN_SECOND_STEP_SECONDS=60):
        with time_machine.travel(start + datetime.timedelta(seconds=59), tick=False):
            assert client.get(reverse("login-otp")).status_code == 200
        with time_machine.travel(start + datetime.timedelta(seconds=61), tick=False):
            assert client.get(reverse("login-otp")).status_code == 302  # back to the password
