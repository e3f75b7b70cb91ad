"""A 10,000-row annual list: our import (read, validate, preview, commit) against django-import-export
importing the same file into the same model (Listing), and the export of 10,000 rows.

Peak memory: tracemalloc's peak of Python allocations during a separate, untimed run of our import,
and the process's maximum resident size (getrusage) after it.
"""

import io
import os
import resource
import time
import tracemalloc

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))


def _world(n):
    from qingshen.accounts.models import Jurisdiction, User
    from qingshen.demo.world import make_uscc
    from qingshen.registry.models import Enterprise, Industry

    province = Jurisdiction.objects.create(name="省", level="province", code="500000")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province, code="500100")
    districts = [
        Jurisdiction.objects.create(name=f"第{i}区", level="district", parent=city, code=f"5001{i + 10:02d}")
        for i in range(20)
    ]
    user = User.objects.create(username="city", role="city", jurisdiction=city)
    industry = Industry.objects.get(code="26")
    # Half the file is already in the registry, half is new (django-import-export gets all registered).
    Enterprise.objects.bulk_create(
        Enterprise(
            name=f"企业{i}有限公司",
            uscc=make_uscc("500112", 10_000_000 + i),
            jurisdiction=districts[i % 20],
            industry=industry,
        )
        for i in range(0, n, 2)
    )
    return city, districts, user


def _file(n, districts):
    import xlsxwriter

    from qingshen.demo.world import make_uscc

    grounds = ["双超", "高耗能", "双有", "双超、双有", "其他（重点任务）"]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["2027年强制性清洁生产审核企业名单"])
    sheet.write_row(1, 0, ["序号", "区县", "企业名称", "统一社会信用代码", "行业代码", "纳入类型", "备注"])
    for i in range(n):
        sheet.write_row(
            i + 2,
            0,
            [
                i + 1,
                districts[i % 20].name,
                f"企业{i}有限公司",
                make_uscc("500112", 10_000_000 + i),
                26,
                grounds[i % 5],
                "",
            ],
        )
    book.close()
    return out.getvalue()


def _ours(programme, user, data, name="list.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from qingshen.programmes.imports import batches

    t0 = time.perf_counter()
    batch = batches.import_batch_create(
        programme=programme, kind="annual", upload=SimpleUploadedFile(name, data), actor=user
    )  # outside a transaction the check runs on commit, i.e. at once (immediate backend)
    batch.refresh_from_db()
    t1 = time.perf_counter()
    assert batch.status == "ready", batch.errors[:3]
    client = Client()
    client.force_login(user)
    assert client.get(reverse("import-batch", args=[batch.pk])).status_code == 200
    t2 = time.perf_counter()
    batches.import_batch_commit_request(batch=batch, actor=user, renames=set())
    batch.refresh_from_db()
    t3 = time.perf_counter()
    assert batch.status == "committed", batch.errors[:3]
    return t1 - t0, t2 - t1, t3 - t2


def _import_export(programme, user, data):
    import tablib
    from import_export import fields, resources, widgets

    from qingshen.programmes.imports.rows import parse_grounds
    from qingshen.programmes.models import Listing, lead_authority_for
    from qingshen.registry.models import Enterprise

    class GroundsWidget(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return parse_grounds(str(value or ""))[0]

    class ListingResource(resources.ModelResource):
        enterprise = fields.Field(
            attribute="enterprise",
            column_name="统一社会信用代码",
            widget=widgets.ForeignKeyWidget(Enterprise, "uscc"),
        )
        grounds = fields.Field(attribute="grounds", column_name="纳入类型", widget=GroundsWidget())
        note = fields.Field(attribute="note", column_name="备注")

        class Meta:
            model = Listing
            fields = ("enterprise", "grounds", "note")
            import_id_fields = ()
            use_bulk = False

        def before_save_instance(self, instance, row, **kwargs):
            instance.programme = programme
            instance.proposed_by = user
            instance.lead_authority = lead_authority_for(instance.grounds)
            instance.note = instance.note or ""

    t0 = time.perf_counter()
    dataset = tablib.Dataset().load(data, format="xlsx", headers=False)
    dataset = tablib.Dataset(*list(dataset)[2:], headers=list(dataset[1]))  # skip the title row
    resource = ListingResource()
    dry = resource.import_data(dataset, dry_run=True, raise_errors=False)
    t1 = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False, raise_errors=False)
    t2 = time.perf_counter()
    assert not dry.has_errors() and not result.has_errors(), result.row_errors()[:1]
    return t1 - t0, t2 - t1


def run(report):
    from qingshen.programmes import exports
    from qingshen.programmes.models import Listing, Programme

    city, districts, user = _world(ROWS)
    data = _file(ROWS, districts)
    report(f"file: {ROWS} rows, xlsx", len(data) / 1024, "KiB")

    ours = Programme.objects.create(city=city, year=2027, title="ours")
    read_validate, preview, commit = _ours(ours, user, data)
    total = read_validate + preview + commit
    report("qingshen import: read + validate (background task)", read_validate, "s")
    report("qingshen import: preview page", preview, "s")
    report("qingshen import: commit (all or nothing)", commit, "s")
    report("qingshen import: total", total, "s")
    assert ours.listings.count() == ROWS
    report(
        "after our import: process max RSS (getrusage)",
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "MiB",
    )

    # The same file into the same model with django-import-export (our import registered the new half).
    theirs = Programme.objects.create(city=city, year=2028, title="import-export")
    dry, real = _import_export(theirs, user, data)
    report("django-import-export: read + dry run (preview)", dry, "s")
    report("django-import-export: import", real, "s")
    report("django-import-export: total", dry + real, "s")
    assert Listing.objects.filter(programme=theirs).count() == ROWS
    report("speed-up (import-export total / ours)", (dry + real) / total, "x")

    t = time.perf_counter()
    listings = list(ours.listings.select_related("enterprise__jurisdiction", "enterprise__industry"))
    out = exports.annual_list(programme=ours, listings=listings)
    report(f"export of {ROWS} rows (query + xlsx)", time.perf_counter() - t, "s")
    report("export size", len(out) / 1024, "KiB")

    memory = Programme.objects.create(city=city, year=2029, title="memory")
    tracemalloc.start()
    _ours(memory, user, data, "memory.xlsx")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    report("qingshen import: tracemalloc peak (untimed run)", peak / 1024 / 1024, "MiB")
    report(
        "process max RSS at the end (getrusage)",
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "MiB",
    )
