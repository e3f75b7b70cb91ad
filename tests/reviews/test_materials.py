"""Each application item keeps its own document type and versions, and may hand in a current document
the case already holds instead of a new upload."""

import importlib
import itertools

import pytest
from django.apps import apps
from django.core.files.base import ContentFile

from qingshen.cases.documents import document_store
from qingshen.cases.models import Document
from qingshen.demo import walk
from qingshen.reviews import selectors
from qingshen.reviews.errors import ReviewRefused
from qingshen.reviews.models import ChecklistItem, ReviewMaterial
from qingshen.reviews.services.applications import review_apply, review_check
from tests import factories as f


def _pdf(label: str):
    return ContentFile(b"%PDF-1.4 " + label.encode(), name=f"{label}.pdf")


def _submitted(world):
    return f.walk(
        world.case_north,
        "report_submitted",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )


def _all(kind, skip=()):
    return {i.code: _pdf(i.code) for i in selectors.checklist_for(kind) if i.code not in skip}


def test_seeded_items_carry_their_document_type(db):
    kinds = dict(ChecklistItem.objects.values_list("code", "document_kind").filter(kind="evaluation"))
    assert kinds == {
        "audit_report": "audit_report",
        "technical_evidence": "technical_evidence",
        "capacity_proof": "capacity_proof",
        "application_form": "application",
    }
    acceptance = dict(ChecklistItem.objects.values_list("code", "document_kind").filter(kind="acceptance"))
    assert acceptance["technical_opinion"] == "opinion"
    assert acceptance["monitoring_before"] == acceptance["monitoring_after"] == "monitoring_report"


def test_each_material_is_its_items_type_and_none_supersedes_another(world):
    case = _submitted(world)
    review = review_apply(
        case_id=case.pk, actor=world.users["enterprise"], kind="evaluation", materials=_all("evaluation")
    )
    report = review.materials.get(item__code="audit_report").document
    assert report.kind == Document.Kind.AUDIT_REPORT and report.is_current
    assert str(report).startswith(str(Document.Kind.AUDIT_REPORT.label))
    assert not case.documents.filter(kind=Document.Kind.APPLICATION, superseded_by__isnull=False).exists()
    assert all(m.document.is_current for m in review.materials.select_related("document"))


def test_two_items_of_one_type_keep_their_own_versions(world):
    case = f.walk(
        world.case_north,
        "implementing",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    first = review_apply(
        case_id=case.pk,
        actor=world.users["enterprise"],
        kind="acceptance",
        materials=_all("acceptance", skip=("acceptance_report",)),
    )
    before1 = first.materials.get(item__code="monitoring_before").document
    after1 = first.materials.get(item__code="monitoring_after").document
    assert before1.kind == after1.kind == Document.Kind.MONITORING_REPORT
    assert before1.is_current and after1.is_current
    review_check(review_id=first.pk, actor=world.users["city"], accept=False, missing=["acceptance_report"])
    second = review_apply(
        case_id=case.pk,
        actor=world.users["enterprise"],
        kind="acceptance",
        materials={"monitoring_after": _pdf("after-v2")},
        existing={"monitoring_before": before1.pk},
    )
    after2 = second.materials.get(item__code="monitoring_after").document
    before1.refresh_from_db()
    after1.refresh_from_db()
    assert after1.superseded_by_id == after2.pk  # its own earlier version, not the other item's
    assert before1.is_current
    assert second.materials.get(item__code="monitoring_before").document == before1


def test_an_item_hands_in_the_report_the_case_already_holds(world):
    case = _submitted(world)
    held = document_store(
        case=case, kind=Document.Kind.AUDIT_REPORT, upload=_pdf("report"), actor=world.users["enterprise"]
    )
    review = review_apply(
        case_id=case.pk,
        actor=world.users["enterprise"],
        kind="evaluation",
        materials=_all("evaluation", skip=("audit_report",)),
        existing={"audit_report": held.pk},
    )
    assert review.materials.get(item__code="audit_report").document == held
    held.refresh_from_db()
    assert held.is_current and held.used_in_review
    assert case.documents.filter(kind=Document.Kind.AUDIT_REPORT).count() == 1
    assert selectors.missing_items(review) == []


def test_an_upload_for_the_item_supersedes_the_report_held(world):
    case = _submitted(world)
    held = document_store(
        case=case, kind=Document.Kind.AUDIT_REPORT, upload=_pdf("report"), actor=world.users["enterprise"]
    )
    review = review_apply(
        case_id=case.pk, actor=world.users["enterprise"], kind="evaluation", materials=_all("evaluation")
    )
    new = review.materials.get(item__code="audit_report").document
    held.refresh_from_db()
    assert held.superseded_by_id == new.pk and new.version == 2


@pytest.mark.parametrize("which", ["other_kind", "other_case", "superseded", "nonsense"])
def test_a_wrong_choice_is_refused_and_changes_nothing(world, which):
    case = _submitted(world)
    actor = world.users["enterprise"]
    if which == "other_kind":
        pick = document_store(case=case, kind=Document.Kind.PHOTO, upload=_pdf("photo"), actor=actor)
    elif which == "other_case":
        pick = document_store(
            case=world.case_south,
            kind=Document.Kind.AUDIT_REPORT,
            upload=_pdf("south"),
            actor=world.users["enterprise_south"],
        )
    elif which == "superseded":
        pick = document_store(case=case, kind=Document.Kind.AUDIT_REPORT, upload=_pdf("v1"), actor=actor)
        document_store(case=case, kind=Document.Kind.AUDIT_REPORT, upload=_pdf("v2"), actor=actor)
    pk = "x" if which == "nonsense" else pick.pk
    documents = Document.objects.count()
    with pytest.raises(ReviewRefused):
        review_apply(
            case_id=case.pk,
            actor=actor,
            kind="evaluation",
            materials=_all("evaluation", skip=("audit_report",)),
            existing={"audit_report": pk},
        )
    assert not case.reviews.exists() and Document.objects.count() == documents
    case.refresh_from_db()
    assert case.state == "report_submitted"


def test_the_acceptance_application_offers_the_opinion_the_system_issued(world, client_for, pdf_renderer):
    case = f.walk(
        world.case_north,
        "evaluating",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    review = walk.open_review(case, "evaluation")
    walk.panel_conclude(
        review=review, passed=True, city_user=world.users["city"], day=review.applied_on, render_opinions=True
    )
    opinion_pdf = case.documents.get(kind=Document.Kind.OPINION, content_type="pdf")
    page = client_for(world.users["enterprise"]).get(f"/cases/{case.pk}/apply/acceptance/")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.fields["existing_technical_opinion"].initial == opinion_pdf.pk
    assert "existing_acceptance_report" not in form.fields  # nothing held of that type
    assert "item_technical_opinion" not in form.fields  # chosen, never uploaded again
    # Posting without a new upload hands in the issued opinion.
    files = {
        f"item_{c}": _pdf(c)
        for c in ("acceptance_report", "monitoring_before", "monitoring_after", "application_form")
    }
    response = client_for(world.users["enterprise"]).post(
        f"/cases/{case.pk}/apply/acceptance/", {"existing_technical_opinion": opinion_pdf.pk, **files}
    )
    assert response.status_code == 302
    material = ReviewMaterial.objects.get(review__case=case, item__code="technical_opinion")
    assert material.document == opinion_pdf
    assert case.documents.filter(kind=Document.Kind.OPINION).count() == 2  # PDF and DOCX, nothing new


def test_an_upload_cannot_replace_the_opinion_the_system_issued(world, pdf_renderer):
    case = f.walk(
        world.case_north,
        "evaluating",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    review = walk.open_review(case, "evaluation")
    walk.panel_conclude(
        review=review, passed=True, city_user=world.users["city"], day=review.applied_on, render_opinions=True
    )
    with pytest.raises(ReviewRefused):
        review_apply(
            case_id=case.pk, actor=world.users["enterprise"], kind="acceptance", materials=_all("acceptance")
        )
    assert all(d.is_current for d in case.documents.filter(kind=Document.Kind.OPINION))


def test_the_apply_page_preselects_the_one_current_report(world, client_for):
    case = _submitted(world)
    held = document_store(
        case=case, kind=Document.Kind.AUDIT_REPORT, upload=_pdf("report"), actor=world.users["enterprise"]
    )
    page = client_for(world.users["enterprise"]).get(f"/cases/{case.pk}/apply/evaluation/")
    assert page.context["form"].fields["existing_audit_report"].initial == held.pk
    assert "existing_capacity_proof" not in page.context["form"].fields
    assert (
        client_for(world.users["enterprise_south"]).get(f"/cases/{case.pk}/apply/evaluation/").status_code
        == 404
    )


def test_the_migration_gives_old_materials_their_type_and_versions(world):
    """Before: every material stored as an application form, each superseding the last."""
    case = _submitted(world)
    review = review_apply(
        case_id=case.pk, actor=world.users["enterprise"], kind="evaluation", materials=_all("evaluation")
    )
    docs = list(Document.objects.filter(pk__in=review.materials.values("document")).order_by("pk"))
    # Put the rows back the way the old code wrote them.
    for n, doc in enumerate(docs, start=1):
        Document.objects.filter(pk=doc.pk).update(kind="application", version=100 + n)
    for older, newer in itertools.pairwise(docs):
        Document.objects.filter(pk=older.pk).update(superseded_by=newer.pk)
    importlib.import_module(
        "qingshen.reviews.migrations.0004_checklist_item_document_kind"
    ).materials_to_their_kind(apps, None)
    for material in review.materials.select_related("item", "document"):
        assert material.document.kind == material.item.document_kind
        assert material.document.version == 1 and material.document.is_current


def test_the_acceptance_form_is_not_the_evaluations(world, client_for):
    """Both are application forms: the evaluation's is offered, not chosen for the acceptance, and a new
    acceptance form does not supersede it."""
    case = f.walk(
        world.case_north,
        "implementing",
        city_user=world.users["city"],
        enterprise_user=world.users["enterprise"],
    )
    evaluation_form = ReviewMaterial.objects.get(
        review__case=case, review__kind="evaluation", item__code="application_form"
    ).document
    page = client_for(world.users["enterprise"]).get(f"/cases/{case.pk}/apply/acceptance/")
    field = page.context["form"].fields["existing_application_form"]
    assert field.initial in ("", None) and evaluation_form.pk in [c for c, _l in field.choices]
    review = review_apply(
        case_id=case.pk, actor=world.users["enterprise"], kind="acceptance", materials=_all("acceptance")
    )
    evaluation_form.refresh_from_db()
    assert evaluation_form.is_current
    assert review.materials.get(item__code="application_form").document.is_current
