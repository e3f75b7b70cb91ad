"""Login in two steps (password, then TOTP where required), password change, and a user's sessions."""

import time

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from qingshen.accounts import lockout, otp, services
from qingshen.accounts.models import User, UserSession
from qingshen.trail.middleware import client_ip_of
from qingshen.trail.services import event_record
from qingshen.web.accounts.forms import OtpForm, PasswordChangeForm


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _locked_message(lock) -> str:
    """The same words whether or not the user name exists (no enumeration)."""
    time_text = timezone.localtime(lock.until).strftime("%Y-%m-%d %H:%M")
    if lock.scope == "address":
        return _(
            "Too many failed logins from your network address: logins from it are paused until %(time)s."
        ) % {"time": time_text}
    return _("This account is locked until %(time)s after repeated failed logins.") % {"time": time_text}


def _complete_login(request, user, *, method: str, device=None, next_url: str):
    from django_otp import login as otp_login

    request.qs_login_method = method
    auth.login(request, user, backend=user.backend)
    if device is not None:
        otp_login(request, device)
    if user.must_change_password or services.password_expired(user):
        return redirect("password-change")
    return redirect(next_url)


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = AuthenticationForm(request, data=request.POST or None)
    locked = None
    if request.method == "POST":
        username, address = request.POST.get("username", ""), client_ip_of(request)
        locked = lockout.login_lock_get(username=username, address=address)
        if locked:
            form = AuthenticationForm(request)  # do not even check the password
            event_record(
                action="auth.login_failed",
                actor_name=username[:150],
                client_ip=address,
                result="failure",
                note="locked",
                after={"method": "password", "lock": locked.scope},
            )
        elif form.is_valid():
            user = form.get_user()
            lockout.login_success_record(username=username, address=address)
            if otp.otp_required(user):
                request.session["qs_pending"] = {
                    "user": user.pk,
                    "backend": user.backend,
                    "at": int(time.time()),
                    "next": _next_url(request),
                }
                return redirect("login-otp")
            return _complete_login(request, user, method="password", next_url=_next_url(request))
        else:
            locked = lockout.login_failure_record(username=username, address=address)
    context = {"form": form, "next": request.GET.get("next", request.POST.get("next", "")), "locked": locked}
    if locked:
        context["locked_message"] = _locked_message(locked)
    return render(request, "accounts/login.html", context)


def _pending_user(request):
    pending = request.session.get("qs_pending")
    if not pending or not otp.second_step_in_time(pending["at"], time.time()):
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user, pending


@sensitive_post_parameters()
@csrf_protect
@never_cache
def login_otp(request):
    """Second step: enrol a TOTP device (first time) or enter a code or a recovery code."""
    user, pending = _pending_user(request)
    if user is None:
        messages.error(request, _("Please log in again."))
        return redirect("login")
    address = client_ip_of(request)
    enrolled = otp.otp_enrolled(user)
    device = None if enrolled else otp.totp_device_pending(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        locked = lockout.login_lock_get(username=user.username, address=address)
        token = form.cleaned_data["token"]
        if locked:
            form.add_error(None, _locked_message(locked))
        elif enrolled:
            matched = otp.otp_verify(user, token)
            if matched is not None:
                del request.session["qs_pending"]
                lockout.login_success_record(username=user.username, address=address)
                method = (
                    "password+totp" if matched.__class__.__name__ == "TOTPDevice" else "password+recovery"
                )
                return _complete_login(request, user, method=method, device=matched, next_url=pending["next"])
        else:
            codes = otp.totp_device_confirm(user=user, token=token)
            if codes is not None:
                del request.session["qs_pending"]
                lockout.login_success_record(username=user.username, address=address)
                response = _complete_login(
                    request,
                    user,
                    method="password+totp",
                    device=otp.TOTPDevice.objects.get(user=user, confirmed=True),
                    next_url=pending["next"],
                )
                return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": response.url})
        if not form.errors:
            event_record(
                action="auth.login_failed",
                actor_name=user.username,
                client_ip=address,
                result="failure",
                after={"method": "totp"},
            )
            locked = lockout.login_failure_record(username=user.username, address=address)
            form.add_error(None, _locked_message(locked) if locked else _("The code is not correct."))
    context = {"form": form, "enrolling": not enrolled}
    if device is not None:
        context["secret"] = _base32(device.bin_key)
        context["otpauth"] = device.config_url
        context["qr"] = _qr_data_uri(device.config_url)
    return render(request, "accounts/login_otp.html", context)


def _qr_data_uri(text: str) -> str:
    """The enrolment key as a QR code the authenticator app scans (an SVG data URI: no script)."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=4)


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


@sensitive_post_parameters()
@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                user=request.user,
                new_password=form.cleaned_data["new_password1"],
                keep_session_key=request.session.session_key,
            )
        except ValueError as exc:
            form.add_error("new_password1", str(exc))
        else:
            request.user.refresh_from_db()
            auth.update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password was changed."))
            return redirect("home")
    from django.contrib.auth.password_validation import password_validators_help_texts

    forced = request.user.must_change_password or services.password_expired(request.user)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": forced, "rules": password_validators_help_texts()},
    )


@login_required
def session_list(request):
    from django.contrib.sessions.models import Session

    # Only sessions that still exist (expired or logged-out ones have no session row any more).
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    sessions = UserSession.objects.filter(user=request.user, ended_at__isnull=True, session_key__in=live)
    return render(
        request,
        "accounts/session_list.html",
        {"sessions": sessions, "current_key": request.session.session_key},
    )


@login_required
@require_POST
def session_end(request, pk):
    try:
        services.session_end_own(user=request.user, session_id=pk)
    except UserSession.DoesNotExist:
        raise Http404 from None
    messages.success(request, _("The session was ended."))
    return redirect("session-list")
