from django.db import migrations, models

from qingshen.reviews import seed

ISSUED_KINDS = {"notice_letter", "opinion", "acceptance_opinion", "withdrawal"}
TEMPORARY = 1_000_000  # versions are moved out of the way before they are numbered again


def items_typed(apps, schema_editor):
    """Each seeded checklist item gets its document type."""
    ChecklistItem = apps.get_model("reviews", "ChecklistItem")
    for (kind, code), document_kind in seed.DOCUMENT_KINDS.items():
        ChecklistItem.objects.filter(kind=kind, code=code).update(document_kind=document_kind)


def materials_to_their_kind(apps, schema_editor):
    """Every material of an application was stored as an application form, each superseding the last
    (the audit report showed as "application form v4, superseded"). Give each its item's type, then
    number the versions of every type touched again (by upload time) and rebuild who supersedes whom
    the way reviews.services.applications does now: an item's new file supersedes that item's earlier one (or,
    where no other item of its checklist shares the type, the current one of the type that no other
    item handed in); the bureau's issued documents keep their own line per format; other uploads
    supersede the current one."""
    Document = apps.get_model("cases", "Document")
    ChecklistItem = apps.get_model("reviews", "ChecklistItem")
    ReviewMaterial = apps.get_model("reviews", "ReviewMaterial")
    moved = [
        (m.document_id, m.item.document_kind)
        for m in ReviewMaterial.objects.select_related("item", "document").filter(
            document__kind="application"
        )
        if m.item.document_kind != "application"
    ]
    if not moved:
        return
    groups = set()
    for pk, kind in moved:
        doc = Document.objects.get(pk=pk)
        groups |= {(doc.case_id, "application"), (doc.case_id, kind)}
        Document.objects.filter(pk=pk).update(kind=kind, version=TEMPORARY + pk)
    shared = {}
    for item in ChecklistItem.objects.filter(is_active=True):
        shared[(item.kind, item.document_kind)] = shared.get((item.kind, item.document_kind), 0) + 1
    item_of = {
        m.document_id: (m.item.kind, m.item.code, m.item.document_kind)
        for m in ReviewMaterial.objects.select_related("item")
    }
    for case_id, kind in sorted(groups):
        docs = list(Document.objects.filter(case_id=case_id, kind=kind).order_by("uploaded_at", "pk"))
        pks = [d.pk for d in docs]
        Document.objects.filter(superseded_by__in=pks).update(superseded_by=None)
        for n, doc in enumerate(docs, start=1):
            Document.objects.filter(pk=doc.pk).update(version=TEMPORARY * 2 + n)
        for n, doc in enumerate(docs, start=1):
            Document.objects.filter(pk=doc.pk).update(version=n)
        current: list = []  # (document, item key or None), oldest first
        for doc in docs:
            item = item_of.get(doc.pk)
            ext = doc.original_name.rsplit(".", 1)[-1].lower()
            previous = None
            if item is not None:
                if kind not in ISSUED_KINDS:
                    own = [d for d, key in current if key == item[:2]]
                    free = [d for d, key in current if key is None]
                    if own:
                        previous = own[-1]
                    elif shared.get((item[0], kind), 0) <= 1 and free:
                        previous = free[-1]
            elif kind in ISSUED_KINDS:
                same = [
                    d for d, key in current if key is None and d.original_name.lower().endswith("." + ext)
                ]
                previous = same[-1] if same else None
            elif current:
                previous = current[-1][0]
            if previous is not None:
                Document.objects.filter(pk=previous.pk).update(superseded_by=doc.pk)
                current = [(d, key) for d, key in current if d.pk != previous.pk]
            current.append((doc, item[:2] if item else None))


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0003_agency_rating_scale_is_a_setting"),
        ("cases", "0010_acceptance_report_document_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="checklistitem",
            name="document_kind",
            field=models.CharField(default="other", max_length=30, verbose_name="document type"),
        ),
        migrations.RunPython(items_typed, migrations.RunPython.noop),
        migrations.RunPython(materials_to_their_kind, migrations.RunPython.noop),
    ]
