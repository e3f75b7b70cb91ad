"""The technical review opinion (技术审查意见) and the acceptance opinion, as PDF and DOCX.

Rendered from one context (panel, scores, conclusion, requirements, deadline) with the CJK font the
set-up installs (settings.QINGSHEN_OPINION_FONT), and stored as Documents of the case, which the
enterprise sees in its portal.
"""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from qingshen.cases.documents import document_store_pair
from qingshen.cases.models import CaseDeadline, Document
from qingshen.cases.states import level_label

from .models import PanelSeat, Review, ReviewKind


def pdf_available() -> bool:
    """WeasyPrint loads Pango from the system at import (scripts/ensure-system-packages.sh)."""
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    return True


def opinion_context(review: Review) -> dict:
    case = review.case
    seats = list(
        PanelSeat.objects.filter(panel__review=review)
        .exclude(status=PanelSeat.Status.DECLINED)
        .select_related("expert", "score")
        .order_by("-is_chair", "position")
    )
    deadline = None
    if review.kind == ReviewKind.EVALUATION and review.outcome == Review.Outcome.PASS:
        deadline = (
            case.deadlines.filter(kind=CaseDeadline.Kind.ACCEPTANCE_APPLY)
            .values_list("due_on", flat=True)
            .first()
        )
    title = "清洁生产审核评估技术审查意见" if review.kind == ReviewKind.EVALUATION else "清洁生产审核验收意见"
    return {
        "title": title,
        "review": review,
        "case": case,
        "enterprise": case.enterprise,
        "seats": seats,
        "rubric": review.rubric,
        "conclusion": review.outcome_label,
        "deadline": deadline,
        "font": settings.QINGSHEN_OPINION_FONT,
    }


def opinion_pdf(review: Review) -> bytes:
    from weasyprint import HTML

    # Official documents are in Chinese whatever the clicking user's language.
    with translation.override("zh-hans"):
        html = render_to_string("reviews/opinion.html", opinion_context(review))
    return HTML(string=html).write_pdf()


def opinion_docx(review: Review) -> bytes:
    from docx import Document as Docx
    from docx.oxml.ns import qn

    # Official documents are in Chinese whatever the clicking user's language (as the PDF).
    with translation.override("zh-hans"):
        return _opinion_docx(review, Docx, qn)


def _opinion_docx(review: Review, Docx, qn) -> bytes:
    ctx = opinion_context(review)
    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name = ctx["font"]
    style.element.rPr.rFonts.set(qn("w:eastAsia"), ctx["font"])
    doc.add_heading(ctx["title"], level=1)
    e = ctx["enterprise"]
    doc.add_paragraph(f"企业名称：{e.name}")
    doc.add_paragraph(f"统一社会信用代码：{e.uscc}")
    doc.add_paragraph(f"审查日期：{review.concluded_on:%Y-%m-%d}")
    doc.add_heading("专家组", level=2)
    table = doc.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["姓名", "职务", "单位", "得分"], strict=True):
        cell.text = text
    for seat in ctx["seats"]:
        row = table.add_row().cells
        score = getattr(seat, "score", None)
        row[0].text = seat.expert.name
        row[1].text = "组长" if seat.is_chair else "组员"
        row[2].text = seat.expert.employer_name
        row[3].text = f"{score.total}{'（否决）' if score and score.vetoed else ''}" if score else "—"
    doc.add_heading("结论", level=2)
    doc.add_paragraph(f"专家组综合得分：{review.result_score}（合格线 {ctx['rubric'].pass_mark}）")
    doc.add_paragraph(f"结论：{ctx['conclusion']}")
    if review.level:
        doc.add_paragraph(f"清洁生产水平：{level_label(review.level)}")
    if review.conclusion_reasons:
        doc.add_paragraph(f"理由：{review.conclusion_reasons}")
    if review.requirements:
        doc.add_paragraph(f"要求：{review.requirements}")
    if ctx["deadline"]:
        doc.add_paragraph(f"请于 {ctx['deadline']:%Y年%m月%d日} 前申请清洁生产审核验收。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def opinion_store(*, review: Review, actor) -> list[Document]:
    """Render both formats and store them as the case's opinion documents (files before records)."""
    evaluation = review.kind == ReviewKind.EVALUATION
    stem = "技术审查意见" if evaluation else "验收意见"
    return document_store_pair(
        case=review.case,
        # Separate kinds: the acceptance opinion does not supersede the evaluation's.
        kind=Document.Kind.OPINION if evaluation else Document.Kind.ACCEPTANCE_OPINION,
        stem=f"{stem}-{review.case.enterprise.name}",
        pdf=opinion_pdf(review),
        docx=opinion_docx(review),
        actor=actor,
    )
