"""Reads for the enterprise's (and its agency's) home page."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils import timezone

from qingshen.accounts import scoping as accounts_scoping
from qingshen.accounts.models import User
from qingshen.accounts.roles import Role
from qingshen.cases import scoping
from qingshen.cases import selectors as case_selectors
from qingshen.cases.deadlines import days_left
from qingshen.cases.enterprise_steps import ENTERPRISE_NEXT_STEP, WAITING_MESSAGE
from qingshen.cases.models import CaseDeadline, Document
from qingshen.cases.states import CLOSED_STATES


def portal_cases(*, user, today: datetime.date | None = None) -> list[dict]:
    """Each visible case, open ones first: stage, next step, its deadline, the documents it needs.

    A fixed number of queries however many cases: documents, deadlines, disclosure and history come
    in one query each for all the cases."""
    today = today or timezone.localdate()
    cases = list(
        scoping.cases_visible(user)
        .select_related("enterprise", "programme", "listing", "disclosure")
        .prefetch_related(
            "deadlines",
            Prefetch(
                "documents",
                queryset=Document.objects.filter(superseded_by__isnull=True),
                to_attr="current_documents",
            ),
        )
        .order_by("-programme__year", "pk")
    )
    timelines = case_selectors.case_timelines(cases=cases)
    may_edit = scoping.may_edit_materials_of_visible_cases(user)
    result = []
    for case in cases:
        current = {d.kind: d for d in case.current_documents}
        step = ENTERPRISE_NEXT_STEP.get(case.state)
        deadlines = list(case.deadlines.all())  # ordered by due date
        open_deadlines = [d for d in deadlines if d.status == "open" and d.party == "enterprise"]
        deadline = min(open_deadlines, key=lambda d: d.due_on) if open_deadlines else None
        checklist = [
            (kind, Document.Kind(kind).label, current.get(kind)) for kind in (step[2] if step else [])
        ]
        disclosure_deadline = next((d for d in deadlines if d.kind == CaseDeadline.Kind.DISCLOSURE), None)
        result.append(
            {
                "case": case,
                "closed": case.state in CLOSED_STATES,
                "action": step[0] if step else "",
                "todo": step[1] if step else WAITING_MESSAGE.get(case.state, ""),
                "deadline": deadline,
                "days_left": days_left(deadline.due_on, today) if deadline else None,
                "checklist": checklist,
                "disclosure_flag": case_selectors.disclosure_flag_from(
                    deadline=disclosure_deadline, disclosure=_disclosure_of(case), today=today
                ),
                "timeline": timelines[case.pk],
                "may_edit": may_edit,
                "may_delegate": scoping.may_delegate(user, case),
            }
        )
    result.sort(key=lambda r: r["closed"])
    return result


def _disclosure_of(case):
    try:
        return case.disclosure
    except ObjectDoesNotExist:
        return None


def colleagues_of(*, user):
    if not accounts_scoping.may_invite_colleagues(user):
        return User.objects.none()
    return User.objects.filter(role=Role.ENTERPRISE, enterprise_id=user.enterprise_id).order_by("pk")


def portal_groups(*, user):
    """The group audits the user's enterprise leads (or its agency prepares) or is a member of."""
    return (
        scoping.groups_visible(user)
        .select_related("case__enterprise", "case__programme")
        .order_by("-case__programme__year", "name")
    )
