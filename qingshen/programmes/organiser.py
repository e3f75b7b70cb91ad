"""The programme's choice of who organises its reviews (overriding the city's setting,
registry.BureauSettings.review_organiser). The city may change it at any time of the year: a case's
organiser is asked when each step is taken (reviews.organisers), so the steps still to come follow it."""

from django.db import transaction
from django.utils.translation import gettext as _

from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Programme
from qingshen.registry.bureau_models import ReviewOrganiser
from qingshen.trail.services import event_record


@transaction.atomic
def programme_review_organiser_set(*, programme: Programme, actor, organiser: str) -> Programme:
    """`organiser`: a ReviewOrganiser value, or "" to follow the city's setting."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if not scoping.may_manage_programme(actor, programme):
        raise ProgrammeError(_("Only the city bureau of this programme may say who organises its reviews."))
    organiser = (organiser or "").strip()
    if organiser and organiser not in ReviewOrganiser.values:
        raise ProgrammeError(_("Choose the city bureau, the district bureau, or the city's setting."))
    before = programme.review_organiser
    if organiser == before:
        return programme
    programme.review_organiser = organiser
    programme.save(update_fields=["review_organiser"])
    event_record(
        action="programme.review_organiser",
        actor=actor,
        obj=programme,
        before={"review_organiser": before},
        after={"review_organiser": organiser},
    )
    return programme
