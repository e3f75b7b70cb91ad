"""A programme's own dates as deadlines of its cases ("evaluations done by 11/15" binds every open case).

Programmes sits above cases: it calls these with its milestone's values (cases never reads the
milestone itself). Set-based: one UPDATE for the rows already there, one INSERT … SELECT-like bulk
insert for the cases that lack one, one UPDATE of the cases' next deadline.
"""

import datetime

from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from qingshen.cases.counts import case_counts_refresh_for
from qingshen.cases.deadlines import MILESTONE_MET_BY
from qingshen.cases.kinds import LISTED_KINDS
from qingshen.cases.models import AuditCase, CaseDeadline
from qingshen.cases.states import CLOSED_STATES
from qingshen.trail.services import event_record

Kind = CaseDeadline.Kind

# Milestone kinds (programmes.Milestone.Kind values, named here as data) → the case deadline they set.
KIND_BY_MILESTONE_KIND = {
    "evaluations_done": Kind.MILESTONE_EVALUATION,
    "acceptances_done": Kind.MILESTONE_ACCEPTANCE,
}


def cases_next_due_refresh(case_ids) -> int:
    """Each case's earliest open deadline, in one UPDATE (what deadlines_recompute keeps per case)."""
    first_open = CaseDeadline.objects.filter(case=OuterRef("pk"), status=CaseDeadline.Status.OPEN).order_by(
        "due_on", "pk"
    )
    changed = AuditCase.objects.filter(pk__in=case_ids).update(
        next_due_on=Subquery(first_open.values("due_on")[:1]),
        next_due_kind=Coalesce(Subquery(first_open.values("kind")[:1]), Value("")),
    )
    case_counts_refresh_for(AuditCase.objects.filter(pk__in=case_ids), moved=False)
    return changed


def milestone_binds(milestone_kind: str) -> bool:
    return milestone_kind in KIND_BY_MILESTONE_KIND


def milestone_deadline_count(milestone_id: int) -> int:
    return CaseDeadline.objects.filter(milestone_id=milestone_id).count()


def milestone_deadlines_set(
    *, programme_id: int, milestone_id: int, milestone_kind: str, name: str, due_on: datetime.date, actor=None
) -> dict[str, int]:
    """Make the milestone a deadline of every open case of the programme that has not reached its stage;
    the rows it already has follow its date and name. Run inside the caller's transaction."""
    kind = KIND_BY_MILESTONE_KIND[milestone_kind]
    rows = CaseDeadline.objects.filter(milestone_id=milestone_id)
    moved_ids = list(rows.exclude(due_on=due_on).values_list("case_id", flat=True))
    renamed = rows.exclude(label=name).update(label=name)
    rows.exclude(due_on=due_on).update(due_on=due_on)
    short = (
        # A programme's dates bind its listed cases; a voluntary audit is reviewed when it asks.
        AuditCase.objects.filter(
            programme_id=programme_id,
            kind__in=sorted(LISTED_KINDS),
            **{f"{MILESTONE_MET_BY[kind]}__isnull": True},
        )
        .exclude(state__in=sorted(CLOSED_STATES))
        .exclude(Exists(CaseDeadline.objects.filter(case=OuterRef("pk"), milestone_id=milestone_id)))
    )
    new = [
        CaseDeadline(
            case_id=case_id,
            kind=kind,
            party="bureau",
            rule_code="",
            starts_on=published_on,
            due_on=due_on,
            milestone_id=milestone_id,
            label=name,
        )
        for case_id, published_on in short.values_list("pk", "published_on").iterator(chunk_size=2000)
    ]
    CaseDeadline.objects.bulk_create(new, batch_size=1000)
    touched = moved_ids + [d.case_id for d in new]
    if touched:
        cases_next_due_refresh(touched)
    counts = {"created": len(new), "moved": len(moved_ids), "renamed": renamed}
    if any(counts.values()):
        event_record(
            action="case.deadlines.milestone",
            actor=actor,
            after={"milestone": milestone_id, "due_on": str(due_on), "name": name, **counts},
        )
    return counts
