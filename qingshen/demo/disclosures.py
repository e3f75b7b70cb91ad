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
