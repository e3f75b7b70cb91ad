"""How the group, meeting and voluntary-audit write endpoints answer a service's refusal: out of scope
(NotFound) stays a 404 and a refused upload a 400; a refusal the caller's role explains is a 403; any other is the object's state
refusing the step, a 409 with what the object is now (the service's transaction rolled back)."""

from rest_framework import exceptions

from qingshen.api.errors import Conflict
from qingshen.core.errors import NotFound, Refused
from qingshen.core.files.uploads import DocumentRefused


def called(fn, *, role_allowed, now, **kwargs):
    """`fn(**kwargs)`; a refusal is a 403 when `role_allowed()` is false, else a 409 with `now()`."""
    try:
        return fn(**kwargs)
    except (NotFound, DocumentRefused):  # out of scope 404; a refused file is bad input, 400
        raise
    except Refused as exc:
        if not role_allowed():
            raise exceptions.PermissionDenied(exc.message) from exc
        raise Conflict(exc.message, code="refused", extra=now()) from exc


def object_id(value, message) -> int:
    """A child id of a router's address (any text there, as the router's own pk): a whole number, or
    the object is not found."""
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise NotFound(message)
    return int(text)
