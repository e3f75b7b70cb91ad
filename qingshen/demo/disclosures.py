"""Disclosures filled in for the demo and for tests' worlds, through the real service."""

from django.core.files.base import ContentFile

from qingshen.cases.disclosures import disclosure_minimal_content, disclosure_save
from qingshen.cases.models import AuditCase, Disclosure


def disclosure_fill_for_demo(*, case: AuditCase, actor) -> Disclosure:
    """Save a minimal complete draft with a small PDF as proof (demo data and tests)."""
    return disclosure_save(
        case=case,
        actor=actor,
        content=disclosure_minimal_content(case),
        published_where="企业官网",
        proof_upload=ContentFile(b"%PDF-1.4\n% proof of publication\n", name="公开截图.pdf"),
    )


def demo_annual_disclosures(cases, account_of) -> int:
    """Most listed enterprises have filed the annual disclosure (部令第24号 Art. 14) of each year already
    due, from the form's own first text; every eighth has not, so the sweep's late warning shows."""
    from django.utils import timezone

    from qingshen.cases.annual_disclosures import (
        annual_disclosure_save,
        annual_prefill,
        disclosure_years,
        due_on,
    )

    today = timezone.localdate()
    filed = 0
    for n, case in enumerate(cases):
        if n % 8 == 7 or case.listing_id is None:
            continue
        for year in disclosure_years(case, today):
            due = due_on(year)
            if due is None or due >= today:
                continue
            annual_disclosure_save(
                case=case,
                year=year,
                actor=account_of(case.enterprise),
                content=annual_prefill(case, year),
                submit=True,
            )
            filed += 1
    return filed
