"""The list's workflow as data: one row per step, executed only by `list_transition` (design.md §2).

Two things move. A district's proposal (区县推荐名单) goes drafting → submitted to the city → returned
to the district → submitted again, while the list is a draft; the city's submission of the list marks
the submitted proposals merged. The city's list goes draft → submitted to the province → confirmed, or
returned to draft → published on date P; after that it changes only by amendment (`amendments`). In a
province-level city (直辖市, registry.BureauSettings.province_level) the city bureau is the provincial
one: the list goes draft → confirmed by the city itself → published, with no province step. Which rows a
city's workflow has is the rows' `province_level` (data), asked by `transitions_for`.

Each row names what it moves, the states it leaves, the state it enters, the roles that may take it,
its label, the fields it sets, what it requires (a comment, a non-empty list) and the signal it sends.
A step logs as `programme.<name>` (its log label is in labels.py). The checks and effects that need more
than the row (the proposals merged, the cases opened on publication) are the executor's, by name.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qingshen.accounts.roles import Role
from qingshen.cases.services import case_create_for_listing
from qingshen.procedures.workcalendar import WorkCalendar
from qingshen.programmes import scoping
from qingshen.programmes.errors import ProgrammeError
from qingshen.programmes.milestone_cases import programme_cases_bind
from qingshen.programmes.models import DistrictProposal, Programme
from qingshen.programmes.notify import notify_enterprise
from qingshen.programmes.signals import list_published
from qingshen.registry.bureaus import is_province_level
from qingshen.trail.services import event_record

LIST = "list"  # the row moves Programme.list_state
PROPOSAL = "proposal"  # the row moves the district's DistrictProposal.status

# Where a field the row sets takes its value from.
ACTOR = "actor"
NOW = "now"
DAY = "day"  # the step's date (publication: the date P given, today by default)
COMMENT = "comment"
CLEAR = "clear"  # emptied

ListState = Programme.ListState
Status = DistrictProposal.Status


@dataclass(frozen=True)
class Transition:
    name: str
    subject: str  # LIST or PROPOSAL
    sources: frozenset
    target: str
    roles: frozenset
    label: Promise
    # Said to a user whose role or jurisdiction may not take the step.
    refusal: Promise
    sets: tuple[tuple[str, str], ...] = ()  # (field of the subject, where its value comes from)
    # The message when the step's comment is missing; None: the step takes no comment.
    comment_required: Promise | None = None
    # The message when the list has no listings; None: an empty list may take the step.
    listings_required: Promise | None = None
    # A proposal moves only while the list is in one of these states.
    list_states: frozenset = frozenset()
    signal: Signal | None = None
    # Whose workflow has the row: None every city's; True only a province-level city's (直辖市); False
    # only a city's under a province.
    province_level: bool | None = None

    def applies_to(self, programme: Programme) -> bool:
        return self.province_level is None or self.province_level == is_province_level(programme.city)

    @property
    def state_field(self) -> str:
        return "list_state" if self.subject == LIST else "status"


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "proposal.submit",
        PROPOSAL,
        frozenset({Status.DRAFTING, Status.RETURNED}),
        Status.SUBMITTED,
        frozenset({Role.DISTRICT}),
        _("Submit to the city"),
        _("Only the district's own staff may submit its proposal while the list is a draft."),
        sets=(("submitted_at", NOW), ("submitted_by", ACTOR)),
        list_states=frozenset({ListState.DRAFT}),
    ),
    Transition(
        "proposal.return",
        PROPOSAL,
        frozenset({Status.SUBMITTED}),
        Status.RETURNED,
        frozenset({Role.CITY}),
        _("Return to the district"),
        _("Only the city bureau may return a proposal while the list is a draft."),
        sets=(("comment", COMMENT),),
        comment_required=_("Say what the district should change."),
        list_states=frozenset({ListState.DRAFT}),
    ),
    Transition(
        "submit",
        LIST,
        frozenset({ListState.DRAFT}),
        ListState.SUBMITTED,
        frozenset({Role.CITY}),
        _("Submit the list to the province"),
        _("Only the city bureau may submit a draft list to the province."),
        sets=(("return_comment", CLEAR),),
        listings_required=_("The list is empty: add enterprises before submitting it."),
        province_level=False,
    ),
    Transition(
        "confirm",
        LIST,
        frozenset({ListState.SUBMITTED}),
        ListState.CONFIRMED,
        frozenset({Role.PROVINCE}),
        _("Confirm the list"),
        _("Only the province bureau may confirm a list submitted to it."),
        province_level=False,
    ),
    Transition(
        "return",
        LIST,
        frozenset({ListState.SUBMITTED}),
        ListState.DRAFT,
        frozenset({Role.PROVINCE}),
        _("Return to the city"),
        _("Only the province bureau may return a list submitted to it."),
        sets=(("return_comment", COMMENT),),
        comment_required=_("Say what the city should change."),
        province_level=False,
    ),
    Transition(
        # A 直辖市's city bureau is at provincial level: it confirms its own list (the proposals merged).
        "city_confirm",
        LIST,
        frozenset({ListState.DRAFT}),
        ListState.CONFIRMED,
        frozenset({Role.CITY}),
        _("Confirm the list"),
        _("Only the city bureau of this programme may confirm its list."),
        sets=(("return_comment", CLEAR),),
        listings_required=_("The list is empty: add enterprises before confirming it."),
        province_level=True,
    ),
    Transition(
        "publish",
        LIST,
        frozenset({ListState.CONFIRMED}),
        ListState.PUBLISHED,
        frozenset({Role.CITY}),
        _("Publish the list"),
        _("Only the city bureau of this programme may publish its list."),
        sets=(("published_on", DAY), ("published_by", ACTOR)),
        listings_required=_("The list is empty: add enterprises before publishing."),
        signal=list_published,
    ),
)

BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def transition_get(name: str) -> Transition | None:
    return BY_NAME.get(name)


def transitions_for(programme: Programme) -> tuple[Transition, ...]:
    """The rows of this programme's city's workflow (with or without the province step)."""
    return tuple(t for t in TRANSITIONS if t.applies_to(programme))


def city_step_from_draft(programme: Programme) -> Transition:
    """The city's step that takes its draft list on: submission to the province, or in a
    province-level city its own confirmation."""
    return next(
        t
        for t in transitions_for(programme)
        if t.subject == LIST and ListState.DRAFT in t.sources and Role.CITY in t.roles
    )


def district_listings(programme: Programme, district):
    return programme.listings.filter(enterprise__jurisdiction__path__startswith=district.path)


@dataclass
class Step:
    """One step being taken: what the effects of a row read."""

    transition: Transition
    programme: Programme
    subject: Programme | DistrictProposal
    actor: object
    district: object
    comment: str
    day: datetime.date


@transaction.atomic
def list_transition(
    *,
    programme: Programme,
    name: str,
    actor,
    district=None,
    comment: str = "",
    published_on: datetime.date | None = None,
) -> Programme | DistrictProposal:
    """Take the step `name` of the list's workflow, or refuse and change nothing.

    Locks the programme row (and, for a proposal's step, the proposal's) for the rest of the
    transaction, so the same step sent twice at once applies once: the second sender finds the new
    state and is refused. Returns the row that moved: the programme, or the district's proposal.
    """
    transition = transition_get(name)
    if transition is None:
        raise ProgrammeError(_("Unknown step “%(name)s”.") % {"name": name})
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    label = str(transition.label)
    if not transition.applies_to(programme):
        raise ProgrammeError(
            _("A province-level city confirms and publishes its list itself: there is no “%(step)s”.")
            % {"step": label}
            if is_province_level(programme.city)
            else _("“%(step)s” is a province-level city's step; this city's list goes to the province.")
            % {"step": label}
        )
    if transition.subject == PROPOSAL:
        if district is None:
            raise ProgrammeError(_("“%(step)s” needs the district whose proposal it is.") % {"step": label})
        if programme.list_state not in transition.list_states:
            raise ProgrammeError(
                _("“%(step)s” is possible only while the list is %(allowed)s; it is “%(state)s” now.")
                % {
                    "step": label,
                    "allowed": _labels(ListState, transition.list_states),
                    "state": programme.get_list_state_display(),
                }
            )
        subject = _proposal_locked(programme, district)
    else:
        subject = programme
    field = transition.state_field
    state = getattr(subject, field)
    if state not in transition.sources:
        raise _wrong_state(transition, state)
    if not scoping.may_take_list_step(actor, programme, transition, district):
        raise ProgrammeError(str(transition.refusal))
    comment = (comment or "").strip()
    if transition.comment_required is not None and not comment:
        raise ProgrammeError(str(transition.comment_required))
    if transition.listings_required is not None and not programme.listings.exists():
        raise ProgrammeError(str(transition.listings_required))
    step = Step(
        transition, programme, subject, actor, district, comment, published_on or timezone.localdate()
    )
    after = _EFFECTS.get(transition.name, _no_effect)(step)

    values = {ACTOR: actor, NOW: timezone.now(), DAY: step.day, COMMENT: comment, CLEAR: ""}
    setattr(subject, field, transition.target)
    for attr, source in transition.sets:
        setattr(subject, attr, values[source])
    subject.save(update_fields=[field, *(f for f, _source in transition.sets)])
    event_record(
        action=f"programme.{transition.name}",
        actor=actor,
        obj=subject,
        before={field: state},
        after={field: transition.target, **after},
        note=comment if transition.comment_required is not None else "",
    )
    if transition.signal is not None:
        transition.signal.send(sender=Programme, programme=programme, actor=actor)
    return subject


def _labels(choices, values) -> str:
    """“A” or “B”, in the order of the choices."""
    return str(_(" or ")).join(f"“{c.label}”" for c in choices if c in values)


def _wrong_state(transition: Transition, state: str) -> ProgrammeError:
    step = str(transition.label)
    if transition.subject == LIST:
        message = _("“%(step)s” is possible only while the list is %(allowed)s; it is “%(state)s” now.")
        choices = ListState
    else:
        message = _("“%(step)s” is possible only while the proposal is %(allowed)s; it is “%(state)s” now.")
        choices = Status
    return ProgrammeError(
        message
        % {"step": step, "allowed": _labels(choices, transition.sources), "state": choices(state).label}
    )


def _proposal_locked(programme: Programme, district) -> DistrictProposal:
    proposal, _created = DistrictProposal.objects.get_or_create(programme=programme, district=district)
    return DistrictProposal.objects.select_for_update().get(pk=proposal.pk)


# --- What a step does besides moving its row; each returns what the event adds to `after` ----------------


def _no_effect(step: Step) -> dict:
    return {}


def _count_district_listings(step: Step) -> dict:
    return {"listings": district_listings(step.programme, step.district).count()}


def _count_listings(step: Step) -> dict:
    return {"listings": step.programme.listings.count()}


def _merge_proposals(step: Step) -> dict:
    """The submitted proposals count as merged into the list the city sends on."""
    proposals = step.programme.proposals.filter(status=Status.SUBMITTED)
    merged = list(proposals.values_list("district_id", flat=True))
    step.programme.proposals.filter(district_id__in=merged).update(status=Status.MERGED)
    return {"listings": step.programme.listings.count(), "merged_districts": merged}


def _open_cases(step: Step) -> dict:
    """Publication on date P: one case per listing, its enterprise told; the list is frozen from now."""
    programme, day = step.programme, step.day
    if day > timezone.localdate():
        raise ProgrammeError(str(_("The publication date cannot be in the future.")))
    listings = list(programme.listings.select_related("enterprise__jurisdiction", "programme"))
    calendar = WorkCalendar()
    for listing in listings:
        case_create_for_listing(listing=listing, published_on=day, calendar=calendar, actor=step.actor)
        notify_enterprise(
            enterprise=listing.enterprise,
            actor=step.actor,
            obj=listing,
            subject=_("%(title)s: your enterprise is on the list") % {"title": programme.title},
            body=_(
                "%(name)s is on the list of mandatory cleaner production audits published on %(date)s. "
                "Disclose your information and start the audit within the legal time limits."
            )
            % {"name": listing.enterprise.name, "date": day},
        )
    programme_cases_bind(programme, actor=step.actor)
    return {"published_on": day, "cases": len(listings)}


_EFFECTS = {
    "proposal.submit": _count_district_listings,
    "submit": _merge_proposals,
    "confirm": _count_listings,
    "city_confirm": _merge_proposals,
    "publish": _open_cases,
}
