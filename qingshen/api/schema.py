"""The OpenAPI 3 document: only the /api/v1/ paths, its title and description in the request's language,
and the token scheme described for drf-spectacular."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension


def only_api_paths(endpoints, **kwargs):
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


def translated_info(result, generator, request, public):
    result["info"]["title"] = _("qingshen REST API")
    result["info"]["description"] = _(
        "Read access to jurisdictions, enterprises, programmes and cases, always within the caller's "
        "scope (an object outside it is answered 404). Authenticate with the browser's session or with a "
        "personal token sent as `Authorization: Bearer <key>` (created under My account → API tokens)."
    )
    return result


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "qingshen.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": _("A personal API token.")}
