"""Reads for reviews: checklists, the conflict check (回避), panel results, lists."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qingshen.cases.models import Delegation
from qingshen.procedures.rules import rule_get
from qingshen.registry.models import AgencyStaff
from qingshen.reviews import scoping
from qingshen.reviews.models import (
    ChecklistItem,
    ConflictDismissal,
    Expert,
    ExpertConflict,
    PanelSeat,
    Review,
)

CONSULTANCY_RULE = "expert_consultancy_exclusion"


class Exclusion:
    """The exclusion rules (回避), in the order they are checked."""

    EMPLOYER_ENTERPRISE = "employer_enterprise"
    EMPLOYER_AGENCY = "employer_agency"
    CASE_AUDIT = "case_audit"
    CONSULTANCY = "consultancy"
    DECLARED = "declared"
    PINNED = "pinned"
    RATING_FLOOR = "rating_floor"  # applied by the draw (qingshen.reviews.quality.rating_floor_apply)
    OTHER_INDUSTRY = "specialty"  # a meeting's shared draw: does not match one application's industry
    # Computed from records: the city may dismiss these as false positives. Declarations and pins stand.
    DISMISSABLE = frozenset({EMPLOYER_ENTERPRISE, EMPLOYER_AGENCY, CASE_AUDIT, CONSULTANCY})

    @staticmethod
    def label(rule: str) -> str:
        return {
            Exclusion.EMPLOYER_ENTERPRISE: _("Employed by the enterprise"),
            Exclusion.EMPLOYER_AGENCY: _("Employed by the agency that served this case"),
            Exclusion.CASE_AUDIT: _("Took part in this case's audit"),
            Exclusion.CONSULTANCY: _("Served this enterprise as a consultant recently"),
            Exclusion.DECLARED: _("Conflict declared by the expert"),
            Exclusion.PINNED: _("Conflict pinned by the city"),
            Exclusion.RATING_FLOOR: _("Work quality rated below the floor"),
            Exclusion.OTHER_INDUSTRY: _("Does not match the industry of an application of the meeting"),
        }.get(rule, rule)


def checklist_for(kind: str) -> list[ChecklistItem]:
    return list(ChecklistItem.objects.filter(kind=kind, is_active=True))


def missing_items(review: Review) -> list[ChecklistItem]:
    """Required items of the checklist without a material in this application."""
    present = set(review.materials.values_list("item_id", flat=True))
    return [i for i in checklist_for(review.kind) if i.required and i.pk not in present]


@dataclass
class ConflictCheck:
    industry_code: str
    matching: list = field(default_factory=list)  # active experts whose specialties match
    eligible: list = field(default_factory=list)  # matching and not excluded
    exclusions: dict = field(default_factory=dict)  # expert id -> [(rule, detail)]
    dismissed: dict = field(default_factory=dict)  # expert id -> [(rule, reason)]
    consultancy_years: int = 0

    def counts(self) -> Counter:
        return Counter(rule for reasons in self.exclusions.values() for rule, _detail in reasons)


def conflict_check(*, review: Review, today: datetime.date | None = None) -> ConflictCheck:
    """Who may sit on this review's panel and who is excluded, with each reason (design.md §4)."""
    today = today or timezone.localdate()
    case = review.case
    enterprise = case.enterprise
    industry_code = enterprise.industry.code if enterprise.industry_id else ""
    years = rule_get(CONSULTANCY_RULE).amount
    since = today - relativedelta(years=years)

    live = Delegation.objects.filter(revoked_at__isnull=True).select_related("agency")
    case_agencies = {d.agency.uscc: d.agency for d in live.filter(case=case)}
    past_agencies = {
        d.agency.uscc: d.agency
        for d in live.filter(case__enterprise=enterprise)
        .exclude(case=case)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
    }
    staff_certificates = set(
        AgencyStaff.objects.filter(agency__uscc__in=list(case_agencies))
        .exclude(certificate_no="")
        .values_list("certificate_no", flat=True)
    )
    conflicts: dict[int, list] = {}
    for c in ExpertConflict.objects.filter(enterprise=enterprise):
        rule = Exclusion.DECLARED if c.kind == ExpertConflict.Kind.DECLARED else Exclusion.PINNED
        conflicts.setdefault(c.expert_id, []).append((rule, c.reason))
    dismissals: dict[int, dict] = {}
    for d in ConflictDismissal.objects.filter(review=review):
        dismissals.setdefault(d.expert_id, {})[d.rule] = d.reason

    result = ConflictCheck(industry_code=industry_code, consultancy_years=years)
    # A specialty matches at the enterprise's level or any coarser one: its code is a prefix of the industry's.
    prefixes = [industry_code[:n] for n in range(1, len(industry_code) + 1)]
    experts = (
        Expert.objects.filter(is_active=True, specialties__code__in=prefixes).distinct().order_by("pk")
        if industry_code
        else Expert.objects.none()
    )
    for expert in experts:
        result.matching.append(expert)
        reasons = []
        code = expert.employer_uscc
        if code and code == enterprise.uscc:
            reasons.append((Exclusion.EMPLOYER_ENTERPRISE, f"{expert.employer_name} {code}"))
        if code and code in case_agencies:
            reasons.append((Exclusion.EMPLOYER_AGENCY, f"{case_agencies[code].name} {code}"))
        if expert.certificate_no and expert.certificate_no in staff_certificates:
            reasons.append((Exclusion.CASE_AUDIT, expert.certificate_no))
        if code and code in past_agencies and code not in case_agencies:
            reasons.append((Exclusion.CONSULTANCY, f"{past_agencies[code].name} {code}"))
        reasons.extend(conflicts.get(expert.pk, []))
        kept = []
        for rule, detail in reasons:
            reason = dismissals.get(expert.pk, {}).get(rule)
            if reason is not None and rule in Exclusion.DISMISSABLE:
                result.dismissed.setdefault(expert.pk, []).append((rule, reason))
            else:
                kept.append((rule, detail))
        if kept:
            result.exclusions[expert.pk] = kept
        else:
            result.eligible.append(expert)
    return result


def review_list(*, user, status: str = "") -> list:
    qs = (
        scoping.reviews_visible(user)
        .select_related("case__enterprise", "case__jurisdiction", "case__programme")
        .order_by("status", "applied_on", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def seats_for_expert(*, user):
    return (
        scoping.seats_visible(user)
        .select_related("panel__review__case__enterprise", "score")
        .order_by("-panel__drawn_at", "pk")
    )


def panel_seats(panel):
    return panel.seats.select_related("expert", "score", "replaces").prefetch_related(
        Prefetch("score__lines")
    )


def submitted_scores(review: Review) -> list:
    return list(
        PanelSeat.objects.filter(panel__review=review, score__isnull=False)
        .select_related("expert", "score")
        .order_by("position")
    )


def meeting_rows(meeting, *, user=None) -> list:
    """A meeting's applications with their case, panel and revision requests, in the order they joined;
    with `user`, only those whose case the user sees (a district sees its own enterprises of a city's
    meeting, not the other districts')."""
    rows = meeting.cases.all()
    if user is not None:
        rows = rows.filter(review__in=scoping.reviews_visible(user).values("pk"))
    return list(
        rows.select_related("review__case__enterprise", "review__panel", "review__case__jurisdiction")
        .prefetch_related("review__revisions", "review__panel__seats__expert")
        .order_by("pk")
    )


def meeting_candidates(*, user, kind: str = ""):
    """Accepted applications the user's bureau organises that are in no meeting yet."""
    rows = (
        scoping.reviews_visible(user)
        .filter(status=Review.Status.ACCEPTED, meeting_case__isnull=True)
        .select_related("case__enterprise", "case__programme__city", "case__jurisdiction")
        .order_by("applied_on", "pk")
    )
    if kind:
        rows = rows.filter(kind=kind)
    return [r for r in rows if scoping.may_organise_review(user, r)]


def seats_in_meeting(*, user, meeting):
    return (
        scoping.seats_visible(user)
        .filter(panel__review__meeting_case__meeting=meeting)
        .select_related("panel__review__case__enterprise", "panel__review__meeting_case", "score")
        .order_by("panel__review__meeting_case__pk")
    )
