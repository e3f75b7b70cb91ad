"""How the review pages call a service: out of scope is a 404; a refusal is shown on the form that
asked (beside its fields when the form could tell), or flashed for a button that has no form page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect

from qingshen.core.errors import NotFound, Refused
from qingshen.core.pages import refusal_on_form


def posted(request) -> tuple:
    """A form's data and files: bound on any POST, an empty one too (it then says what is missing)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def on_form(request, form, fn, **kwargs):
    """Call `fn`; a refusal goes onto `form`, above its fields. Returns the result, or None when refused."""
    try:
        return fn(**kwargs)
    except NotFound as exc:
        raise Http404 from exc
    except Refused as exc:
        refusal_on_form(form, exc, here=request.path)
        return None


def flashed(request, fn, **kwargs):
    """Call `fn`; a refusal becomes a message on the next page. Returns the result, or None."""
    try:
        return fn(**kwargs)
    except NotFound as exc:
        raise Http404 from exc
    except Refused as exc:
        messages.error(request, exc.message)
        return None


def refused_elsewhere(request, form, page: str, **kwargs):
    """A failed form whose page does not show it (the step moved on meanwhile, or the user never had it):
    its errors are flashed on that page."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(page, **kwargs)
