"""Upload throughput (content check + SHA-256 + SM3 + store + record) and option-table import speed."""

import datetime
import io
import time
import zipfile

import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

SIZES_MB = (1, 20, 100)
IMPORT_ROWS = 1000


def _world():
    from qingshen.accounts.models import Jurisdiction, User
    from qingshen.demo.world import make_uscc
    from qingshen.programmes import listings as programme_listings
    from qingshen.programmes import lists as programme_lists
    from qingshen.programmes import services as programme_services
    from qingshen.registry.models import Enterprise

    province = Jurisdiction.objects.create(name="省", level="province")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province)
    district = Jurisdiction.objects.create(name="区", level="district", parent=city, code="500112")
    city_user = User.objects.create(username="city", role="city", jurisdiction=city)
    ent = Enterprise.objects.create(name="企业", uscc=make_uscc("500112", 1), jurisdiction=district)
    user = User.objects.create(username="ent", role="enterprise", enterprise=ent)
    programme = programme_services.programme_create(city=city, year=2025, actor=city_user)
    programme_listings.listing_add(
        programme=programme, enterprise=ent, grounds=["emissions"], actor=city_user
    )
    # The province confirms the list before the city publishes it.
    province_user = User.objects.create(username="prov", role="province", jurisdiction=province)
    programme_lists.list_transition(name="submit", programme=programme, actor=city_user)
    programme_lists.list_transition(name="confirm", programme=programme, actor=province_user)
    programme_lists.list_transition(
        name="publish",
        programme=programme,
        actor=city_user,
        published_on=datetime.date.today() - datetime.timedelta(days=30),
    )
    return programme.cases.get(), user


def _workbook(case, rows):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    from qingshen.cases.option_import import BASE_COLUMNS

    for c, (_k, h) in enumerate(BASE_COLUMNS):
        sheet.write(0, c, h)
    for r in range(1, rows + 1):
        sheet.write_row(r, 0, [f"F{r}", "方案", "无/低费", 1.5, "计划", case.published_on.isoformat()])
    book.close()
    return out.getvalue()


def run(report):
    from django.conf import settings

    from qingshen.cases.documents import document_store
    from qingshen.cases.option_import import option_table_parse

    settings.QINGSHEN_UPLOAD_MAX_BYTES = 200 * 1024 * 1024
    case, user = _world()
    for mb in SIZES_MB:
        data = b"%PDF-1.7\n" + b"\x00" * (mb * 1024 * 1024 - 9)
        t = time.perf_counter()
        document_store(case=case, kind="audit_report", upload=SimpleUploadedFile("r.pdf", data), actor=user)
        elapsed = time.perf_counter() - t
        report(f"upload {mb} MB PDF (check, SHA-256+SM3, store, record)", mb / elapsed, "MB/s")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(200):
            zf.writestr(f"照片/{i}.pdf", b"%PDF-1.4\n" + bytes(50_000))
    data = out.getvalue()
    t = time.perf_counter()
    document_store(case=case, kind="photo", upload=SimpleUploadedFile("p.zip", data), actor=user)
    report("upload zip of 200 members (member inspection)", (time.perf_counter() - t) * 1000, "ms")
    workbook = _workbook(case, IMPORT_ROWS)
    t = time.perf_counter()
    rows, problems = option_table_parse(case=case, upload=SimpleUploadedFile("o.xlsx", workbook))
    assert len(rows) == IMPORT_ROWS and not problems, problems[:3]
    report(f"option table parse + check, {IMPORT_ROWS} rows", (time.perf_counter() - t) * 1000, "ms")
