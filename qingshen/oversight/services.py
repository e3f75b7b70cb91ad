"""Writes on oversight records: accountability cases (追责情形)."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.accounts.models import Jurisdiction
from qingshen.core.errors import NotFound, Refused
from qingshen.oversight import scoping
from qingshen.oversight.counts import warning_counts_rebuild
from qingshen.oversight.models import AccountabilityRecord, Warning
from qingshen.procedures.models import Procedure, Rule
from qingshen.procedures.rules_seed import WARNING_PREFIX
from qingshen.reviews.organisers import responsible_section
from qingshen.trail.services import event_record


class AccountabilityRefused(Refused):
    """A change to an accountability record the rules refuse; the message is for the user."""


def _procedure_citation(kind: str) -> tuple[str, str]:
    """The procedure's own words for this accountability case and its responsible section."""
    procedure = Procedure.objects.prefetch_related("steps").first()
    if procedure is None:
        return "", ""
    lines = [line for line in procedure.accountability.splitlines() if line.strip()]
    index = {
        AccountabilityRecord.Kind.REFUSED_COMPLETE: 0,
        AccountabilityRecord.Kind.NOT_REVIEWED: 1,
        AccountabilityRecord.Kind.OTHER: 2,
    }.get(kind)
    citation = f"{procedure.name}·追责情形 {lines[index]}" if index is not None and index < len(lines) else ""
    section = next((s.responsible_section for s in procedure.steps.all() if s.responsible_section), "")
    return citation, section


@transaction.atomic
def accountability_open(*, case, kind: str, duty: str, explanation: str, actor=None) -> AccountabilityRecord:
    if kind == AccountabilityRecord.Kind.OTHER and not scoping.may_open_accountability(actor, case):
        raise NotFound()  # by hand, for another breach: the city environment bureau's
    citation, section = _procedure_citation(kind)
    section = getattr(actor, "section", "") or section
    if kind != AccountabilityRecord.Kind.OTHER:
        # A record about the case's reviews is the organiser's (the city or the district).
        section = responsible_section(case, section)
    record = AccountabilityRecord.objects.create(
        case=case,
        kind=kind,
        duty=duty,
        responsible_section=section,
        rule_citation=citation,
        explanation=explanation,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    event_record(
        action="oversight.accountability.open",
        actor=actor,
        obj=record,
        after={"case": case.pk, "kind": kind, "duty": duty, "explanation": explanation},
    )
    return record


# --- Early warnings (set-based; run by `manage.py sweep`) ------------------------------------------


def warning_thresholds() -> list[int]:
    """The "upcoming" thresholds in days, largest first, from the warning_upcoming_* rules."""
    amounts = Rule.objects.filter(code__startswith=WARNING_PREFIX).values_list("amount", flat=True)
    return sorted({a for a in amounts if a > 0}, reverse=True)


def _warning_bands(today: datetime.date) -> list[tuple[str, int, datetime.date | None, datetime.date | None]]:
    """(level, threshold, due after, due on or before): each deadline falls in at most one band today.

    Upcoming at T days means T ≥ days left > the next smaller threshold, so a sweep that missed a day
    still records the warning of the band the deadline is in, and never the bands it has passed.
    """
    thresholds = warning_thresholds()
    bands = []
    for i, t in enumerate(thresholds):
        lower = thresholds[i + 1] if i + 1 < len(thresholds) else 0
        bands.append(
            (
                Warning.Level.UPCOMING,
                t,
                today + datetime.timedelta(days=lower),
                today + datetime.timedelta(days=t),
            )
        )
    bands.append((Warning.Level.DUE, 0, today - datetime.timedelta(days=1), today))
    bands.append((Warning.Level.OVERDUE, 0, None, today - datetime.timedelta(days=1)))
    return bands


def _insert_warnings(cursor, *, subject: str, level, threshold, after, upto, now) -> int:
    """One INSERT … SELECT per band; the anti-join skips what is recorded, ON CONFLICT covers races."""
    from qingshen.cases.models import AuditCase, CaseDeadline
    from qingshen.programmes.models import Milestone, Programme

    w = Warning._meta.db_table
    bounds, params = [], [level, threshold, now]
    if after is not None:
        bounds.append("s.due_on > %s")
        params.append(after)
    bounds.append("s.due_on <= %s")
    params.append(upto)
    if subject == "deadline":
        # Table names come from model meta; every value is a parameter.
        sql = f"""
            INSERT INTO {w} (deadline_id, milestone_id, case_id, programme_id, jurisdiction_path,
                             level, threshold_days, due_on, recorded_at)
            SELECT s.id, NULL, s.case_id, c.programme_id, c.jurisdiction_path, %s, %s, s.due_on, %s
            FROM {CaseDeadline._meta.db_table} s JOIN {AuditCase._meta.db_table} c ON c.id = s.case_id
            WHERE s.status = %s AND {" AND ".join(bounds)}
              AND (c.history_imported_on IS NULL OR s.due_on >= c.history_imported_on)
              AND NOT EXISTS (SELECT 1 FROM {w} x WHERE x.deadline_id = s.id AND x.due_on = s.due_on
                              AND x.level = %s AND x.threshold_days = %s)
            ON CONFLICT DO NOTHING"""  # noqa: S608
        params = [*params[:3], CaseDeadline.Status.OPEN, *params[3:], level, threshold]
    else:
        # Table names come from model meta; every value is a parameter.
        sql = f"""
            INSERT INTO {w} (deadline_id, milestone_id, case_id, programme_id, jurisdiction_path,
                             level, threshold_days, due_on, recorded_at)
            SELECT NULL, s.id, NULL, s.programme_id, j.path, %s, %s, s.due_on, %s
            FROM {Milestone._meta.db_table} s JOIN {Programme._meta.db_table} p ON p.id = s.programme_id
                 JOIN {Jurisdiction._meta.db_table} j ON j.id = p.city_id
            WHERE {" AND ".join(bounds)}
              AND NOT EXISTS (SELECT 1 FROM {w} x WHERE x.milestone_id = s.id AND x.due_on = s.due_on
                              AND x.level = %s AND x.threshold_days = %s)
            ON CONFLICT DO NOTHING"""  # noqa: S608
        params = [*params, level, threshold]
    cursor.execute(sql, params)
    return max(cursor.rowcount, 0)


def warnings_record(*, today: datetime.date | None = None) -> dict[str, int]:
    """Record today's warnings for open case deadlines and programme milestones; returns counts by level.
    A deadline that fell due before its case was imported from history is not warned of.

    Idempotent and safe concurrently: the partial unique constraints make a second insert a no-op.
    One summary Event per run that recorded anything (the rows themselves are the detail).
    """
    today, now, counts = today or timezone.localdate(), timezone.now(), {}
    with transaction.atomic(), connection.cursor() as cursor:
        for level, threshold, after, upto in _warning_bands(today):
            for subject in ("deadline", "milestone"):
                n = _insert_warnings(
                    cursor, subject=subject, level=level, threshold=threshold, after=after, upto=upto, now=now
                )
                if n:
                    key = f"{subject}.{level}" + (f".{threshold}" if level == Warning.Level.UPCOMING else "")
                    counts[key] = counts.get(key, 0) + n
        if connection.vendor == "postgresql" and sum(counts.values()) > 10_000:
            # Fresh statistics after a large insert, so the next sweep's anti-joins plan as hash joins.
            cursor.execute(f"ANALYZE {Warning._meta.db_table}")
        if counts:
            warning_counts_rebuild()  # what the dashboard counts them by
            event_record(
                action="oversight.warnings.record", actor_name="sweep", after={"on": str(today), **counts}
            )
    return counts


# --- Accountability detection (追责情形 b–d; run by `manage.py sweep`) -------------------------------

# Which bureau deadline, once overdue, is which accountability case; the procedure step whose section
# answers for it is found through the step's rule (ProcedureStep.rule), the citation is the procedure's
# accountability line plus the time-limit rule and its source.
# A programme date (milestone) cites the programme's notice and the milestone instead of a rule.
DETECTED = {
    "evaluation_check": (AccountabilityRecord.Kind.NOT_CHECKED, "evaluation_review_due", 0),
    "acceptance_check": (AccountabilityRecord.Kind.NOT_CHECKED, "acceptance_review_due", 0),
    "evaluation_review": (AccountabilityRecord.Kind.EVALUATION_LATE, "evaluation_review_due", 1),
    "acceptance_review": (AccountabilityRecord.Kind.ACCEPTANCE_LATE, "acceptance_review_due", 1),
    "evaluation_organise": (AccountabilityRecord.Kind.NOT_REVIEWED, "evaluation_review_due", 1),
    "acceptance_organise": (AccountabilityRecord.Kind.NOT_REVIEWED, "acceptance_review_due", 1),
    "milestone_evaluation": (AccountabilityRecord.Kind.MILESTONE_MISSED, "evaluation_review_due", 1),
    "milestone_acceptance": (AccountabilityRecord.Kind.MILESTONE_MISSED, "acceptance_review_due", 1),
}


def _milestone_citation(milestone) -> str:
    """The programme's notice (文号, issuing body) and the milestone with its date and source."""
    programme = milestone.programme
    notice = "".join(
        part for part in (programme.issuing_body, f"《{programme.title}》", programme.document_number) if part
    )
    source = f"（{milestone.source}）" if milestone.source else ""
    return f"{notice}：{milestone.name} {milestone.due_on.isoformat()}{source}"


def accountability_detect(*, today: datetime.date | None = None) -> int:
    """Open a record for every bureau deadline (b–d, a finished audit not reviewed in time, a programme
    date missed) overdue today and not yet recorded. Idempotent:
    one record per deadline and due date (a unique constraint), concurrent sweeps skip each other's."""
    from qingshen.cases.models import CaseDeadline

    today = today or timezone.localdate()
    candidates = (
        CaseDeadline.objects.filter(
            status=CaseDeadline.Status.OPEN, kind__in=list(DETECTED), due_on__lt=today
        )
        .exclude(
            Exists(AccountabilityRecord.objects.filter(deadline=OuterRef("pk"), due_on=OuterRef("due_on")))
        )
        # A round imported from before the system: what fell due before its import was not the system's.
        .exclude(case__history_imported_on__gt=F("due_on"))
        .select_related("case__programme__city", "case__jurisdiction", "milestone__programme")
        .order_by("pk")
    )
    if not candidates.exists():
        return 0
    procedure = Procedure.objects.prefetch_related("steps__rule").order_by("pk").first()
    lines = [line for line in (procedure.accountability.splitlines() if procedure else []) if line.strip()]
    sections = {
        s.rule.code: s.responsible_section for s in (procedure.steps.all() if procedure else []) if s.rule
    }
    rules = {r.code: r for r in Rule.objects.filter(code__in=candidates.values("rule_code"))}
    created = 0
    for deadline in candidates.iterator(chunk_size=500):
        kind, step_rule, line_index = DETECTED[deadline.kind]
        rule = rules.get(deadline.rule_code)
        citation = " ".join(
            part
            for part in (
                f"{procedure.name}·追责情形 {lines[line_index]}"
                if procedure and line_index < len(lines)
                else "",
                f"{rule.name}（{rule.amount} {rule.get_unit_display()}）：{rule.source}" if rule else "",
                _milestone_citation(deadline.milestone) if deadline.milestone_id else "",
            )
            if part
        )
        days = (today - deadline.due_on).days
        try:
            with transaction.atomic():
                record = AccountabilityRecord.objects.create(
                    case=deadline.case,
                    kind=kind,
                    duty=deadline.title,
                    # The review deadlines are the organiser's: the city's or the district's.
                    responsible_section=responsible_section(deadline.case, sections.get(step_rule, "")),
                    rule_citation=citation,
                    explanation=f"due {deadline.due_on}, overdue by {days} days (detected by the sweep)",
                    deadline=deadline,
                    due_on=deadline.due_on,
                )
                event_record(
                    action="oversight.accountability.detect",
                    actor_name="sweep",
                    obj=record,
                    after={
                        "case": deadline.case_id,
                        "kind": kind,
                        "deadline": deadline.kind,
                        "due_on": str(deadline.due_on),
                    },
                )
        except IntegrityError:
            continue  # a concurrent sweep recorded it first
        created += 1
    return created


@transaction.atomic
def accountability_close(*, record_id: int, explanation: str, actor) -> AccountabilityRecord:
    """Close a record; only with an explanation, only once, and only by the bureau that owns it."""
    explanation = (explanation or "").strip()
    if not explanation:
        raise AccountabilityRefused(_("A record is closed only with an explanation."))
    record = AccountabilityRecord.objects.select_for_update().filter(pk=record_id).first()
    if record is None or not scoping.may_close_accountability(actor, record):
        raise NotFound()
    if record.closed_at is not None:
        raise AccountabilityRefused(_("This record is already closed."))
    before = {"closed": False, "explanation": record.close_explanation}
    record.closed_at = timezone.now()
    record.closed_by = actor
    record.close_explanation = explanation
    record.save(update_fields=["closed_at", "closed_by", "close_explanation"])
    event_record(
        action="oversight.accountability.close",
        actor=actor,
        obj=record,
        before=before,
        after={"closed": True, "explanation": explanation},
    )
    return record
