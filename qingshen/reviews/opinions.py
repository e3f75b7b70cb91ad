"""The technical review opinion (技术审查意见) and the acceptance opinion, as PDF and DOCX.

Both formats render the same blocks (opinion_blocks: panel, scores, conclusion, requirements,
deadline), so they say the same words; with the CJK font the set-up installs
(settings.QINGSHEN_OPINION_FONT). Stored as Documents of the case, which the enterprise sees in its portal.
"""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from qingshen.cases.documents import document_store_pair
from qingshen.cases.models import CaseDeadline, Document
from qingshen.cases.states import level_label
from qingshen.reviews import wording
from qingshen.reviews.models import PanelSeat, Review, ReviewKind


def pdf_available() -> bool:
    """WeasyPrint loads Pango from the system at import (scripts/ensure-system-packages.sh)."""
    try:
        import weasyprint  # noqa: F401
    except OSError:
        return False
    return True


def _day(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


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
        # The time limit the opinion set (reviews.acceptance_limit); the deadline row for older cases.
        deadline = case.acceptance_due_on or (
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


def opinion_blocks(review: Review) -> list[tuple]:
    """The opinion as blocks — ("title" | "heading" | "para", text) and ("table", header, rows) — that
    both formats render, so the PDF and the DOCX say the same words (in Chinese, official)."""
    with translation.override("zh-hans"):
        ctx = opinion_context(review)
        e, rubric = ctx["enterprise"], ctx["rubric"]
        chair = next((s.expert.name for s in ctx["seats"] if s.is_chair), "")
        rows = []
        for seat in ctx["seats"]:
            score = getattr(seat, "score", None)
            points = f"{score.total}{'（否决）' if score.vetoed else ''}" if score else "—"
            rows.append(
                [
                    seat.expert.name,
                    "组长" if seat.is_chair else "组员",
                    seat.expert.title,
                    seat.expert.employer_name,
                    points,
                ]
            )
        conclusion = f"结论：{ctx['conclusion']}"
        if review.level:
            conclusion += f"；达到的清洁生产水平：{level_label(review.level)}"
        blocks = [
            ("title", ctx["title"]),
            ("para", f"企业名称：{e.name}"),
            ("para", f"统一社会信用代码：{e.uscc}"),
            ("para", f"所在地区：{ctx['case'].jurisdiction.name}"),
            ("para", f"审查日期：{_day(review.concluded_on)}"),
            ("heading", "专家组"),
            ("table", ["姓名", "职务", "职称", "单位", "得分"], rows),
            ("heading", "评审结论"),
            ("para", f"评分表：{rubric.name}（第 {rubric.version} 版），合格线 {rubric.pass_mark} 分。"),
            (
                "para",
                f"专家组综合得分：{review.result_score} 分{'；存在否决项' if review.result_vetoed else ''}。",
            ),
            ("para", f"{conclusion}。"),
        ]
        reasons = wording.fail_reasons(review)  # in Chinese, whatever language the experts used
        if reasons:
            blocks.append(("para", f"理由：{reasons}"))
        if review.requirements:
            blocks += [("heading", wording.requirements_heading(review)), ("para", review.requirements)]
        if ctx["deadline"]:
            blocks += [
                ("heading", "验收时限"),
                ("para", f"提出验收时限：请于{_day(ctx['deadline'])}前提出审核验收申请。"),
            ]
        blocks.append(("signature", f"专家组组长：{chair}"))
    return blocks


def opinion_pdf(review: Review) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reviews/opinion.html",
        {"blocks": opinion_blocks(review), "font": settings.QINGSHEN_OPINION_FONT},
    )
    return HTML(string=html).write_pdf()


def opinion_docx(review: Review) -> bytes:
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name = settings.QINGSHEN_OPINION_FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), settings.QINGSHEN_OPINION_FONT)
    for block in opinion_blocks(review):
        kind = block[0]
        if kind == "title":
            doc.add_heading(block[1], level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "heading":
            doc.add_heading(block[1], level=2)
        elif kind == "table":
            header, rows = block[1], block[2]
            table = doc.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
            for row in rows:
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        else:
            doc.add_paragraph(block[1])
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
