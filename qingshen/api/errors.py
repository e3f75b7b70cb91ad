"""Every API error as one JSON shape, `{code, message, fields}`, the message in the request's language.

The domain's refusals (`Refused` → its status, `NotFound` → 404), DRF's own exceptions (400 with the
fields, 401, 403, 404, 405, 415, 429), a body over the size limit (413) and a refused transition or stale
version (409, with the case's state and the actions left: `Conflict`) all pass through
`exception_handler`. Anything else is a bug: it is logged with its traceback and still answered in the
shape, so a client never reads an HTML page.
"""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from qingshen.core.errors import NotFound, Refused

logger = logging.getLogger("qingshen.api")


class Conflict(exceptions.APIException):
    """409: the request met the object in a state that refuses it; `extra` goes beside the message."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, message, *, code="conflict", extra=None):
        super().__init__(message, code)
        self.extra = extra or {}


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def error_body(code: str, message, fields=None, **extra) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}, **extra}


def _flat(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's error details as one flat map of lists of strings, as the schema's `fields` promises: a
    nested field's problems under its dotted path (`content.address`, `benefits.0.expected`)."""
    if isinstance(detail, dict):
        found = {}
        for key, value in detail.items():
            found.update(_flat(value, f"{prefix}.{key}" if prefix else str(key)))
        return found
    items = detail if isinstance(detail, list) else [detail]
    if any(isinstance(item, (dict, list)) for item in items):
        found = {}
        for index, item in enumerate(items):
            if item:
                found.update(_flat(item, f"{prefix}.{index}" if prefix else str(index)))
        return found
    return {prefix or "non_field_errors": [str(item) for item in items]}


def _refusal(exc: Refused) -> Response:
    field = getattr(exc, "field", "")
    code = "not_found" if isinstance(exc, NotFound) else "refused"
    body = error_body(code, exc.message, {field: [str(exc.message)]} if field else {})
    return Response(body, status=exc.status)


def _api_exception(exc: exceptions.APIException) -> Response:
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{exc.wait:d}"
    if isinstance(exc, exceptions.ValidationError):
        fields = _flat(exc.detail)
        body = error_body("invalid", exceptions.ValidationError.default_detail, fields)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        body = error_body(code, exc.detail, **getattr(exc, "extra", {}))
    return Response(body, status=exc.status_code, headers=headers)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = TooLarge(_("The request is larger than the upload limit."))
    if isinstance(exc, Refused):
        response = _refusal(exc)
    elif isinstance(exc, exceptions.APIException):
        response = _api_exception(exc)
    else:
        view = context.get("view")
        logger.exception("API error in %s", type(view).__name__ if view is not None else "?")
        response = Response(
            error_body("server_error", _("Something went wrong on the server; try again later.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    set_rollback()
    return response


@csrf_exempt  # answers nothing but a 404: a POST without a CSRF token gets the same, in the shape
def not_found(request, *args, **kwargs):
    """An address under /api/ that names no endpoint: the 404 in the shape, not the site's page. One
    that names an endpoint but for its final slash is sent there, as Django's APPEND_SLASH would."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(request.path + "/" + (f"?{query}" if query else ""))
    return JsonResponse(error_body("not_found", exceptions.NotFound.default_detail), status=404)
