"""The site's URLs plus views that fail each way, for the error page tests (DEBUG off)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from qingshen.urls import urlpatterns as site_urlpatterns


def refuse(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a test's bad request")


def crash(request):
    raise RuntimeError("a test's server error")


urlpatterns = [
    *site_urlpatterns,
    path("test-errors/403/", refuse),
    path("test-errors/400/", suspicious),
    path("test-errors/500/", crash),
]
