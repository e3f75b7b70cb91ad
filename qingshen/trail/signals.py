"""Logins, logouts and failed logins are events (design.md §6)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from qingshen.trail.middleware import client_ip_of
from qingshen.trail.models import Event
from qingshen.trail.services import event_record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    method = getattr(request, "qs_login_method", "password") if request is not None else "password"
    event_record(
        action="auth.login",
        actor=user,
        obj=user,
        client_ip=client_ip_of(request) if request is not None else None,
        after={"method": method},
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        event_record(action="auth.logout", actor=user, obj=user, client_ip=client_ip_of(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Never store the password; the user name typed is kept to spot guessing.
    event_record(
        action="auth.login_failed",
        actor_name=str(credentials.get("username", ""))[:150],
        client_ip=client_ip_of(request) if request is not None else None,
        result=Event.Result.FAILURE,
        after={"method": getattr(request, "qs_login_method", "password")},
    )
