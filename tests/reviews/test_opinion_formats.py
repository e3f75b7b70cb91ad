"""The opinion's PDF and DOCX say the same words (one source, rendered twice)."""

import io
import re

import pytest

from qingshen.demo import walk
from qingshen.reviews import opinions
from tests import factories as f


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    """Paragraphs and table cells in document order."""
    from docx import Document as Docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Docx(io.BytesIO(data))
    parts = []
    for child in doc.element.body.iterchildren():
        if child.tag.endswith("}p"):
            parts.append(Paragraph(child, doc).text)
        elif child.tag.endswith("}tbl"):
            parts += [cell.text for row in Table(child, doc).rows for cell in row.cells]
    return "".join(parts)


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("state", "kind", "passed"),
    [
        ("evaluating", "evaluation", True),
        ("accepting", "acceptance", True),
        ("evaluating", "evaluation", False),
    ],
)
def test_the_pdf_and_the_docx_have_the_same_text(world, pdf_renderer, state, kind, passed):
    case = f.walk(
        world.case_north, state, city_user=world.users["city"], enterprise_user=world.users["enterprise"]
    )
    review = walk.panel_conclude(
        review=walk.open_review(case, kind),
        passed=passed,
        city_user=world.users["city"],
        day=case.published_on,
        level="II" if kind == "acceptance" else "",
    )
    pdf, docx = (
        _plain(_pdf_text(opinions.opinion_pdf(review))),
        _plain(_docx_text(opinions.opinion_docx(review))),
    )
    assert pdf == docx
    for words in ("所在地区", case.jurisdiction.name, "职称", "高级工程师", f"{review.concluded_on.year}年"):
        assert words in docx
    if kind == "acceptance":
        assert "Ⅱ级" in docx
    assert ("提出验收时限：请于" in docx) == (kind == "evaluation" and passed)
