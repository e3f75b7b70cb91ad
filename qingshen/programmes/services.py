"""Writes on the programme itself: creating a year's programme from its notice, editing it and its
milestones while the list is a draft.

The list's workflow is `lists`, its entries `listings` and `plan`, changes after publication
`amendments`, file imports `imports`."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qingshen.accounts.models import Jurisdiction
from qingshen.procedures.rules import rules_by_code
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.milestone_cases import milestone_cases_bind, milestone_unbind_check
from qingshen.programmes.models import Milestone, Programme
from qingshen.programmes.seed import PROGRAMME_DATE_WINDOW_RULE, PROGRAMME_YEAR_SPAN_RULE
from qingshen.trail.services import event_record

PROGRAMME_FIELDS = ("year", "title", "document_number", "issuing_body", "issued_on")
MILESTONE_FIELDS = ("kind", "name", "due_on", "source")


def _sanity_amount(seed: dict) -> int:
    """A sanity bound's rule as the city set it; its seeded value if the row is gone (a flushed
    database): a check against typing errors must not stop a city from setting up its year."""
    rule = rules_by_code([seed["code"]]).get(seed["code"])
    return rule.amount if rule is not None else seed["amount"]


def year_bounds() -> tuple[int, int]:
    """The years a programme may be set up for, around the current year (rule `programme_year_span`)."""
    span = _sanity_amount(PROGRAMME_YEAR_SPAN_RULE)
    this_year = timezone.localdate().year
    return this_year - span, this_year + span


def date_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The dates a programme's notice and milestones may carry (rule `programme_date_window`)."""
    window = _sanity_amount(PROGRAMME_DATE_WINDOW_RULE)
    return datetime.date(year - window, 1, 1), datetime.date(year + window, 12, 31)


def _year_check(city, year: int, *, programme: Programme | None = None) -> None:
    low, high = year_bounds()
    if not low <= year <= high:
        raise ProgrammeError(
            _("The year must lie between %(low)s and %(high)s.") % {"low": low, "high": high}, field="year"
        )
    others = Programme.objects.filter(city=city, year=year)
    if programme is not None:
        others = others.exclude(pk=programme.pk)
    if others.exists():
        raise ProgrammeError(
            _("%(city)s already has a programme for %(year)s.") % {"city": city, "year": year}, field="year"
        )


def _date_check(year: int, day: datetime.date | None, what: str, field: str = "") -> None:
    if day is None:
        return
    low, high = date_bounds(year)
    if not low <= day <= high:
        raise ProgrammeError(
            _("%(what)s must lie between %(low)s and %(high)s.")
            % {"what": what, "low": low.isoformat(), "high": high.isoformat()},
            field=field,
        )


def _text(value: str) -> str:
    return (value or "").strip()


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


@transaction.atomic
def programme_create(
    *,
    city,
    year: int,
    title: str = "",
    document_number: str = "",
    issuing_body: str = "",
    issued_on: datetime.date | None = None,
    actor=None,
) -> Programme:
    """`actor` None is the demo and the data set-up; a person must be the city's own staff."""
    if actor is not None and not scoping.may_create_programme(actor, city):
        raise ProgrammeError(_("You may not set up a programme for %(city)s.") % {"city": city})
    _year_check(city, year)
    _date_check(year, issued_on, _("The issue date"), "issued_on")
    title = _text(title)
    if not title:
        # A title is data: written in the installation's language, whatever the caller's.
        with translation.override(settings.LANGUAGE_CODE):
            title = _("%(year)s mandatory cleaner production audits of %(city)s") % {
                "year": year,
                "city": city.name,
            }
    programme = Programme.objects.create(
        city=city,
        year=year,
        title=title,
        document_number=_text(document_number),
        issuing_body=_text(issuing_body),
        issued_on=issued_on,
    )
    event_record(
        action="programme.create",
        actor=actor,
        obj=programme,
        after={"city": city.pk, **_snapshot(programme, PROGRAMME_FIELDS)},
    )
    return programme


def _editable(programme: Programme, actor) -> Programme:
    """The programme, locked, if `actor` may still edit it."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    if programme.list_state != Programme.ListState.DRAFT:
        raise ProgrammeError(_("The list has left the draft: the programme can no longer be edited."))
    if actor is not None and not scoping.may_edit_programme(actor, programme):
        raise ProgrammeError(_("You may not edit this programme."))
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    actor,
    year: int,
    title: str,
    document_number: str = "",
    issuing_body: str = "",
    issued_on: datetime.date | None = None,
) -> Programme:
    programme = _editable(programme, actor)
    title = _text(title)
    if not title:
        raise ProgrammeError(_("Enter the programme's title."), field="title")
    _year_check(programme.city, year, programme=programme)
    _date_check(year, issued_on, _("The issue date"), "issued_on")
    for milestone in programme.milestones.all():
        _date_check(year, milestone.due_on, _("The milestone “%(name)s”") % {"name": milestone.name})
    before = _snapshot(programme, PROGRAMME_FIELDS)
    programme.year = year
    programme.title = title
    programme.document_number = _text(document_number)
    programme.issuing_body = _text(issuing_body)
    programme.issued_on = issued_on
    after = _snapshot(programme, PROGRAMME_FIELDS)
    if after == before:
        return programme
    programme.save(update_fields=list(PROGRAMME_FIELDS))
    changed = [k for k in PROGRAMME_FIELDS if before[k] != after[k]]
    event_record(
        action="programme.update",
        actor=actor,
        obj=programme,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return programme


def _milestone_clean(programme: Programme, *, kind: str, name: str, due_on) -> tuple[str, str]:
    if kind not in Milestone.Kind.values:
        raise ProgrammeError(_("Choose the kind of the milestone."), field="kind")
    name = _text(name) or (Milestone.Kind(kind).label if kind != Milestone.Kind.CUSTOM else "")
    if not name:
        raise ProgrammeError(_("Enter the milestone's name."), field="name")
    if due_on is None:
        raise ProgrammeError(_("Enter the milestone's date."), field="due_on")
    _date_check(programme.year, due_on, _("The milestone's date"), "due_on")
    return kind, name


@transaction.atomic
def milestone_add(
    *,
    programme: Programme,
    name: str,
    due_on: datetime.date,
    source: str = "",
    kind: str = Milestone.Kind.CUSTOM,
    actor=None,
) -> Milestone:
    programme = _editable(programme, actor)
    kind, name = _milestone_clean(programme, kind=kind, name=name, due_on=due_on)
    milestone = Milestone.objects.create(
        programme=programme, kind=kind, name=name, due_on=due_on, source=_text(source)
    )
    event_record(
        action="programme.milestone.add",
        actor=actor,
        obj=programme,
        after={"milestone": milestone.pk, **_snapshot(milestone, MILESTONE_FIELDS)},
    )
    milestone_cases_bind(milestone, actor=actor)
    return milestone


def _milestone_locked(milestone: Milestone, actor) -> tuple[Programme, Milestone]:
    programme = _editable(milestone.programme, actor)
    locked = Milestone.objects.select_for_update().filter(pk=milestone.pk, programme=programme).first()
    if locked is None:
        raise ProgrammeError(_("This milestone no longer exists."))
    return programme, locked


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, actor, kind: str, name: str, due_on: datetime.date, source: str = ""
) -> Milestone:
    programme, milestone = _milestone_locked(milestone, actor)
    kind, name = _milestone_clean(programme, kind=kind, name=name, due_on=due_on)
    milestone_unbind_check(milestone, new_kind=kind)
    before = _snapshot(milestone, MILESTONE_FIELDS)
    milestone.kind, milestone.name, milestone.due_on, milestone.source = kind, name, due_on, _text(source)
    after = _snapshot(milestone, MILESTONE_FIELDS)
    if after == before:
        return milestone
    milestone.save(update_fields=list(MILESTONE_FIELDS))
    event_record(
        action="programme.milestone.update",
        actor=actor,
        obj=programme,
        before={"milestone": milestone.pk, **before},
        after={"milestone": milestone.pk, **after},
    )
    milestone_cases_bind(milestone, actor=actor)  # the cases' deadlines follow the date and the name
    return milestone


@transaction.atomic
def milestone_remove(*, milestone: Milestone, actor) -> None:
    programme, milestone = _milestone_locked(milestone, actor)
    milestone_unbind_check(milestone)
    before = {"milestone": milestone.pk, **_snapshot(milestone, MILESTONE_FIELDS)}
    milestone.delete()
    event_record(action="programme.milestone.remove", actor=actor, obj=programme, before=before)


def programme_historical_ensure(*, city, year: int, actor) -> Programme:
    """The city's programme of a year before the system, created closed and historical if it has none
    (for what a bureau enters of that year). A live programme of that year is refused: its figures
    come from its cases."""
    low, _high = year_bounds()
    if not low <= year < timezone.localdate().year:
        raise ProgrammeError(
            _("An earlier year lies between %(low)s and %(high)s.")
            % {"low": low, "high": timezone.localdate().year - 1},
            field="year",
        )
    programme = Programme.objects.select_for_update().filter(city=city, year=year).first()
    if programme is not None:
        if not programme.historical:
            raise ProgrammeError(
                _("%(year)s is run in the system: its summary is computed from its cases.") % {"year": year},
                field="year",
            )
        return programme
    with translation.override(settings.LANGUAGE_CODE):
        programme = Programme.objects.create(
            city=city,
            year=year,
            title=_("%(year)s mandatory cleaner production audits of %(city)s")
            % {"year": year, "city": city.name},
            list_state=Programme.ListState.PUBLISHED,
            historical=True,
        )
    event_record(action="programme.history.create", actor=actor, obj=programme, after={"year": year})
    return programme


def programme_year_ensure(*, city, year: int, actor, why: str) -> Programme:
    """The city's programme of `year`, opened as a draft (no list yet) when it has none, so that what
    belongs to the year without a list — a voluntary audit — has its year to sit in. The bureau then
    runs its list in it as in any programme it set up itself; the city row is locked so two callers
    open it once."""
    Jurisdiction.objects.select_for_update().filter(pk=city.pk).first()
    programme = Programme.objects.filter(city=city, year=year).first()
    if programme is not None:
        return programme
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(year)s mandatory cleaner production audits of %(city)s") % {
            "year": year,
            "city": city.name,
        }
    programme = Programme.objects.create(city=city, year=year, title=title)
    event_record(
        action="programme.create",
        actor=actor,
        obj=programme,
        after={"city": city.pk, **_snapshot(programme, PROGRAMME_FIELDS), "opened_for": why},
    )
    return programme
