"""Writes on the programme itself: creating a year's programme and setting its milestones.

The list's workflow is `lists`, its entries `listings` and `plan`, changes after publication
`amendments`, file imports `imports`."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Milestone, Programme
from qingshen.trail.services import event_record


@transaction.atomic
def programme_create(*, city, year: int, title: str = "", actor=None) -> Programme:
    if Programme.objects.filter(city=city, year=year).exists():
        raise ProgrammeError(
            _("%(city)s already has a programme for %(year)s.") % {"city": city, "year": year}
        )
    if not title:
        # A title is data: written in the installation's language, whatever the caller's.
        with translation.override(settings.LANGUAGE_CODE):
            title = _("%(year)s mandatory cleaner production audits of %(city)s") % {
                "year": year,
                "city": city.name,
            }
    programme = Programme.objects.create(city=city, year=year, title=title)
    event_record(action="programme.create", actor=actor, obj=programme, after={"year": year, "city": city.pk})
    return programme


@transaction.atomic
def milestone_add(
    *, programme: Programme, name: str, due_on: datetime.date, source: str = "", actor=None
) -> Milestone:
    milestone = Milestone.objects.create(programme=programme, name=name, due_on=due_on, source=source)
    event_record(
        action="programme.milestone.add",
        actor=actor,
        obj=programme,
        after={"name": name, "due_on": due_on, "source": source},
    )
    return milestone
