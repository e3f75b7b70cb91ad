"""The notification letter and the results circular: PDF text holds the Chinese and the figures."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from qingshen.cases.models import Document
from qingshen.programmes import listings as programme_listings
from qingshen.programmes import lists as programme_lists
from qingshen.programmes import services as programme_services
from qingshen.reports import documents
from qingshen.reviews.opinions import pdf_available
from qingshen.trail.models import Event
from tests import factories as f

needs_pdf = pytest.mark.skipif(
    not pdf_available(), reason="WeasyPrint needs Pango (scripts/ensure-system-packages.sh)"
)


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


@needs_pdf
def test_the_letter_says_what_by_when_under_which_rule_and_the_penalties(world):
    case = world.case_north
    text = _text(documents.letter_pdf(case))
    assert "一次性告知书" in text and case.enterprise.name in text and case.enterprise.uscc in text
    for d in case.deadlines.filter(kind__in=documents.LETTER_DUTIES):
        assert f"{d.due_on.year}年{d.due_on.month}月{d.due_on.day}日" in text
    assert "第十一条" in text  # the Rule rows' source
    assert "五万元以上五十万元以下" in text  # the penalty of Art. 39
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in PdfReader(io.BytesIO(documents.letter_pdf(case))).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("+" in f for f in fonts)  # embedded (subset) fonts


@needs_pdf
def test_publication_issues_a_letter_to_each_listed_enterprise(db, django_capture_on_commit_callbacks):
    province = f.jurisdiction("甲省", "province", code="510000")
    city = f.jurisdiction("甲市", "city", province, code="510100")
    district = f.jurisdiction("甲区", "district", city, code="510104")
    city_user = f.user("c1", "city", jurisdiction=city)
    province_user = f.user("p1", "province", jurisdiction=province)
    programme = programme_services.programme_create(city=city, year=2026, actor=city_user)
    ents = [f.enterprise(district, "甲区印染有限公司"), f.enterprise(district, "甲区造纸有限公司")]
    for ent in ents:
        programme_listings.listing_add(
            programme=programme, enterprise=ent, grounds=["emissions"], actor=city_user
        )
    f.confirm_list(programme, city_user=city_user, province_user=province_user)
    with django_capture_on_commit_callbacks(execute=True):
        programme_lists.list_transition(
            name="publish",
            programme=programme,
            actor=city_user,
            published_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    for ent in ents:
        letters = Document.objects.filter(case__enterprise=ent, kind=Document.Kind.NOTICE_LETTER)
        assert sorted(d.original_name.rsplit(".", 1)[1] for d in letters) == ["docx", "pdf"]
        # Two formats of one letter, both current.
        assert [d.superseded_by_id for d in letters] == [None, None]
        assert ent.name in _text(letters.get(original_name__endswith=".pdf").file.read())
    assert Event.objects.filter(action="programme.letters", after__letters=2).exists()
    # Issuing again adds nothing: every case has its letter.
    assert documents.letters_issue(programme=programme, actor=city_user) == 0


def test_the_letter_docx_opens(world):
    from docx import Document as Docx

    doc = Docx(io.BytesIO(documents.letter_docx(world.case_north)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "一次性告知书" in text and world.ent_north.name in text
    # The penalties come from the enterprise's violation types, with their citations and fine bounds.
    assert "第三十九条" in text and "处以五万元以上五十万元以下的罚款" in text
    assert "第三十五条" not in text  # the agency's violation is not in an enterprise's letter


@needs_pdf
def test_the_results_circular_holds_the_figures(world, client_for):
    w = world
    w.programme.refresh_from_db()
    f.walk(w.case_north, "accepted", city_user=w.users["city"], enterprise_user=w.users["enterprise"])
    client = client_for(w.users["city"])
    response = client.get(reverse("summary-circular", args=[w.programme.pk, "pdf"]))
    assert response.status_code == 200
    text = _text(response.content)
    flat = text.replace("\n", "")
    # The level as its one label everywhere (not "II级" beside "二级水平").
    assert (
        "清洁生产审核结果通报" in text and w.ent_north.name in text and "Ⅱ级（国内清洁生产先进水平）" in flat
    )
    assert "共2家企业" in flat and "已通过验收1家" in flat and "Ⅱ级（国内清洁生产先进水平）1家" in flat
    assert "II级" not in flat and "二级水平" not in flat
    assert w.ent_south.name not in text  # not accepted
    docx = client.get(reverse("summary-circular", args=[w.programme.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    import docx as python_docx

    document = python_docx.Document(io.BytesIO(docx.content))
    words = "".join(p.text for p in document.paragraphs) + "".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "Ⅱ级（国内清洁生产先进水平）1家" in words and "II级" not in words


@pytest.mark.parametrize("role", ["enterprise", "expert", "sysadmin"])
def test_the_circular_is_not_found_outside_authority_scope(world, client_for, role):
    url = reverse("summary-circular", args=[world.programme.pk, "pdf"])
    assert client_for(world.users[role]).get(url).status_code == 404
