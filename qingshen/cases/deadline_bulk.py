"""Recomputing the deadlines of every open case at once, after a rule or calendar edit.

A deadline's due date depends only on its rule and its start date (and the calendar, the same for
all). So the due date is computed once per distinct (duty, start date) and written with one UPDATE
per group whose stored date differs, instead of case by case. The result is the one
`deadlines_recompute` gives case by case (tests/cases/test_deadline_bulk.py compares both): cases whose
rows are not in step with their step dates (a row missing, or started on another day) are still
recomputed one by one, under their row lock.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from qingshen.cases.counts import case_counts_refresh_for
from qingshen.cases.deadlines import (
    DEADLINE_RULES,
    MILESTONE_MET_BY,
    RULE_CODES,
    STEP_ORDER,
    deadlines_recompute,
)
from qingshen.cases.kinds import LISTED_KINDS
from qingshen.cases.models import AuditCase, CaseDeadline
from qingshen.cases.states import CLOSED_STATES
from qingshen.procedures.rules import Due, due_from, rules_by_code
from qingshen.procedures.workcalendar import WorkCalendar
from qingshen.trail.services import event_record

GROUP_ACTION = "case.deadlines.recompute.bulk"
CHUNK = 5000  # rows per fetch and ids per UPDATE (well under SQLite's and psycopg's parameter limits)


@dataclass
class BulkResult:
    checked: int = 0  # open cases
    moved: int = 0  # deadline rows whose due date (or provisional flag) moved
    changed: int = 0  # cases whose next deadline changed, or recomputed one by one and changed
    groups: int = 0  # (duty, start date) groups rewritten
    one_by_one: list[int] = field(default_factory=list)  # cases recomputed case by case


def open_cases() -> QuerySet[AuditCase]:
    return AuditCase.objects.exclude(state__in=sorted(CLOSED_STATES)).order_by()


def _bound(spec) -> Q:
    """The cases that owe the duty: a duty of the annual list binds only the listed kinds."""
    return Q() if not spec.listed_only else Q(kind__in=sorted(LISTED_KINDS))


def _open_rows(kind: str) -> QuerySet[CaseDeadline]:
    return CaseDeadline.objects.filter(kind=kind).exclude(case__state__in=sorted(CLOSED_STATES)).order_by()


def _follows_dates(spec) -> Q:
    """The row is as `deadlines_recompute` would leave it apart from its due date: started on the case's
    start date, met exactly when the case's date for the duty is on or after it."""
    start, met = f"case__{spec.starts}", f"case__{spec.met_by}"
    Status = CaseDeadline.Status
    not_met = Q(**{f"{met}__isnull": True}) | Q(**{f"{met}__lt": F("starts_on")})
    # A later step recorded in the period: the duty was done, date unknown (deadlines._later_step_recorded).
    later = STEP_ORDER[STEP_ORDER.index(spec.met_by) + 1 :] if spec.met_by in STEP_ORDER else ()
    skipped = Q(pk__in=[])
    for step in later:
        skipped |= Q(**{f"case__{step}__gte": F("starts_on")})
    return Q(starts_on=F(start)) & (
        Q(status=Status.MET, met_on=F(met), **{f"{met}__gte": F("starts_on")})
        | (Q(status=Status.OPEN, met_on__isnull=True) & not_met & ~skipped)
        | (Q(status=Status.WAIVED, met_on__isnull=True) & not_met & skipped)
    )


def _stored_groups(spec, with_start: int, out_of_step: set[int]) -> list[dict]:
    """The duty's rows of open cases that follow their case's dates, counted per (start date, due date,
    provisional), in one query. Adds to `out_of_step` the cases whose row does not, or that have a
    start date but no row (then recomputed one by one; normally none, every transition recomputes)."""
    follows = Case(
        When(_follows_dates(spec), then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    rows = _open_rows(spec.kind).annotate(follows=follows)
    fixed_n = 0
    if spec.kind == CaseDeadline.Kind.ACCEPTANCE_APPLY:
        # A time limit set per enterprise with the evaluation opinion is not the rule's: a rule edit does
        # not move it, so those rows stay out of the groups (and of _rows_move); only a row not showing
        # its case's date is recomputed, case by case.
        fixed = rows.filter(case__acceptance_due_on__isnull=False)
        stale = fixed.filter(Q(follows=False) | Q(provisional=True) | ~Q(due_on=F("case__acceptance_due_on")))
        out_of_step.update(stale.values_list("case_id", flat=True))
        fixed_n = fixed.count()
        rows = rows.filter(case__acceptance_due_on__isnull=True)
    if spec.kind == CaseDeadline.Kind.ACCEPTANCE_ORGANISE:
        # An imported round's own time limit may lie beyond the rule's: organising follows it
        # (deadlines._computed), case by case.
        imported = rows.filter(case__acceptance_due_on__isnull=False, case__history_imported_on__isnull=False)
        out_of_step.update(imported.values_list("case_id", flat=True))
    groups = list(rows.values("follows", "starts_on", "due_on", "provisional").annotate(n=Count("pk")))
    if any(not g["follows"] for g in groups):
        out_of_step.update(rows.filter(follows=False).values_list("case_id", flat=True))
    kept = [g for g in groups if g["follows"]]
    if sum(g["n"] for g in kept) + fixed_n != with_start:  # some case with a start date has no row
        has_row = CaseDeadline.objects.filter(case=OuterRef("pk"), kind=spec.kind)
        missing = (
            open_cases().filter(_bound(spec), **{f"{spec.starts}__isnull": False}).filter(~Exists(has_row))
        )
        out_of_step.update(missing.values_list("pk", flat=True))
    return kept


def _key(deadline) -> str:
    """A deadline's name in the log: its duty, with the milestone for a programme date."""
    return f"{deadline.kind}:{deadline.milestone_id}" if deadline.milestone_id else deadline.kind


def recompute_one_by_one(ids, *, calendar: WorkCalendar, actor_name: str = "sweep") -> int:
    """The per-case recompute, each case under its row lock; logs each case whose dates moved.
    Returns how many changed."""
    changed = 0
    for case in (
        AuditCase.objects.select_for_update(of=("self",))
        .filter(pk__in=list(ids))
        .prefetch_related("deadlines")
    ):
        before = {_key(d): (d.due_on, d.provisional) for d in case.deadlines.all()}
        rows = deadlines_recompute(case, calendar=calendar)
        after = {_key(d): (d.due_on, d.provisional) for d in rows}
        if after != before:
            case.save(update_fields=["next_due_on", "next_due_kind"])
            event_record(
                action="case.deadlines.recompute",
                obj=case,
                actor_name=actor_name,
                before={k: list(v) for k, v in before.items()},
                after={k: list(v) for k, v in after.items()},
            )
            changed += 1
    return changed


def _cases_lock() -> None:
    """PostgreSQL: no case moves while the recompute runs. A transition locks its case row and then
    writes its deadlines; the recompute writes deadlines and then cases: row by row the two could
    deadlock, or a transition computed under the old rules could land after the recompute. EXCLUSIVE
    lets every read through and makes transitions wait the few seconds the recompute takes. (SQLite
    has one writer at a time anyway.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {connection.ops.quote_name(AuditCase._meta.db_table)} IN EXCLUSIVE MODE"
            )


def _rows_move(kind: str, groups: list[tuple], out_of_step: set[int]) -> int:
    """One UPDATE for the duty: the rows of open cases started on a group's date get its due date,
    joined to the (start, due, provisional) groups as a VALUES table, a hash join whatever the number of
    groups (the ORM's CASE of one branch per group costs every row every branch). PostgreSQL and SQLite
    (3.33+) both read UPDATE … FROM. Returns the rows moved."""
    qn = connection.ops.quote_name
    d, c = qn(CaseDeadline._meta.db_table), qn(AuditCase._meta.db_table)
    closed = sorted(CLOSED_STATES)
    values = ", ".join(["(%s, %s, %s)"] * len(groups))
    sql = (
        # Only quoted table names and placeholders are formatted in; every value is a parameter.
        f"UPDATE {d} SET due_on = m.due_on, provisional = m.provisional "  # noqa: S608
        f"FROM (SELECT column1 AS starts_on, column2 AS due_on, column3 AS provisional "
        f"FROM (VALUES {values}) AS v) AS m, {c} AS c "
        f"WHERE {d}.kind = %s AND {d}.starts_on = m.starts_on AND c.id = {d}.case_id "
        f"AND c.state NOT IN ({', '.join(['%s'] * len(closed))}) "
        f"AND ({d}.due_on <> m.due_on OR {d}.provisional <> m.provisional)"
    )
    params = [v for group in groups for v in group] + [kind, *closed]
    if kind == CaseDeadline.Kind.ACCEPTANCE_APPLY:  # not the per-enterprise time limits (_stored_groups)
        sql += " AND c.acceptance_due_on IS NULL"
    if out_of_step:
        sql += f" AND {d}.case_id NOT IN ({', '.join(['%s'] * len(out_of_step))})"
        params += sorted(out_of_step)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _next_due_update(kinds: list[str], cases: QuerySet[AuditCase]) -> int:
    """next_due_on / next_due_kind of `cases` from their rows: the earliest open deadline, ties in the
    order of DEADLINE_RULES (as `deadlines_recompute` sorts). Both streams are read in case order and
    merged; the cases whose value changes are written with one UPDATE per new value (in chunks).
    Returns how many cases changed."""
    # Programme dates count too (cases.milestone_deadlines), after the rule duties on the same day.
    kinds = [*kinds, *MILESTONE_MET_BY]
    rank = {kind: n for n, kind in enumerate([spec.kind for spec in DEADLINE_RULES] + list(MILESTONE_MET_BY))}
    rows = (
        CaseDeadline.objects.filter(case__in=cases, kind__in=kinds, status=CaseDeadline.Status.OPEN)
        .order_by("case_id")
        .values_list("case_id", "kind", "due_on")
        .iterator(chunk_size=CHUNK)
    )
    row = next(rows, None)
    moves: dict[tuple, list[int]] = defaultdict(list)
    for pk, due_on, kind in (
        cases.order_by("pk").values_list("pk", "next_due_on", "next_due_kind").iterator(chunk_size=CHUNK)
    ):
        best = None
        while row is not None and row[0] <= pk:
            if row[0] == pk and (best is None or (row[2], rank[row[1]]) < (best[1], rank[best[0]])):
                best = (row[1], row[2])
            row = next(rows, None)
        new = (best[1], best[0]) if best else (None, "")
        if new != (due_on, kind):
            moves[new].append(pk)
    for (due_on, kind), pks in moves.items():
        for start in range(0, len(pks), CHUNK):
            AuditCase.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                next_due_on=due_on, next_due_kind=kind
            )
    if moves:  # a set-based write: rewrite the counts (the overdue among them) of the cells it touched
        case_counts_refresh_for(cases, moved=False)
    return sum(len(pks) for pks in moves.values())


def deadlines_recompute_open(
    *, calendar: WorkCalendar | None = None, actor_name: str = "sweep"
) -> BulkResult:
    """Bring every open case's deadlines and next_due_* up to date with the current rules and calendar,
    set-based, in one transaction. Logs one event per duty whose rows moved, listing its groups
    (start date, new due date, how many cases, their old due dates)."""
    calendar = calendar or WorkCalendar()
    rules = rules_by_code(RULE_CODES)
    result = BulkResult()
    dues: dict[tuple[str, datetime.date], Due] = {}
    with transaction.atomic():
        _cases_lock()
        specs = [spec for spec in DEADLINE_RULES if spec.rule_code in rules]
        counts = open_cases().aggregate(
            open=Count("pk"),
            **{f"with_{spec.kind}": Count(spec.starts, filter=_bound(spec)) for spec in specs},
        )
        result.checked = counts["open"]
        out_of_step: set[int] = set()
        stored = {spec.kind: _stored_groups(spec, counts[f"with_{spec.kind}"], out_of_step) for spec in specs}
        changed_kinds = False
        for spec in specs:
            now, moved_groups = defaultdict(list), []
            for row in stored[spec.kind]:
                now[row["starts_on"]].append(row)
            for start, rows in sorted(now.items()):
                key = (spec.rule_code, start)
                if key not in dues:
                    dues[key] = due_from(rule=rules[spec.rule_code], start=start, calendar=calendar)
                due = dues[key]
                moved = [r for r in rows if (r["due_on"], r["provisional"]) != (due.date, due.provisional)]
                if moved:
                    moved_groups.append(
                        [
                            start,
                            due.date,
                            due.provisional,
                            sum(r["n"] for r in moved),
                            [[r["due_on"], r["n"]] for r in moved],
                        ]
                    )
            if not moved_groups:
                continue
            result.moved += _rows_move(spec.kind, [(g[0], g[1], g[2]) for g in moved_groups], out_of_step)
            result.groups += len(moved_groups)
            changed_kinds = True
            event_record(
                action=GROUP_ACTION,
                actor_name=actor_name,
                after={
                    "duty": spec.kind,
                    "rule": spec.rule_code,
                    "cases": sum(g[3] for g in moved_groups),
                    # [start date, new due date, provisional, cases, [[old due date, cases], ...]]
                    "groups": moved_groups,
                },
            )
        if changed_kinds:
            in_step = open_cases().exclude(pk__in=sorted(out_of_step))
            result.changed = _next_due_update([spec.kind for spec in specs], in_step)
        result.one_by_one = sorted(out_of_step)
        result.changed += recompute_one_by_one(out_of_step, calendar=calendar, actor_name=actor_name)
    return result
