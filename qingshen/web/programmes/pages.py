"""What the list pages share: finding the programme and the district in the user's scope, and the
forms a page hosts, built unbound for a GET or bound to the POST that is shown again with its errors."""

from django.http import Http404

from qingshen.accounts import scoping as accounts_scoping
from qingshen.programmes import scoping, selectors


def programme_or_404(request, pk):
    """A programme the user sees (an enterprise sees the lists it is on)."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    if programme is None:
        raise Http404
    return programme


def workflow_programme_or_404(request, pk):
    """A programme whose list workflow the user works on: staff who see case data."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    if programme is None or not accounts_scoping.sees_case_data(request.user):
        raise Http404
    return programme


def district_or_404(request, programme, district_pk):
    district = scoping.proposal_districts_visible(request.user, programme).filter(pk=district_pk).first()
    if district is None:
        raise Http404
    return district


def refused_on(form, exc) -> None:
    """A refused service call, shown on the form that sent it (above its fields)."""
    form.add_error(None, exc.message)
