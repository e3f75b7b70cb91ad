from django.shortcuts import render

from qingshen.oversight import selectors as oversight_selectors


def procedure(request):
    """The public procedure page (履职行权规程): no login."""
    return render(request, "public/procedure.html", {"procedure": oversight_selectors.procedure_current()})
