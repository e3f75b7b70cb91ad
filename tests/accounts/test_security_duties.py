"""Separation of duties (三员分立), the security administrator's pages, headers and deployment checks."""

import datetime
import io
import os
import subprocess
import sys

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qingshen.accounts import services
from qingshen.accounts.models import User, UserSession
from qingshen.accounts.roles import Role
from qingshen.trail.models import Event
from tests import factories as f
from tests.accounts.security_support import GOOD, fail_logins

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

    fail_logins(client, "north", 5)
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

    fail_logins(client, "north", 5, address="10.0.0.1")
    fail_logins(client, "north", 5, address="10.0.0.9")
    for n in range(20):
        fail_logins(client, f"guess{n}", 1, address="10.0.0.9")
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
