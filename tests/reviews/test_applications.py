"""Applications with the checklist's materials and the completeness check (issue §1)."""

import pytest
from django.core.files.base import ContentFile

from qingshen.cases.errors import CaseError, CaseNotFound
from qingshen.cases.models import AuditCase, Delegation, Document
from qingshen.oversight.models import AccountabilityRecord
from qingshen.reviews import selectors
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import Review
from qingshen.reviews.services.applications import review_apply, review_check
from tests import factories as f


def _submitted(world):
    return f.walk(
        world.case_north,
        "report_submitted",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )


def _materials(kind, skip=()):
    return {
        i.code: ContentFile(b"%PDF-1.4 " + i.code.encode(), name=f"{i.code}.pdf")
        for i in selectors.checklist_for(kind)
        if i.code not in skip
    }


def test_apply_stores_each_material_and_moves_the_case(world):
    case = _submitted(world)
    review = review_apply(
        case_id=case.pk,
        actor=world.users["enterprise"],
        kind="evaluation",
        materials=_materials("evaluation"),
    )
    assert AuditCase.objects.get(pk=case.pk).state == "evaluation_applied"
    assert review.status == "applied"
    assert review.materials.count() == len(selectors.checklist_for("evaluation"))
    for material in review.materials.select_related("item", "document"):
        assert material.document.kind == material.item.document_kind
        assert material.document.is_current and material.document.used_in_review
    assert selectors.missing_items(review) == []


def test_the_delegated_agency_applies(world):
    case = _submitted(world)
    Delegation.objects.create(
        case=case, agency=world.agency, starts_on=case.published_on, created_by=world.users["enterprise"]
    )
    review = review_apply(
        case_id=case.pk, actor=world.users["agency"], kind="evaluation", materials=_materials("evaluation")
    )
    assert review.applied_by == world.users["agency"]


@pytest.mark.parametrize("who", ["enterprise_south", "agency", "expert", "city"])
def test_others_cannot_apply(world, who, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = _submitted(world)
    files_before = {p for p in tmp_path.rglob("*") if p.is_file()}  # the disclosure proof, say
    with pytest.raises((CaseNotFound, ReviewRefused)):
        review_apply(
            case_id=case.pk, actor=world.users[who], kind="evaluation", materials=_materials("evaluation")
        )
    assert not Review.objects.exists()
    assert {p for p in tmp_path.rglob("*") if p.is_file()} == files_before


def test_application_in_the_wrong_state_leaves_no_file(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    documents_before = Document.objects.count()  # the world's disclosure proofs
    with pytest.raises(CaseError):
        review_apply(
            case_id=world.case_north.pk,
            actor=world.users["enterprise"],
            kind="evaluation",
            materials=_materials("evaluation"),
        )
    assert not Review.objects.exists() and Document.objects.count() == documents_before
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_an_incomplete_application_cannot_be_accepted_and_its_refusal_names_the_missing(world):
    case = _submitted(world)
    review = review_apply(
        case_id=case.pk,
        actor=world.users["enterprise"],
        kind="evaluation",
        materials=_materials("evaluation", skip=("technical_evidence",)),
    )
    with pytest.raises(ReviewRefused) as err:
        review_check(review_id=review.pk, actor=world.users["city"], accept=True)
    assert "技术支撑材料" in err.value.message
    review = review_check(review_id=review.pk, actor=world.users["city"], accept=False)
    assert review.status == "refused" and review.missing_items == ["technical_evidence"]
    assert "技术支撑材料" in review.refusal_reason
    assert AuditCase.objects.get(pk=case.pk).state == "auditing"
    assert not AccountabilityRecord.objects.exists()


def test_refusing_a_complete_application_needs_an_override_and_opens_an_accountability_case(world):
    case = _submitted(world)
    review = review_apply(
        case_id=case.pk,
        actor=world.users["enterprise"],
        kind="evaluation",
        materials=_materials("evaluation"),
    )
    with pytest.raises(ReviewRefused):
        review_check(review_id=review.pk, actor=world.users["city"], accept=False, reason="不想受理")
    assert Review.objects.get(pk=review.pk).status == "applied"
    review_check(
        review_id=review.pk,
        actor=world.users["city"],
        accept=False,
        override_reason="报告内容与企业实际明显不符",
    )
    record = AccountabilityRecord.objects.get(case=case)
    assert record.kind == "refused_complete"
    assert record.explanation == "报告内容与企业实际明显不符"
    assert "不予受理" in record.rule_citation
    assert AuditCase.objects.get(pk=case.pk).state == "auditing"


def test_an_application_is_checked_once(world):
    case = _submitted(world)
    review = review_apply(
        case_id=case.pk,
        actor=world.users["enterprise"],
        kind="evaluation",
        materials=_materials("evaluation"),
    )
    review_check(review_id=review.pk, actor=world.users["city"], accept=True)
    with pytest.raises(ReviewRefused):
        review_check(review_id=review.pk, actor=world.users["city"], accept=True)
    assert AuditCase.objects.get(pk=case.pk).state == "evaluating"


@pytest.mark.parametrize("who", ["district", "province", "enterprise"])
def test_only_the_city_checks(world, who):
    case = _submitted(world)
    review = review_apply(
        case_id=case.pk,
        actor=world.users["enterprise"],
        kind="evaluation",
        materials=_materials("evaluation"),
    )
    with pytest.raises(ReviewRefused):
        review_check(review_id=review.pk, actor=world.users[who], accept=True)
    assert Review.objects.get(pk=review.pk).status == "applied"
