"""What the public site and the public API read. Only public fields leave here: name, credit code,
district, year, public stage, level and dates — never contacts, scores, comments or documents."""

import re

from django.db.models import QuerySet

from qingshen.cases import scoping
from qingshen.cases.kinds import LISTED_KINDS, CaseKind
from qingshen.programmes import scoping as programmes_scoping
from qingshen.registry.models import Enterprise
from qingshen.registry.name_search import name_match
from qingshen.registry.search_keys import pinyin_match

_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def _public_cases() -> QuerySet:
    return scoping.cases_public().select_related("enterprise", "jurisdiction", "programme")


def lists_published() -> QuerySet:
    return programmes_scoping.programmes_public().select_related("city").order_by("-year", "city__name")


def list_get(pk: int):
    return lists_published().filter(pk=pk).first()


def list_entries(*, programme) -> QuerySet:
    """The published list: mandatory audits only (a voluntary audit is on no list)."""
    return (
        _public_cases()
        .filter(programme=programme, kind__in=sorted(LISTED_KINDS))
        .order_by("jurisdiction__path", "enterprise__name")
    )


def results_published(*, kind: str = CaseKind.MANDATORY) -> QuerySet:
    """Published results of one kind of audit: mandatory and voluntary are shown apart."""
    return (
        _public_cases()
        .filter(kind=kind, state="published", result_published_on__isnull=False)
        .order_by("-result_published_on", "enterprise__name")
    )


def group_results() -> QuerySet:
    """Group audits on a published list whose members have been counted as audited (the group passed at
    the rule's stage), newest first, with their members: names, codes and districts only."""
    from django.db.models import Max, Prefetch

    from qingshen.cases.models import GroupAudit, GroupMember

    members = GroupMember.objects.filter(removed_at__isnull=True).select_related("enterprise__jurisdiction")
    return (
        GroupAudit.objects.filter(
            case__in=scoping.cases_public().values("pk"), members__counted_on__isnull=False
        )
        .annotate(counted_on=Max("members__counted_on"))
        .select_related("case__enterprise", "case__jurisdiction", "case__programme")
        .prefetch_related(
            Prefetch("members", queryset=members.order_by("enterprise__name"), to_attr="public_members")
        )
        .order_by("-counted_on", "name")
    )


def search(q: str) -> QuerySet:
    """By credit code (exact), pinyin (initials or full, anywhere in the name) or a part of the name."""
    q = (q or "").strip()
    cases = _public_cases().order_by("-programme__year", "enterprise__name")
    if not q:
        return cases.none()
    if _USCC.match(q.upper()) and len(q) == 18:
        return cases.filter(enterprise__uscc=q.upper())
    # Find the enterprises first (an indexed lookup or one scan of the names), then their cases:
    # joining first makes the database walk every case.
    # One scan of the short keys (Latin letters in a name are in its full pinyin too).
    pinyin = pinyin_match(q, "enterprise_id")
    if pinyin is not None:
        return cases.filter(pinyin)
    # In the form the name indexes serve (registry.name_search): a plain LIKE '%…%' reads every name.
    return cases.filter(enterprise_id__in=Enterprise.objects.filter(name_match(q)).values("pk"))
