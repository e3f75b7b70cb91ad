"""The data migrations that gave letters and acceptance opinions their own kinds leave each format of
each issued document current, and give enterprises back the uploads a letter had superseded."""

import importlib

from django.apps import apps
from django.core.files.base import ContentFile

from qingshen.cases.documents import document_store
from qingshen.cases.models import Document
from tests.cases.test_documents import DOCX, PDF

m0005 = importlib.import_module("qingshen.cases.migrations.0005_notice_letter_document_kind")
m0006 = importlib.import_module("qingshen.cases.migrations.0006_acceptance_opinion_kind")


def _store(world, name, kind, user):
    data = DOCX if name.endswith(".docx") else PDF + name.encode()
    return document_store(
        case=world.case_north, kind=kind, upload=ContentFile(data, name=name), actor=world.users[user]
    )


def test_old_letters_and_opinions_are_sorted_out(world):
    # As the old code stored them: one supersession chain per kind, across formats and documents.
    letter_pdf = _store(world, "一次性告知书-北区.pdf", "other", "city")
    letter_docx = _store(world, "一次性告知书-北区.docx", "other", "city")
    own = _store(world, "一次性告知书回执.pdf", "other", "enterprise")  # the enterprise's own upload
    evaluation = _store(world, "技术审查意见-北区.pdf", "opinion", "city")
    acceptance = _store(world, "验收意见-北区.pdf", "opinion", "city")
    m0005.letters_to_their_kind(apps, None)
    m0006.acceptance_opinions_apart(apps, None)
    docs = {d.pk: d for d in Document.objects.filter(case=world.case_north)}
    assert docs[letter_pdf.pk].kind == docs[letter_docx.pk].kind == "notice_letter"
    assert docs[own.pk].kind == "other" and docs[own.pk].superseded_by_id is None
    assert docs[acceptance.pk].kind == "acceptance_opinion"
    # Each kind and format current on its own; nothing superseded across kinds.
    assert docs[evaluation.pk].superseded_by_id is None and docs[acceptance.pk].superseded_by_id is None
    assert docs[letter_docx.pk].superseded_by_id is None
    assert docs[letter_pdf.pk].superseded_by_id is None
    # A later letter in PDF supersedes the earlier PDF only.
    newer = _store(world, "一次性告知书-北区-2.pdf", "notice_letter", "city")
    m0006.acceptance_opinions_apart(apps, None)
    assert Document.objects.get(pk=letter_pdf.pk).superseded_by_id == newer.pk
    assert Document.objects.get(pk=letter_docx.pk).superseded_by_id is None
