"""The sweep's permit warnings: for every open audit round, the enterprise's discharge permit is
missing, expired, or expires within the notice period of the rule PERMIT_RENEWAL_RULE (the 条例 asks
for renewal that many days before the end). Idempotent: each warning is recorded once."""

import datetime

from django.db import transaction
from django.utils import timezone

from qingshen.procedures.rules import rules_by_code
from qingshen.trail.services import event_record

PERMIT_RENEWAL_RULE = "permit_renewal_notice"
PERMIT_RULES = [
    {
        "code": PERMIT_RENEWAL_RULE,
        "name": "排污许可证有效期届满前申请延续时限（预警）",
        "amount": 60,
        "unit": "days",
        "basis": "U",
        "roll_forward": False,
        "source": "《排污许可管理条例》（国务院令第736号）第十四条：排污许可证有效期届满，排污单位需要继续排放污染物的，"
        "应当于排污许可证有效期届满60日前向审批部门提出申请。清审于届满前该日数起预警（未见原文核对，由市局修改）[U]。",
    }
]


def permit_notice_days() -> int:
    """How many days before its end a permit counts as expiring (the rule PERMIT_RENEWAL_RULE)."""
    # The seeded figure if the row is gone (a flushed database): a warning must not stop the sweep.
    rule = rules_by_code([PERMIT_RENEWAL_RULE]).get(PERMIT_RENEWAL_RULE)
    return rule.amount if rule is not None else PERMIT_RULES[0]["amount"]


def _verdict(permits, today: datetime.date, notice_days: int):
    """(kind, permit, due_on) for one enterprise's permits today, or None when all is well."""
    from qingshen.oversight.models import PermitWarning

    current = [p for p in permits if p.valid_from <= today <= p.valid_to]
    if not current:
        ended = [p for p in permits if p.valid_to < today]
        if not ended:
            # A permit that only starts later still leaves today without one.
            return PermitWarning.Kind.MISSING, None, today
        latest = max(ended, key=lambda p: (p.valid_to, p.pk))
        return PermitWarning.Kind.EXPIRED, latest, latest.valid_to
    permit = max(current, key=lambda p: (p.valid_to, p.pk))
    renewed = any(p.valid_from > today and p.valid_to > permit.valid_to for p in permits)
    if not renewed and (permit.valid_to - today).days <= notice_days:
        return PermitWarning.Kind.EXPIRING, permit, permit.valid_to
    return None


def permit_warnings_record(*, today: datetime.date | None = None) -> dict[str, int]:
    """Record today's permit warnings of the open rounds; returns counts by kind."""
    from qingshen.cases.models import AuditCase
    from qingshen.cases.states import CLOSED_STATES
    from qingshen.oversight.models import PermitWarning
    from qingshen.registry.models import Permit

    today = today or timezone.localdate()
    notice_days = permit_notice_days()
    now = timezone.now()
    cases = list(
        AuditCase.objects.exclude(state__in=CLOSED_STATES).values_list(
            "pk", "enterprise_id", "jurisdiction_path"
        )
    )
    permits: dict[int, list] = {}
    for p in Permit.objects.filter(enterprise_id__in={e for _c, e, _j in cases}).only(
        "pk", "enterprise_id", "valid_from", "valid_to"
    ):
        permits.setdefault(p.enterprise_id, []).append(p)
    have = set(PermitWarning.objects.values_list("case_id", "permit_id", "kind"))
    new = []
    for case_id, enterprise_id, path in cases:
        verdict = _verdict(permits.get(enterprise_id, []), today, notice_days)
        if verdict is None:
            continue
        kind, permit, due_on = verdict
        if (case_id, permit.pk if permit else None, kind) in have:
            continue
        new.append(
            PermitWarning(
                enterprise_id=enterprise_id,
                case_id=case_id,
                permit=permit,
                kind=kind,
                due_on=due_on,
                jurisdiction_path=path,
                recorded_at=now,
            )
        )
    counts: dict[str, int] = {}
    with transaction.atomic():
        PermitWarning.objects.bulk_create(new, ignore_conflicts=True)
        for w in new:
            counts[w.kind] = counts.get(w.kind, 0) + 1
        if counts:
            event_record(
                action="oversight.permit_warnings.record",
                actor_name="sweep",
                after={"on": str(today), **counts},
            )
    return counts
