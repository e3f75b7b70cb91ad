"""The technology library (清洁生产技术库): implemented options of accepted cases, with their investment and
verified benefits, searchable by industry (a GB/T 4754 code or its prefix) and benefit indicator, for
enterprises, agencies and staff to learn from.

An enterprise is named beside its options only if it chose to be (`LibraryNaming.named`); otherwise the
page and the export say 某企业. Option data is the enterprise's business information, so the cautious
default is anonymous and naming is an opt-in the enterprise can take back at any time.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from qingshen.cases import scoping
from qingshen.cases.errors import CaseError, CaseNotFound
from qingshen.cases.models import Benefit, Indicator, LibraryNaming
from qingshen.trail.services import event_record

# A section letter (A–T) or a division, group or class code (2–4 digits) or its leading digit.
_INDUSTRY = re.compile(r"^(?:[A-Ta-t]|\d{1,4})$")


class LibraryRefused(CaseError):
    pass


@dataclass(frozen=True)
class LibraryFilters:
    industry: str = ""
    indicator: str = ""
    q: str = ""


def library_filters(*, industry: str = "", indicator: str = "", q: str = "") -> LibraryFilters:
    """The search as typed, checked: a message in the user's language for anything it cannot be."""
    industry = (industry or "").strip()
    indicator = (indicator or "").strip()
    q = (q or "").strip()
    if industry and not _INDUSTRY.match(industry):
        raise LibraryRefused(
            _(
                "Enter an industry as a GB/T 4754 code or its beginning: a section letter (e.g. C) "
                "or 1–4 digits (e.g. 26 or 2614)."
            )
        )
    if indicator and not Indicator.objects.filter(code=indicator).exists():
        raise LibraryRefused(_("Choose a benefit indicator from the list."))
    if len(q) > 100:
        raise LibraryRefused(_("The search text is longer than 100 characters."))
    return LibraryFilters(industry=industry.upper(), indicator=indicator, q=q)


def _industry_q(code: str) -> Q:
    field = "case__enterprise__industry"
    if code.isalpha():  # a section: the enterprise's class, group or division lies under it
        return (
            Q(**{f"{field}__code": code})
            | Q(**{f"{field}__parent__code": code})
            | Q(**{f"{field}__parent__parent__code": code})
            | Q(**{f"{field}__parent__parent__parent__code": code})
        )
    return Q(**{f"{field}__code__startswith": code})


def library_search(*, user, filters: LibraryFilters) -> QuerySet:
    """The library's options for `user` (none if the user may not use it), newest acceptance first, each
    with `named` (the enterprise opted in) and its verified benefits prefetched: a fixed number of queries."""
    if not scoping.may_use_library(user):
        return scoping.library_options().none()
    named = LibraryNaming.objects.filter(enterprise_id=OuterRef("case__enterprise_id"), named=True)
    qs = (
        scoping.library_options()
        .select_related("case__enterprise__industry", "case__programme")
        .annotate(named=Exists(named))
        .prefetch_related(
            Prefetch(
                "benefits",
                queryset=Benefit.objects.filter(verified__isnull=False).select_related("indicator"),
                to_attr="verified_benefits",
            )
        )
    )
    if filters.industry:
        qs = qs.filter(_industry_q(filters.industry))
    if filters.indicator:
        qs = qs.filter(benefits__indicator__code=filters.indicator, benefits__verified__isnull=False)
    if filters.q:
        qs = qs.filter(name__icontains=filters.q)
    return qs.order_by("-case__accepted_on", "case_id", "code", "pk")


def shown_name(option) -> str:
    """The enterprise's name if it opted in, else 某企业 (for the page and the export alike)."""
    return option.case.enterprise.name if option.named else _("An enterprise (anonymous)")


def library_naming_of(*, user) -> bool:
    """The enterprise's current choice (False when it never chose)."""
    return LibraryNaming.objects.filter(enterprise_id=user.enterprise_id, named=True).exists()


def library_naming_set(*, actor, named: bool) -> LibraryNaming:
    """The enterprise chooses whether the library names it beside its options."""
    if not scoping.may_set_library_naming(actor):
        raise CaseNotFound()
    with transaction.atomic():
        row = LibraryNaming.objects.select_for_update().filter(enterprise_id=actor.enterprise_id).first()
        before = None if row is None else {"named": row.named}
        if row is None:
            row = LibraryNaming(enterprise_id=actor.enterprise_id)
        row.named = bool(named)
        row.updated_by = actor
        row.save()
        event_record(
            action="library.naming.set",
            actor=actor,
            obj=row,
            before=before,
            after={"enterprise": actor.enterprise_id, "named": row.named},
        )
        return row
