"""Personal API tokens in `Authorization: Bearer <key>`; the key is looked up by its SHA-256 only."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from qingshen.accounts.api_tokens import api_token_authenticate

KEYWORD = "Bearer"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None  # not ours: the session may still answer
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed token header."))
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Malformed token header.")) from None
        token = api_token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD
