"""Who sees the summary tables and the dashboard, and who files a summary row.

Visibility functions return querysets, so an object outside the caller's scope is simply not found (the
view answers 404); `may_<verb>` answers one action. Built on the primitives of `accounts.scoping`.
"""

import dataclasses

from django.db.models import QuerySet

from qingshen.accounts.models import Jurisdiction
from qingshen.accounts.roles import AUTHORITY_ROLES, Role
from qingshen.accounts.scoping import active, jurisdictions_visible, subtree_path, user_is
from qingshen.programmes import scoping as programmes_scoping


def may_see_summary(user, programme) -> bool:
    """Authority staff who see the programme see its summary table (rows are scoped again)."""
    return (
        active(user)
        and user.role in AUTHORITY_ROLES
        and programme.list_state == programme.ListState.PUBLISHED
        and programmes_scoping._authority_sees_programme(user, programme)
    )


def summary_districts_visible(user, programme) -> QuerySet[Jurisdiction]:
    """The district rows of a programme's summary table this user may see, in order."""
    if not may_see_summary(user, programme):
        return Jurisdiction.objects.none()
    return (
        jurisdictions_visible(user)
        .filter(parent_id=programme.city_id, level=Jurisdiction.Level.DISTRICT)
        .order_by("sort_order", "path")
    )


def may_file_summary(user, programme, district) -> bool:
    """A district bureau files its own row of a published programme's summary table."""
    return (
        may_see_summary(user, programme)
        and user.role == Role.DISTRICT
        and user.jurisdiction_id == district.pk
        and district.parent_id == programme.city_id
    )


def may_see_dashboard(user) -> bool:
    return active(user) and user.role in {Role.PROVINCE, Role.CITY, Role.SUPERVISOR}


def dashboard_areas_visible(user) -> QuerySet[Jurisdiction]:
    """What the dashboard may be narrowed to: the jurisdictions just below the user's own."""
    if not may_see_dashboard(user):
        return Jurisdiction.objects.none()
    return Jurisdiction.objects.filter(parent_id=user.jurisdiction_id).order_by("sort_order", "path")


def summary_row_fileable(user, programme) -> Jurisdiction | None:
    """The one row of a programme's summary table the user may file: a district bureau's own."""
    if not user_is(user, Role.DISTRICT) or user.jurisdiction_id is None:
        return None
    own = user.jurisdiction
    return own if may_file_summary(user, programme, own) else None


def filings_visible(user) -> QuerySet:
    """Filed summary rows (frozen snapshots) of published programmes the user sees, for the district
    rows in the user's subtree: what the summary page shows (see summary_districts_visible)."""
    from qingshen.programmes.models import Programme
    from qingshen.reports.models import SummaryFiling

    if not active(user) or user.role not in AUTHORITY_ROLES:
        return SummaryFiling.objects.none()
    programmes = programmes_scoping.programmes_visible(user).filter(list_state=Programme.ListState.PUBLISHED)
    return SummaryFiling.objects.filter(
        programme__in=programmes.values("pk"), district__in=jurisdictions_visible(user).values("pk")
    )


def may_enter_summary(user, district) -> bool:
    """A district bureau enters its own summary tables of years before the system."""
    return (
        active(user)
        and user.role == Role.DISTRICT
        and user.jurisdiction_id == district.pk
        and district.level == Jurisdiction.Level.DISTRICT
        and district.parent_id is not None
    )


@dataclasses.dataclass(frozen=True)
class Counts:
    """The counts kept per programme and jurisdiction that a user may read: of cases (CaseCount), of
    concluded reviews (ReviewCount) and of accountability records (AccountabilityCount), each row of one
    jurisdiction path."""

    cases: QuerySet
    reviews: QuerySet
    records: QuerySet


def counts_visible(user) -> Counts:
    from qingshen.cases.scoping import case_counts_visible
    from qingshen.oversight import scoping as oversight_scoping
    from qingshen.reviews.models import ReviewCount

    path = subtree_path(user) if active(user) else None
    reviews = (
        ReviewCount.objects.none()
        if path is None
        else ReviewCount.objects.filter(jurisdiction_path__startswith=path)
    )
    return Counts(
        cases=case_counts_visible(user),
        reviews=reviews,
        records=oversight_scoping.accountability_counts_visible(user),
    )
