"""Session bookkeeping at login and when an account is disabled."""

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_save, pre_save
from django.dispatch import Signal, receiver

from qingshen.accounts.models import User
from qingshen.trail.middleware import client_ip_of

# A first-login link was issued to an address: notifications mails it (kwargs: invitation, base_url).
invitation_issued = Signal()


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs):
    from qingshen.accounts.services import session_register

    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session["qs_started"] = request.session["qs_seen"] = now
    if request.session.session_key is None:
        request.session.save()
    session_register(
        user=user,
        session_key=request.session.session_key,
        client_ip=client_ip_of(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
        method=getattr(request, "qs_login_method", "password"),
    )


@receiver(user_logged_out)
def _session_ended(sender, request, user, **kwargs):
    from django.utils import timezone

    from qingshen.accounts.models import UserSession

    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        UserSession.objects.filter(session_key=key, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason="logout"
        )


@receiver(pre_save, sender=User)
def _remember_active(sender, instance, **kwargs):
    if instance.pk is not None and not kwargs.get("raw"):
        instance._was_active = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()


@receiver(post_save, sender=User)
def _disabled_ends_sessions(sender, instance, created, **kwargs):
    if not created and getattr(instance, "_was_active", False) and not instance.is_active:
        from qingshen.accounts.services import user_deactivated

        user_deactivated(user=instance)
