"""The case page lists documents by kind: the current version first, older versions and the full
digests folded away."""

import re

from django.core.files.base import ContentFile
from django.urls import reverse

from qingshen.cases.documents import document_store


def _store(case, user, kind, name):
    return document_store(
        case=case, kind=kind, upload=ContentFile(b"%PDF-1.4 x" + name.encode(), name=name), actor=user
    )


def test_documents_are_grouped_by_kind_with_the_current_version_first(world, client_for):
    case, user = world.case_north, world.users["enterprise"]
    reports = [_store(case, user, "audit_report", f"审核报告{n}.pdf") for n in (1, 2, 3)]
    photo = _store(case, user, "photo", "现场.pdf")
    html = client_for(world.users["city"]).get(reverse("case-detail", args=[case.pk])).content.decode()
    section = html.split('id="case-documents"', 1)[1].split("</ul>", 1)[0]
    kinds = re.findall(r'data-kind="([a-z_]+)"', section)
    assert kinds.index("audit_report") < kinds.index("photo")  # the order of Document.Kind
    assert len(kinds) == len(set(kinds))  # one entry per kind
    report = section.split('data-kind="audit_report"', 1)[1].split('data-kind="photo"', 1)[0]
    shown, folded = report.split('<details class="small ms-3" data-older="2">', 1)
    assert f'data-doc="{reports[2].pk}"' in shown and "审核报告3.pdf" in shown
    assert f'data-doc="{reports[0].pk}"' in folded and f'data-doc="{reports[1].pk}"' in folded
    assert "审核报告1.pdf" not in shown and "审核报告2.pdf" not in shown
    # Every full digest sits inside a folded <details>, none open on the page.
    for doc in (*reports, photo):
        before = section.split(doc.sha256, 1)[0]
        assert before.count("<details") > before.count("</details>"), doc
    assert "<details open" not in section
