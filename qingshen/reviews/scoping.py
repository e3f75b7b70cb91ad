"""Who sees reviews, panel seats and the expert pool, and who organises reviews.

Visibility functions return querysets, so an object outside the caller's scope is simply not found (the
view answers 404); `may_<verb>` answers one action. Built on the primitives of `accounts.scoping`.
"""

from django.db.models import QuerySet

from qingshen.accounts.models import Jurisdiction
from qingshen.accounts.roles import AUTHORITY_ROLES, Role
from qingshen.accounts.scoping import active, environment_staff
from qingshen.cases import scoping as cases_scoping
from qingshen.reviews.organisers import organising_unit

# The bureaus that may be set to organise reviews (registry.ReviewOrganiser); which one does for a case
# is organisers.organising_unit's answer.
ORGANISER_ROLES = {Role.CITY, Role.DISTRICT}
_ROLE_OF_LEVEL = {Jurisdiction.Level.CITY: Role.CITY, Jurisdiction.Level.DISTRICT: Role.DISTRICT}
# Who sees the city's expert pool: those who draw from it (districts read-only) and who oversee it.
POOL_READERS = {Role.CITY, Role.DISTRICT, Role.PROVINCE, Role.SUPERVISOR}


def reviews_visible(user) -> QuerySet:
    """Applications and their reviews: whoever sees the case (experts: the cases of accepted seats)."""
    from qingshen.reviews.models import Review

    return Review.objects.filter(case__in=cases_scoping.cases_visible(user).values("pk"))


def seats_visible(user) -> QuerySet:
    """An expert's own panel seats, whatever their answer; nobody else's."""
    from qingshen.reviews.models import PanelSeat

    if not active(user) or user.role != Role.EXPERT:
        return PanelSeat.objects.none()
    return PanelSeat.objects.filter(expert__user=user)


def experts_visible(user) -> QuerySet:
    """The expert pool: the city that keeps it, the districts that may draw from it and the province
    (read-only), and supervisors (read-only)."""
    from qingshen.reviews.models import Expert

    if active(user) and user.role in POOL_READERS:
        return Expert.objects.all()
    return Expert.objects.none()


def may_organise_review(user, review) -> bool:
    """Completeness check, conflict check, draw and redraw: the staff of the bureau that organises the
    case's reviews (the city, or the district where the enterprise lies: organisers.organising_unit),
    over a case they see, of the department that leads it (the energy-saving authority organises the
    energy-only cases, 办法 Art. 20). A district never organises another district's case."""
    if not active(user) or user.role not in ORGANISER_ROLES or user.jurisdiction_id is None:
        return False
    if not cases_scoping.leads_case(user, review.case):
        return False
    unit = organising_unit(review.case)
    if user.jurisdiction_id != unit.pk or user.role != _ROLE_OF_LEVEL.get(unit.level):
        return False
    return cases_scoping.cases_visible(user).filter(pk=review.case_id).exists()


def may_cosign_review(user, review) -> bool:
    """The co-signature of the consulted department (registry.EnergyConsultation.COSIGN): the staff of the
    energy-saving authority at the bureau that organises the case's reviews, over a case they see."""
    case = review.case
    if not active(user) or user.role not in ORGANISER_ROLES or user.jurisdiction_id is None:
        return False
    if not (cases_scoping.is_consulted_on(user, case) and cases_scoping.consultation_cosigns(case)):
        return False
    unit = organising_unit(case)
    if user.jurisdiction_id != unit.pk or user.role != _ROLE_OF_LEVEL.get(unit.level):
        return False
    return cases_scoping.cases_visible(user).filter(pk=review.case_id).exists()


def may_see_expert_pool(user) -> bool:
    return active(user) and user.role in POOL_READERS


def may_verify_panel(user, review) -> bool:
    """The draw record names excluded experts and why: authority staff over the case (incl. supervisors)."""
    if not active(user) or user.role not in AUTHORITY_ROLES:
        return False
    return cases_scoping.cases_visible(user).filter(pk=review.case_id).exists()


def may_configure_reviews(user) -> bool:
    """Checklists and rubrics are the city environment bureau's to edit."""
    return environment_staff(user) and user.role == Role.CITY


def may_manage_experts(user) -> bool:
    """The pool is the city environment bureau's: adding, importing, taking out of draws and pinning
    conflicts (the energy-saving authority draws from it and reads it)."""
    return environment_staff(user) and user.role == Role.CITY


def sits_on_panels(user) -> bool:
    """An expert sees reviews only through the panels it sits on: its pages are the expert portal,
    not the application queue."""
    return active(user) and user.role == Role.EXPERT


def may_rate_experts(user, review) -> bool:
    """The bureau staff who organise the review rate its experts, once it is concluded."""
    return may_organise_review(user, review)


def may_see_ratings(user) -> bool:
    """Every agency's and expert's ratings: the city bureau, and the province above it."""
    return active(user) and user.role in {Role.CITY, Role.PROVINCE}


def may_organise_meeting(user, meeting) -> bool:
    """A meeting is its organising bureau's: staff of that city or district (the role of its level)."""
    if not active(user) or user.role not in ORGANISER_ROLES or user.jurisdiction_id is None:
        return False
    return user.jurisdiction_id == meeting.organiser_id and user.role == _ROLE_OF_LEVEL.get(
        meeting.organiser.level
    )


def may_create_meeting(user) -> bool:
    return active(user) and user.role in ORGANISER_ROLES and user.jurisdiction_id is not None


def may_see_meetings(user) -> bool:
    """The staff list of meetings: authority users (each sees those meetings_visible gives it)."""
    return active(user) and user.role in AUTHORITY_ROLES


def meetings_visible(user) -> QuerySet:
    """The organiser's own meetings and those gathering a case the authority user sees; an expert, the
    meetings where it holds a seat; nobody else (enterprises see their revision requests on the case)."""
    from django.db.models import Q

    from qingshen.reviews.models import ReviewMeeting

    if not active(user):
        return ReviewMeeting.objects.none()
    if user.role == Role.EXPERT:
        return ReviewMeeting.objects.filter(
            pk__in=ReviewMeeting.objects.filter(cases__review__panel__seats__expert__user=user).values("pk")
        )
    if user.role not in AUTHORITY_ROLES:
        return ReviewMeeting.objects.none()
    seen = cases_scoping.cases_visible(user).values("pk")
    own = Q(organiser_id=user.jurisdiction_id, pk__in=_own_level_meetings(user))
    return ReviewMeeting.objects.filter(
        own | Q(pk__in=ReviewMeeting.objects.filter(cases__review__case__in=seen).values("pk"))
    )


def _own_level_meetings(user):
    from qingshen.reviews.models import ReviewMeeting

    levels = [level for level, role in _ROLE_OF_LEVEL.items() if role == user.role]
    return ReviewMeeting.objects.filter(organiser__level__in=levels).values("pk")


def meetings_public() -> QuerySet:
    """Meetings whose results are on the public notice (公示) or final: no login."""
    from qingshen.reviews.models import ReviewMeeting

    return ReviewMeeting.objects.filter(status__in=[ReviewMeeting.Status.NOTICE, ReviewMeeting.Status.FINAL])
