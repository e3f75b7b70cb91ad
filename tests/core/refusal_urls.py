from django.urls import path
from django.utils.translation import gettext as _

from qingshen.core.errors import NotFound, Refused
from qingshen.urls import urlpatterns as site


def refused(request):
    raise Refused(_("Enter the reason."), link=("/help/", "help"))


def not_found(request):
    raise NotFound(_("No such case."))


urlpatterns = [path("test/refused/", refused), path("test/not-found/", not_found), *site]
