"""The request's own check of the character rules (accounts/characters.py), before any view runs.

The address, the query string, cookies, headers and the body's fields (a form, a JSON document) may
carry no control character (forms and JSON keep tab and line breaks for multi-line text). A request
that does is refused with a 400 page in the site's layout, in the user's language, naming where the
character was: no view, no lock-out counter and no database query sees it (a body over Django's size
limit is a 413 the same way). A damaged cookie is deleted with the refusal so that the next request
works. Under /api/ the refusal is the API's error JSON `{code, message, fields}`, not a page. The
rules of names (no text-direction characters, one line) need to know the field, so they are the
forms' and the imports' (validators in characters.py).
"""

import json
import logging
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

from qingshen.core import text as characters

logger = logging.getLogger("qingshen.input")

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
JSON_TYPES = ("application/json",)
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
API_PREFIX = "/api/"  # answered in the API's error shape (qingshen.api.errors), which sits above this


@dataclass
class Refusal:
    message: str
    cookie: str = ""  # the name of a damaged cookie, deleted with the refusal
    log: str = ""
    field: str = ""  # the body's field it is about, if any
    status: int = 400


def _char(ch: str) -> str:
    return characters.describe(ch)


def _json_strings(value, path="$"):
    """(where, text) for every key and string of a JSON document."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{path}.{key}", str(key)
            yield from _json_strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}[{index}]")


def refusal_for(request) -> Refusal | None:
    """Why the request is refused, or None. Reads the body only for methods and types that have fields."""
    ch = characters.first_control(request.path)
    if ch:
        return Refusal(
            _("The address of the page contains an invisible control character (%(char)s).")
            % {"char": _char(ch)},
            log="path",
        )
    for key, values in request.GET.lists():
        for text in (key, *values):
            ch = characters.first_control(text)
            if ch:
                return Refusal(
                    _(
                        "The value “%(field)s” in the page's address contains an invisible control character (%(char)s)."
                    )
                    % {"field": _safe(key), "char": _char(ch)},
                    log=f"query {key!r}",
                )
    for name, value in request.COOKIES.items():
        ch = characters.first_control(name) or characters.first_control(value)
        if ch:
            return Refusal(
                _("Your browser sent a damaged cookie (%(field)s). It has been removed: load the page again.")
                % {"field": _safe(name)},
                cookie=name if characters.first_control(name) is None else "",
                log=f"cookie {name!r}",
            )
    for key, value in request.META.items():
        if key.startswith("HTTP_") and key != "HTTP_COOKIE" and isinstance(value, str):
            ch = characters.first_control(value, multiline=True, c1=False)
            if ch:
                header = key[5:].replace("_", "-").title()
                return Refusal(
                    _("The request header %(field)s contains an invisible control character (%(char)s).")
                    % {"field": header, "char": _char(ch)},
                    log=f"header {header}",
                )
    if request.method in BODY_METHODS:
        try:
            return _body_refusal(request)
        except RequestDataTooBig:
            return Refusal(_("The request is larger than the upload limit."), log="body size", status=413)
    return None


def _body_refusal(request) -> Refusal | None:
    content_type = request.content_type or ""
    fields = []
    if request.method == "POST" and content_type in FORM_TYPES:
        try:
            fields = [(key, text) for key, values in request.POST.lists() for text in (key, *values)]
        except MultiPartParserError:
            return Refusal(
                _("The form could not be read: it was damaged on the way. Send it again."), log="body"
            )
    elif content_type in JSON_TYPES:
        try:
            document = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None  # not JSON: the view refuses it in its own words
        fields = list(_json_strings(document))
    for key, text in fields:
        ch = characters.first_control(text, multiline=True)
        if ch:
            return Refusal(
                _(
                    "The field “%(field)s” of the form contains an invisible control character (%(char)s) that "
                    "cannot be stored. Go back (what you typed is kept), type that text again instead of "
                    "pasting it, and send the form again."
                )
                % {"field": _safe(key), "char": _char(ch)},
                log=f"field {key!r}",
                field=_safe(key),
            )
    return None


def _safe(name: str) -> str:
    """A field's name for the message: its controls shown as numbers, never sent back raw."""
    shown = "".join(f"U+{ord(c):04X}" if characters.is_control(c) else c for c in name)
    return shown[:60]


class InputCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = refusal_for(request)
        if refusal is None:
            return self.get_response(request)
        logger.warning(
            "Refused %s %s: control character in %s", request.method, _safe(request.path), refusal.log
        )
        if refusal.cookie:
            # The session cannot be loaded from a damaged key: the page is drawn for a visitor.
            from importlib import import_module

            from django.conf import settings

            request.session = import_module(settings.SESSION_ENGINE).SessionStore()
            request.user = AnonymousUser()
        if request.path.startswith(API_PREFIX):
            code = "too_large" if refusal.status == 413 else "invalid"
            fields = {refusal.field: [refusal.message]} if refusal.field else {}
            response = JsonResponse(
                {"code": code, "message": refusal.message, "fields": fields}, status=refusal.status
            )
        else:
            response = render(
                request, "input_refused.html", {"message": refusal.message}, status=refusal.status
            )
        if refusal.cookie:
            response.delete_cookie(refusal.cookie)
        return response
