"""How a refusal reaches the page: one place for every view, API endpoint and page package.

Views that know better (show the refusal on their form, redirect back to the case) catch `Refused`
themselves; whatever escapes a view is answered here, so a refusal is never a 500: `NotFound` is the
404 page, any other `Refused` the refusal page with its status and message (and its link, if it has one).
"""

from django.forms.renderers import TemplatesSetting
from django.http import Http404
from django.shortcuts import render

from qingshen.core.errors import NotFound, Refused


class FormRenderer(TemplatesSetting):
    """Forms render with the project's templates; a field shows its label, help and errors together."""

    field_template_name = "forms/field.html"


def refusal_on_form(form, exc: Refused, *, here: str = "") -> None:
    """Show a refused service call on the form it came from, above its fields."""
    form.add_error(None, exc.as_html(here=here))


class RefusalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, Refused):
            return render(
                request,
                "refused.html",
                {"message": exception.as_html(here=request.path)},
                status=exception.status,
            )
        return None
