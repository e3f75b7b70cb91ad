"""20,000 historical rows (issue 16): our history import (read + check, preview page, all-or-nothing
commit) against the floor: parsing the same file and bulk-inserting the same rows (programme,
enterprises, listings, cases, deadlines) with no checks, no log and no preview. Target: under 30 s.

    BENCH_ROWS=2000 .venv/bin/python bench/run.py history_import    # small while developing
"""

import io
import os
import time

ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
YEARS = (2019, 2020, 2021, 2022, 2023)


def _world():
    from qingshen.accounts.models import Jurisdiction, User

    province = Jurisdiction.objects.create(name="省", level="province", code="500000")
    city = Jurisdiction.objects.create(name="市", level="city", parent=province, code="500100")
    districts = [
        Jurisdiction.objects.create(name=f"第{i}区", level="district", parent=city, code=f"5001{i + 10:02d}")
        for i in range(20)
    ]
    return city, districts, User.objects.create(username="city", role="city", jurisdiction=city)


# A spread of rounds: listed, auditing, evaluated (passed / failed), accepted, published, withdrawn.
OUTCOMES = [
    {},
    {"audit_started_on": "{y}-03-20"},
    {
        "audit_started_on": "{y}-03-20",
        "report_submitted_on": "{y}-11-30",
        "evaluation": "通过",
        "evaluation_on": "{y1}-01-15",
    },
    {"report_submitted_on": "{y}-11-30", "evaluation": "不通过", "evaluation_on": "{y1}-01-15"},
    {
        "evaluation": "通过",
        "evaluation_on": "{y1}-01-15",
        "acceptance": "合格",
        "acceptance_on": "{y1}-09-01",
        "level": "Ⅱ级",
    },
    {
        "evaluation": "通过",
        "evaluation_on": "{y1}-01-15",
        "acceptance": "合格",
        "acceptance_on": "{y1}-09-01",
        "level": "Ⅰ级",
        "result_published_on": "{y1}-10-01",
    },
    {"audit_started_on": "{y}-03-20", "withdrawn_on": "{y}-06-01", "withdrawn_reason": "企业关停"},
]


def _file(n, districts) -> bytes:
    import xlsxwriter

    from qingshen.demo.world import make_uscc
    from qingshen.programmes.history.columns import HEADERS

    keys = list(HEADERS)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["历年强制性清洁生产审核情况"])
    sheet.write_row(1, 0, [HEADERS[k] for k in keys])
    for i in range(n):
        y = YEARS[i % len(YEARS)]
        values = {
            "year": str(y),
            "seq": str(i + 1),
            "district": districts[(i // len(YEARS)) % 20].name,
            "name": f"历史企业{i // len(YEARS)}有限公司",
            "uscc": make_uscc("500112", 20_000_000 + i // len(YEARS)),
            "industry": "26",
            "grounds": "双有" if i % 3 else "双超",
            "published_on": f"{y}-02-08",
            **{k: v.format(y=y, y1=y + 1) for k, v in OUTCOMES[i % len(OUTCOMES)].items()},
        }
        sheet.write_row(i + 2, 0, [values.get(k, "") for k in keys])
    book.close()
    return out.getvalue()


def _ours(user, data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from qingshen.programmes.history import batches

    t0 = time.perf_counter()
    batch = batches.history_batch_create(upload=SimpleUploadedFile("history.xlsx", data), actor=user)
    batch.refresh_from_db()  # outside a transaction the check runs at once (immediate backend)
    t1 = time.perf_counter()
    assert batch.status == "ready", batch.errors[:3]
    client = Client()
    client.force_login(user)
    assert client.get(reverse("history-batch", args=[batch.pk])).status_code == 200
    t2 = time.perf_counter()
    batches.history_batch_commit_request(batch=batch, actor=user)
    batch.refresh_from_db()
    t3 = time.perf_counter()
    assert batch.status == "committed", batch.errors[:3]
    return t1 - t0, t2 - t1, t3 - t2


def _floor(city, districts, user, data):
    """Parse the same file and bulk-insert the same rows: the least any import must do."""
    import datetime

    from django.db import transaction

    from qingshen.cases.models import AuditCase, CaseDeadline
    from qingshen.core.files import spreadsheets
    from qingshen.programmes.models import Listing, Programme
    from qingshen.registry.models import Enterprise, Industry

    t0 = time.perf_counter()
    rows = list(spreadsheets.rows_of(data, "xlsx"))[2:]
    industry = Industry.objects.get(code="26")
    by_name = {d.name: d for d in districts}
    with transaction.atomic():
        programmes = {
            y: Programme.objects.create(city=city, year=y + 10, title=str(y), list_state="published")
            for y in YEARS
        }
        enterprises = {}
        for r in rows:
            enterprises.setdefault(
                r[4][:-1] + "Z",
                Enterprise(
                    name=r[3] + "·", uscc=r[4][:-1] + "Z", jurisdiction=by_name[r[2]], industry=industry
                ),
            )
        Enterprise.objects.bulk_create(enterprises.values(), batch_size=1000)
        listings = [
            Listing(
                programme=programmes[int(r[0])],
                enterprise=enterprises[r[4][:-1] + "Z"],
                grounds=["hazardous"],
                lead_authority="environment",
                proposed_by=user,
            )
            for r in rows
        ]
        Listing.objects.bulk_create(listings, batch_size=1000)
        cases = [
            AuditCase(
                programme=lst.programme,
                listing=lst,
                enterprise=lst.enterprise,
                jurisdiction=lst.enterprise.jurisdiction,
                jurisdiction_path=lst.enterprise.jurisdiction.path,
                published_on=datetime.date.fromisoformat(r[7]),
            )
            for lst, r in zip(listings, rows, strict=True)
        ]
        AuditCase.objects.bulk_create(cases, batch_size=1000)
        CaseDeadline.objects.bulk_create(
            (
                CaseDeadline(
                    case=c,
                    kind=k,
                    party="enterprise",
                    rule_code=k,
                    starts_on=c.published_on,
                    due_on=c.published_on,
                )
                for c in cases
                for k in ("disclosure", "audit_start", "report")
            ),
            batch_size=1000,
        )
    return time.perf_counter() - t0


def run(report):
    from qingshen.cases.models import AuditCase
    from qingshen.trail import chain

    city, districts, user = _world()
    data = _file(ROWS, districts)
    report(f"file: {ROWS} historical rows, xlsx", len(data) / 1024, "KiB")
    check, preview, commit = _ours(user, data)
    total = check + preview + commit
    report("history import: read + check (background task)", check, "s")
    report("history import: preview page", preview, "s")
    report("history import: commit (all or nothing, set-based)", commit, "s")
    report("history import: total", total, "s")
    assert AuditCase.objects.filter(history_sha256__gt="").count() == ROWS
    t = time.perf_counter()
    again = _ours(user, data)  # the same file again: every row skipped, nothing written
    report("history import: the same file again (nothing written)", time.perf_counter() - t, "s")
    assert again and AuditCase.objects.count() == ROWS
    floor = _floor(city, districts, user, data)
    report("floor: parse + bulk insert of the same rows", floor, "s")
    report("ratio (history import total / floor)", total / floor, "x")
    t = time.perf_counter()
    assert chain.verify().ok
    report("log chain verified after the import", time.perf_counter() - t, "s")
