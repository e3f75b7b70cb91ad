from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from qingshen.accounts import scoping

from . import selectors


@login_required
def rule_list(request):
    """The time limits in force, with their sources: staff see what drives their deadlines."""
    if not scoping.sees_case_data(request.user):
        raise Http404
    return render(request, "oversight/rule_list.html", {"rules": selectors.rules_all()})
