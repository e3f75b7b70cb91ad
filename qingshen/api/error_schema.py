"""The error shape in the OpenAPI document: the `Error` and `Conflict` components, and a hook that
adds the answers every endpoint may give (400, 401, 403, 404, 429) to each operation that does not
describe them itself."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=gettext_lazy(
            "A stable code: invalid, not_authenticated, authentication_failed, permission_denied, not_found, "
            "method_not_allowed, unsupported_media_type, refused, transition_refused, stale_version, "
            "too_large, throttled."
        )
    )
    message = serializers.CharField(help_text=gettext_lazy("What went wrong, in the request's language."))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy("For bad input: each field's problems, by field name."),
    )


class ConflictSerializer(ErrorSerializer):
    state = serializers.CharField(help_text=gettext_lazy("The case's state now."))
    version = serializers.IntegerField(help_text=gettext_lazy("The case's version now."))
    allowed_actions = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("The steps you may take now.")
    )


def _described(text):
    return OpenApiResponse(ErrorSerializer, description=text)


ERROR_RESPONSES = {
    400: _described(gettext_lazy("Bad input: nothing was changed; `fields` names the problems.")),
    404: _described(gettext_lazy("No such object, or outside your scope.")),
}
TOO_LARGE_RESPONSE = _described(gettext_lazy("The upload is over the size limit."))
CONFLICT_RESPONSE = OpenApiResponse(
    ConflictSerializer,
    description=gettext_lazy(
        "The step is refused in the case's state or for your role (code transition_refused), or the case "
        "changed since you read it (code stale_version)."
    ),
)

_COMMON = {
    "400": gettext_lazy("Bad input: nothing was changed; `fields` names the problems."),
    "401": gettext_lazy("No credentials, or an unknown, expired, revoked or disabled token."),
    "403": gettext_lazy("Your role or token may not do this (a read-scope token on a write)."),
    "429": gettext_lazy("Too many requests for this token; `Retry-After` says when to try again."),
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}


def error_responses(result, generator, request, public):
    """Every operation documents the error shape for the answers any endpoint may give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message", "fields"],
        },
    )
    content = {"application/json": {"schema": _ERROR_REF}}
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = dict(_COMMON)
            answers["404"] = (
                gettext_lazy("No such object, or outside your scope.")
                if "{" in path
                else gettext_lazy("No such page of the list (pages count from 1).")
            )
            for code, text in answers.items():
                operation["responses"].setdefault(code, {"description": str(text), "content": content})
    return result
