"""Throttling per token: a token's requests are counted under its id, a session's under its user, an
anonymous caller's under its address; reads and writes have their own rates (QINGSHEN_API_RATE_*)."""

from django.conf import settings
from rest_framework import permissions
from rest_framework.throttling import SimpleRateThrottle

from qingshen.accounts.models import ApiToken
from qingshen.trail.middleware import client_ip_of


class TokenRateThrottle(SimpleRateThrottle):
    cache_format = "qs-api-throttle:%(scope)s:%(ident)s"

    def __init__(self):  # the base class reads a rate at init; ours depends on the request
        pass

    def allow_request(self, request, view):
        self.scope = self._scope(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    @staticmethod
    def _scope(request) -> str:
        if not request.user.is_authenticated:
            return "anon"
        return "read" if request.method in permissions.SAFE_METHODS else "write"

    def get_rate(self):
        return getattr(settings, f"QINGSHEN_API_RATE_{self.scope.upper()}")

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"addr-{client_ip_of(request) or self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
