"""An annual list of BENCH_ROWS rows (10,000 unless told): our import (read, validate, preview, commit)
against the floor (parsing the same file and bulk-creating the same enterprises and listings, nothing
checked, logged or previewed), against django-import-export importing the same file into the same
model (Listing), and the export of the rows. Target: ours within 1.5x the floor, and a peak resident
size growth under 150 MiB at 100,000 rows.

    BENCH_ROWS=100000 .venv/bin/python bench/run.py list_import
    BENCH_IMPORT_EXPORT=0|1     django-import-export too (by default only up to 20,000 rows: it is slow)
    BENCH_TRACEMALLOC=1         also tracemalloc's peak during an untimed run of ours

Peak RSS growth: the kernel's high-water mark is reset (/proc/self/clear_refs) before each measured
run, and its peak less the resident size at the start is reported. On SQLite the test database is
in memory, in this process: its pages (the listings, and the batch's checked rows) count as growth too,
so the memory target is read on PostgreSQL.
"""

import contextlib
import ctypes
import gc
import io
import os
import re
import resource
import time
import tracemalloc

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
IMPORT_EXPORT = os.environ.get("BENCH_IMPORT_EXPORT", "1" if ROWS <= 20_000 else "0") == "1"
TRACEMALLOC = os.environ.get("BENCH_TRACEMALLOC", "0") == "1"


def _rss_kib(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return int(re.search(rf"{key}:\s+(\d+)", fh.read()).group(1))


def _measured(fn, *args):
    """fn's result, its wall time and the peak growth of the resident size during it (MiB)."""
    gc.collect()
    with contextlib.suppress(OSError):  # what the last run freed goes back to the system first
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")  # the high-water mark starts again from the current resident size
        base = _rss_kib("VmRSS")
    except OSError:  # no procfs: the process's peak so far is all there is
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    result = fn(*args)
    elapsed = time.perf_counter() - t
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, base)
    return result, elapsed, (peak - base) / 1024


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
    batch.refresh_from_db(fields=["status", "errors"])  # not its rows: a server holds none of them
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


def _floor(programme, districts, user, data):
    """Parse the same file and bulk-create the same rows (the unregistered half's enterprises, every
    listing) in one transaction: the least any import must do."""
    from django.db import transaction

    from qingshen.core.files import spreadsheets
    from qingshen.programmes.imports.rows import parse_grounds
    from qingshen.programmes.models import Listing, lead_authority_for
    from qingshen.registry.models import Enterprise, Industry

    rows = list(spreadsheets.rows_of(data, "xlsx"))[2:]
    industry = Industry.objects.get(code="26")
    by_name = {d.name: d.pk for d in districts}
    registered = dict(Enterprise.objects.values_list("uscc", "pk"))
    with transaction.atomic():
        # The same enterprises under other codes (the real ones were registered by our import).
        new = {
            r[3]: Enterprise(
                name=r[2] + "·", uscc=r[3][:-1] + "Z", jurisdiction_id=by_name[r[1]], industry=industry
            )
            for i, r in enumerate(rows)
            if i % 2
        }
        Enterprise.objects.bulk_create(new.values(), batch_size=1000)
        listings = []
        for r in rows:
            grounds = parse_grounds(r[5])[0]
            listings.append(
                Listing(
                    programme=programme,
                    enterprise_id=new[r[3]].pk if r[3] in new else registered[r[3]],
                    grounds=grounds,
                    lead_authority=lead_authority_for(grounds),
                    note=r[6],
                    proposed_by=user,
                )
            )
        Listing.objects.bulk_create(listings, batch_size=1000)
    return len(listings)


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
    from django.test import override_settings

    from qingshen.programmes import exports
    from qingshen.programmes.models import Listing, Programme

    city, districts, user = _world(ROWS)
    data = _file(ROWS, districts)
    report(f"file: {ROWS} rows, xlsx", len(data) / 1024, "KiB")

    # The URLconf and the middleware load on the first request: a server has them loaded already.
    from django.test import Client
    from django.urls import reverse

    Client().get(reverse("import-batch", args=[0]))

    limit = override_settings(QINGSHEN_IMPORT_MAX_ROWS=max(ROWS, 50_000))
    limit.enable()
    ours = Programme.objects.create(city=city, year=2027, title="ours")
    (read_validate, preview, commit), total, ours_rss = _measured(_ours, ours, user, data)
    report("qingshen import: read + validate (background task)", read_validate, "s")
    report("qingshen import: preview page", preview, "s")
    report("qingshen import: commit (all or nothing)", commit, "s")
    report("qingshen import: total", total, "s")
    report("qingshen import: peak RSS growth", ours_rss, "MiB")
    assert ours.listings.count() == ROWS

    base = Programme.objects.create(city=city, year=2030, title="floor")
    count, floor, floor_rss = _measured(_floor, base, districts, user, data)
    assert count == ROWS == base.listings.count()
    report("floor: parse + bulk_create of the same rows", floor, "s")
    report("floor: peak RSS growth", floor_rss, "MiB")
    report("ratio (qingshen import total / floor)", total / floor, "x")

    if IMPORT_EXPORT:
        # The same file into the same model with django-import-export (our import registered the new half).
        theirs = Programme.objects.create(city=city, year=2028, title="import-export")
        dry, real = _import_export(theirs, user, data)
        report("django-import-export: read + dry run (preview)", dry, "s")
        report("django-import-export: import", real, "s")
        report("django-import-export: total", dry + real, "s")
        assert Listing.objects.filter(programme=theirs).count() == ROWS
        report("speed-up (import-export total / ours)", (dry + real) / total, "x")
        report("ratio (import-export total / floor)", (dry + real) / floor, "x")

    t = time.perf_counter()
    listings = list(ours.listings.select_related("enterprise__jurisdiction", "enterprise__industry"))
    out = exports.annual_list(programme=ours, listings=listings)
    report(f"export of {ROWS} rows (query + xlsx)", time.perf_counter() - t, "s")
    report("export size", len(out) / 1024, "KiB")

    if TRACEMALLOC:
        memory = Programme.objects.create(city=city, year=2029, title="memory")
        tracemalloc.start()
        _ours(memory, user, data, "memory.xlsx")
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        report("qingshen import: tracemalloc peak (untimed run)", peak / 1024 / 1024, "MiB")
    limit.disable()
