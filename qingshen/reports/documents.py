"""Official documents: the one-time notification letter (一次性告知书) to each listed enterprise and
the results circular (审核结果通报), as PDF (embedded CJK font, WeasyPrint) and DOCX (python-docx).

Official documents are in Chinese whatever the clicking user's language; the wording comes from the
Rule rows (time limits and their sources), the procedure, and the enterprise's ViolationType rows (the
penalties with their citations, the same rows the penalty workflow bounds its fines by).
"""

import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from qingshen.cases.documents import document_store_pair
from qingshen.cases.kinds import LISTED_KINDS
from qingshen.cases.models import AuditCase, CaseDeadline, Document
from qingshen.cases.states import Level, level_label
from qingshen.oversight.models import ViolationType
from qingshen.oversight.selectors import procedure_current
from qingshen.procedures.models import Rule
from qingshen.trail.services import event_record

LETTER_STEM = "一次性告知书"
# The duties an enterprise owes after publication (the bureau's own duties are not in its letter).
LETTER_DUTIES = [CaseDeadline.Kind.DISCLOSURE, CaseDeadline.Kind.AUDIT_START, CaseDeadline.Kind.REPORT]


def letter_context(case: AuditCase) -> dict:
    deadlines = list(case.deadlines.filter(kind__in=LETTER_DUTIES).order_by("due_on"))
    rules = {r.code: r for r in Rule.objects.filter(code__in=[d.rule_code for d in deadlines])}
    procedure = procedure_current()
    with translation.override("zh-hans"):
        duties = [
            {
                "what": str(d.get_kind_display()),
                "due_on": d.due_on,
                "rule": rules[d.rule_code].name if d.rule_code in rules else "",
                "source": rules[d.rule_code].source if d.rule_code in rules else "",
            }
            for d in deadlines
        ]
    return {
        "title": LETTER_STEM,
        "case": case,
        "programme": case.programme,
        "enterprise": case.enterprise,
        "issuer": case.programme.city.name,
        "duties": duties,
        "penalties": [v.citation for v in ViolationType.objects.filter(party=ViolationType.Party.ENTERPRISE)],
        "supervision": procedure.supervision if procedure else "",
        "font": settings.QINGSHEN_OPINION_FONT,
    }


def _pdf(template: str, ctx: dict) -> bytes:
    from weasyprint import HTML

    with translation.override("zh-hans"):
        html = render_to_string(template, ctx)
    return HTML(string=html).write_pdf()


def _docx():
    from docx import Document as Docx
    from docx.oxml.ns import qn

    doc = Docx()
    style = doc.styles["Normal"]
    style.font.name = settings.QINGSHEN_OPINION_FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), settings.QINGSHEN_OPINION_FONT)
    return doc


def _docx_bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def letter_pdf(case: AuditCase) -> bytes:
    return _pdf("reports/letter.html", letter_context(case))


def letter_docx(case: AuditCase) -> bytes:
    ctx = letter_context(case)
    doc = _docx()
    doc.add_heading(ctx["title"], level=1)
    e = ctx["enterprise"]
    doc.add_paragraph(f"{e.name}（统一社会信用代码：{e.uscc}）：")
    doc.add_paragraph(
        f"贵单位已列入{ctx['programme'].title}（{ctx['case'].published_on:%Y年%m月%d日}公布）。"
        "请按下列事项和期限履行强制性清洁生产审核义务："
    )
    table = doc.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["事项", "期限", "依据"], strict=True):
        cell.text = text
    for d in ctx["duties"]:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = d["what"], f"{d['due_on']:%Y年%m月%d日}前", d["source"]
    doc.add_heading("未按期履行的法律责任", level=2)
    for p in ctx["penalties"]:
        doc.add_paragraph(p)
    if ctx["supervision"]:
        doc.add_heading("监督渠道", level=2)
        doc.add_paragraph(ctx["supervision"])
    doc.add_paragraph(f"{ctx['issuer']}生态环境局")
    return _docx_bytes(doc)


def letter_store(*, case: AuditCase, actor) -> list[Document]:
    """Render both formats and store them as the case's documents (files before records)."""
    return document_store_pair(
        case=case,
        kind=Document.Kind.NOTICE_LETTER,
        stem=f"{LETTER_STEM}-{case.enterprise.name}",
        pdf=letter_pdf(case),
        docx=letter_docx(case),
        actor=actor,
    )


def letters_issue(*, programme, actor) -> int:
    """After publication: a letter for every case of the programme that has none yet."""
    cases = (
        # The listed enterprises only: a voluntary audit registered in the same year gets no listing letter.
        AuditCase.objects.filter(programme=programme, kind__in=sorted(LISTED_KINDS))
        .exclude(documents__kind=Document.Kind.NOTICE_LETTER)
        .select_related("enterprise", "programme__city", "jurisdiction")
    )
    n = 0
    for case in cases:
        letter_store(case=case, actor=actor)
        n += 1
    event_record(action="programme.letters", actor=actor, obj=programme, after={"letters": n})
    return n


# --- The results circular ------------------------------------------------------------------------


def circular_context(*, programme, cases, total: dict) -> dict:
    with translation.override("zh-hans"):
        levels = "、".join(f"{level_label(lv)}{total[f'level_{lv}']}家" for lv in Level.values)
    return {
        "title": f"{programme.title}清洁生产审核结果通报",
        "levels": levels,
        "programme": programme,
        "issuer": programme.city.name,
        "cases": cases,
        "total": total,
        "font": settings.QINGSHEN_OPINION_FONT,
    }


def circular_pdf(**kwargs) -> bytes:
    return _pdf("reports/circular.html", circular_context(**kwargs))


def circular_docx(**kwargs) -> bytes:
    ctx = circular_context(**kwargs)
    t = ctx["total"]
    doc = _docx()
    doc.add_heading(ctx["title"], level=1)
    doc.add_paragraph(
        f"{ctx['programme'].year}年度共{t['listed']}家企业列入强制性清洁生产审核名单，"
        f"已通过验收{t['acceptances_passed']}家，其中{ctx['levels']}；逾期未完成{t['overdue']}家。"
    )
    table = doc.add_table(rows=1, cols=5)
    for cell, text in zip(
        table.rows[0].cells,
        ["企业名称", "统一社会信用代码", "所在地区", "验收日期", "清洁生产水平"],
        strict=True,
    ):
        cell.text = text
    for c in ctx["cases"]:
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = c.enterprise.name, c.enterprise.uscc, c.jurisdiction.name
        row[3].text = f"{c.accepted_on:%Y-%m-%d}" if c.accepted_on else ""
        row[4].text = level_label(c.level)
    doc.add_paragraph(f"{ctx['issuer']}生态环境局")
    return _docx_bytes(doc)
