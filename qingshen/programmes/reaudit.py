"""The hazardous re-audit (办法 Art. 8: 双有 enterprises audit at least every five years, domain.md §1):
when an enterprise's last round, live or imported from history, was accepted on a 双有 ground, its
next audit is due within the rule `hazardous_reaudit_max` of the acceptance. Read from the cases; the
enterprise page shows it as a warning and the plan list (附件4) proposes it in the year it falls due."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from qingshen.cases import scoping as cases_scoping
from qingshen.cases.states import State
from qingshen.procedures.models import Rule
from qingshen.procedures.rules import due_from
from qingshen.programmes.models import Ground

REAUDIT_RULE = "hazardous_reaudit_max"


@dataclass(frozen=True)
class Reaudit:
    enterprise_id: int
    name: str
    uscc: str
    district: str
    last_year: int  # the programme year of the accepted round
    accepted_on: datetime.date
    due_on: datetime.date
    rule: Rule

    @property
    def year(self) -> int:
        return self.due_on.year


def _reaudits(cases: QuerySet) -> list[Reaudit]:
    rule = Rule.objects.filter(code=REAUDIT_RULE).first()
    if rule is None:  # the city removed the rule: nothing is computed
        return []
    latest: dict[int, dict] = {}
    for c in cases.values(
        "enterprise_id",
        "enterprise__name",
        "enterprise__uscc",
        "jurisdiction__name",
        "programme__year",
        "state",
        "accepted_on",
        "listing__grounds",
    ).order_by("enterprise_id", "programme__year"):
        latest[c["enterprise_id"]] = c  # the enterprise's last round wins
    out = []
    for c in latest.values():
        if c["state"] not in (State.ACCEPTED, State.PUBLISHED) or not c["accepted_on"]:
            continue  # still in a round (or withdrawn): no re-audit is counted from it
        if Ground.HAZARDOUS not in (c["listing__grounds"] or []):
            continue
        out.append(
            Reaudit(
                enterprise_id=c["enterprise_id"],
                name=c["enterprise__name"],
                uscc=c["enterprise__uscc"],
                district=c["jurisdiction__name"],
                last_year=c["programme__year"],
                accepted_on=c["accepted_on"],
                due_on=due_from(rule=rule, start=c["accepted_on"]).date,
                rule=rule,
            )
        )
    return sorted(out, key=lambda r: (r.due_on, r.name))


def reaudit_of_enterprise(*, user, enterprise) -> Reaudit | None:
    """The enterprise's re-audit due date, from the rounds the user sees; None when none is counted."""
    found = _reaudits(cases_scoping.cases_visible(user).filter(enterprise=enterprise))
    return found[0] if found else None


def reaudit_candidates(*, user, programme, years: list[int]) -> list[Reaudit]:
    """附件4 candidates: the city's hazardous enterprises (those the user sees) whose re-audit falls due
    by the last of `years` (the plan list's), not on this programme's list or plan list yet."""
    cases = cases_scoping.cases_visible(user).filter(programme__city_id=programme.city_id)
    taken = set(programme.plan_entries.values_list("enterprise_id", flat=True)) | set(
        programme.listings.values_list("enterprise_id", flat=True)
    )
    last = max(years) if years else programme.year
    return [r for r in _reaudits(cases) if r.year <= last and r.enterprise_id not in taken]
