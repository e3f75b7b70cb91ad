"""Registering a voluntary audit (自愿审核): an enterprise on no list opens its own audit round.

The round belongs to its city's programme of the year (the year's work holds both accounts, counted
apart: cases.kinds); when the city has not set up that year yet, registering opens it as a draft
(services.programme_year_ensure), so a volunteer never waits for a list it is not on. cases opens the
case (a downward call), as publishing a list opens the listed cases.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts.models import User
from qingshen.accounts.roles import Role
from qingshen.cases import scoping as case_scoping
from qingshen.cases.services import case_create_voluntary
from qingshen.core.errors import NotFound
from qingshen.notifications.services import notification_send
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.models import Listing, Programme
from qingshen.programmes.services import programme_year_ensure


def _programme_for(*, enterprise, year: int, actor) -> Programme:
    city = enterprise.jurisdiction.city
    if city is None:
        raise ProgrammeError(_("Your enterprise belongs to no city's bureau; please contact the bureau."))
    programme = programme_year_ensure(city=city, year=year, actor=actor, why="voluntary")
    if programme.historical:
        raise ProgrammeError(
            _("%(year)d is a year before the system; a voluntary audit is registered in the current year.")
            % {"year": year}
        )
    return programme


@transaction.atomic
def voluntary_register(*, actor, today: datetime.date | None = None):
    """The enterprise of `actor` registers a voluntary audit; refused (nothing changes) when the enterprise
    is on this year's list or has an audit in progress. A city without this year's programme gets it
    opened as a draft."""
    if not case_scoping.may_register_voluntary(actor):
        raise NotFound()
    enterprise = actor.enterprise
    today = today or timezone.localdate()
    programme = _programme_for(enterprise=enterprise, year=today.year, actor=actor)
    if Listing.objects.filter(programme=programme, enterprise=enterprise).exists():
        raise ProgrammeError(
            _("Your enterprise is on the %(year)d list: its audit is a mandatory one, not voluntary.")
            % {"year": programme.year}
        )
    case = case_create_voluntary(
        programme_id=programme.pk, enterprise=enterprise, actor=actor, registered_on=today
    )
    _bureau_tell(case)
    return case


def _bureau_tell(case) -> None:
    """The staff of the bureaus whose jurisdiction holds the enterprise (its district, its city) hear of it."""
    staff = [
        u
        for u in User.objects.filter(
            is_active=True, role__in=[Role.CITY, Role.DISTRICT], jurisdiction__isnull=False
        ).select_related("jurisdiction")
        if case.jurisdiction_path.startswith(u.jurisdiction.path)
    ]
    if staff:
        notification_send(
            users=staff,
            subject=_("Voluntary audit registered: %(name)s") % {"name": case.enterprise.name},
            body=_("%(name)s registered a voluntary cleaner production audit on %(day)s.")
            % {"name": case.enterprise.name, "day": case.published_on.isoformat()},
            obj=case,
            jurisdiction_path=case.jurisdiction_path,
        )
