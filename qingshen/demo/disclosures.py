"""Disclosures filled in for the demo and for tests' worlds, through the real service."""

from django.core.files.base import ContentFile

from qingshen.cases.disclosure_fields import fields_for
from qingshen.cases.disclosures import disclosure_save
from qingshen.cases.models import AuditCase, Disclosure


def disclosure_minimal_content(case: AuditCase) -> dict:
    """A complete disclosure for the demo and tests: the enterprise's facts and a line per item."""
    ent = case.enterprise
    facts = {"enterprise_name": ent.name, "legal_representative": ent.legal_representative or "—",
             "address": ent.address or "—"}  # fmt: skip
    return {
        f.key: facts.get(f.key, "见企业网站公开的详细数据。") for _s, f in fields_for(case.listing.grounds)
    }


def disclosure_fill_for_demo(*, case: AuditCase, actor) -> Disclosure:
    """Save a minimal complete draft with a small PDF as proof (demo data and tests)."""
    return disclosure_save(
        case=case,
        actor=actor,
        content=disclosure_minimal_content(case),
        published_where="企业官网",
        proof_upload=ContentFile(b"%PDF-1.4\n% proof of publication\n", name="公开截图.pdf"),
    )
