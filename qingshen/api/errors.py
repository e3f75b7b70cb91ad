"""Errors as JSON: the domain's refusals (`Refused` → 400 or its status, `NotFound` → 404) and DRF's own."""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from qingshen.core.errors import Refused


def exception_handler(exc, context):
    if isinstance(exc, Refused):
        return Response(
            {"code": type(exc).__name__, "message": str(exc.message), "fields": {}}, status=exc.status
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {
            "code": "invalid",
            "message": str(exceptions.ValidationError.default_detail),
            "fields": fields,
        }
    elif isinstance(exc, Http404):
        response.data = {
            "code": "not_found",
            "message": str(exceptions.NotFound.default_detail),
            "fields": {},
        }
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        response.data = {
            "code": exc.get_codes() if isinstance(exc.get_codes(), str) else "error",
            "message": str(detail),
            "fields": {},
        }
    return response
