"""A read-scope token may only read; the session and write-scope tokens may also write."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from qingshen.accounts.models import ApiToken


class TokenScope(permissions.BasePermission):
    message = _("This token may only read.")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, ApiToken) or request.method in permissions.SAFE_METHODS:
            return True
        return token.scope == ApiToken.Scope.WRITE
