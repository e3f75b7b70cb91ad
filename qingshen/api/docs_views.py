"""The API's documentation page: Swagger UI from npm, served locally, started by a static script."""

from django.shortcuts import render


def docs(request):
    return render(request, "api/docs.html")
