"""Idle and absolute session timeouts, and the forced password change."""

import time

from django.contrib import auth, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from qingshen.accounts.parameters import param
from qingshen.trail.services import event_record

SEEN_RESOLUTION = 60  # seconds: "last seen" is written at most once a minute, not on every request


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._check(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request, user):
        now = int(time.time())
        session = request.session
        started, seen = session.get("qs_started"), session.get("qs_seen")
        if started is None or seen is None:
            session["qs_started"], session["qs_seen"] = started or now, now
            started, seen = session["qs_started"], now
        idle = param("session_idle_minutes") * 60
        absolute = param("session_absolute_hours") * 3600
        if now - seen > idle or now - started > absolute:
            reason = "idle" if now - seen > idle else "absolute"
            event_record(action="auth.session_timeout", actor=user, obj=user, after={"reason": reason})
            self._end_record(session.session_key, reason)
            auth.logout(request)
            messages.info(request, _("Your session ended; please log in again."))
            return redirect(f"{reverse('login')}?next={request.path}")
        if now - seen >= SEEN_RESOLUTION:
            session["qs_seen"] = now
            from django.utils import timezone

            from qingshen.accounts.models import UserSession

            UserSession.objects.filter(session_key=session.session_key).update(last_seen=timezone.now())
        if request.path not in self._free_paths() and not request.path.startswith(("/static/", "/i18n/")):
            from qingshen.accounts.services import password_expired

            if user.must_change_password or password_expired(user):
                return redirect("password-change")
        return None

    @staticmethod
    def _free_paths():
        return {reverse("password-change"), reverse("logout")}

    @staticmethod
    def _end_record(session_key, reason):
        from django.utils import timezone

        from qingshen.accounts.models import UserSession

        UserSession.objects.filter(session_key=session_key).update(
            ended_at=timezone.now(), end_reason=f"timeout_{reason}"
        )
