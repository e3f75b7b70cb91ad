"""Reads on audit cases, always through the scoping module."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qingshen.accounts import scoping
from qingshen.trail.models import Event

from .models import AuditCase
from .states import CLOSED_STATES, State

SORTS = {
    "deadline": ("next_due_on", "enterprise__name"),
    "-deadline": ("-next_due_on", "enterprise__name"),
    "enterprise": ("enterprise__name",),
    "-enterprise": ("-enterprise__name",),
    "state": ("state", "enterprise__name"),
    "district": ("jurisdiction__path", "enterprise__name"),
    "year": ("-programme__year", "enterprise__name"),
}


def case_list(
    *,
    user,
    programme=None,
    jurisdiction=None,
    state: str = "",
    overdue: bool = False,
    q: str = "",
    sort: str = "deadline",
    today: datetime.date | None = None,
) -> QuerySet[AuditCase]:
    today = today or timezone.localdate()
    qs = scoping.cases_visible(user).select_related("enterprise", "jurisdiction", "programme")
    if programme is not None:
        qs = qs.filter(programme=programme)
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction_path__startswith=jurisdiction.path)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(next_due_on__lt=today)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q.upper()))
    return qs.order_by(*SORTS.get(sort, SORTS["deadline"]), "pk")


def case_get(*, user, pk: int) -> AuditCase | None:
    return (
        scoping.cases_visible(user)
        .select_related("enterprise__industry", "jurisdiction", "programme", "listing")
        .filter(pk=pk)
        .first()
    )


def case_timeline(*, case: AuditCase) -> QuerySet[Event]:
    return (
        Event.objects.filter(object_type=case._meta.label_lower, object_id=str(case.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def case_counts_by_state(*, user) -> dict[str, int]:
    rows = scoping.cases_visible(user).values("state").annotate(n=Count("pk"))
    return {r["state"]: r["n"] for r in rows}


def overdue_count(*, user, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return scoping.cases_visible(user).filter(next_due_on__lt=today).exclude(state__in=CLOSED_STATES).count()


def state_choices():
    return State.choices
